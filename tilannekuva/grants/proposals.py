"""The priority proposal from the data bank (docs/DECISIONS.md, "Grant priorities from data"): the region's
indicators that are worse than the country's or worsening, grouped by theme, each with its evidence."""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tilannekuva.databank.binding import indicators_for
from tilannekuva.databank.models import Direction, Indicator, Observation
from tilannekuva.databank.regional import Aggregation, RegionSeries, region_series_many
from tilannekuva.regions.models import Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.models import Metric

# The proposal's rules: the trend compares the latest value with the earliest one of the TREND_YEARS before it; a
# difference counts only beyond TOLERANCE of the compared value.
TREND_YEARS = 5
TOLERANCE = 0.02
MAX_WEIGHT = 5


@dataclass
class Evidence:
    """Why one indicator is in the proposal: the region's latest value against the country's and its own past."""

    indicator_id: int
    title: str
    source: str
    unit: str
    direction: str
    direction_metric: str  # the bound metric whose direction is used; empty: the indicator's own
    year: int
    value: float
    country_value: float | None
    earlier_year: int | None
    earlier_value: float | None
    worse_than_country: bool
    worsening: bool
    vintage: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ThemeProposal:
    theme: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def weight(self) -> int:
        """The proposed weight: one point per indicator in the theme, at most MAX_WEIGHT."""
        return min(MAX_WEIGHT, len(self.evidence))


@dataclass
class Proposal:
    themes: list[ThemeProposal]
    assessed: int
    unknown_direction: list[str]
    not_comparable: list[str]
    vintages: list[str]

    @property
    def vintage_text(self) -> str:
        return "; ".join(self.vintages)


def worse(value: float, than: float, direction: str) -> bool:
    """`value` is worse than `than` by more than TOLERANCE of `than`, in the indicator's direction."""
    margin = abs(than) * TOLERANCE
    if direction == Direction.HIGHER_IS_BETTER:
        return value < than - margin
    if direction == Direction.LOWER_IS_BETTER:
        return value > than + margin
    return False


def assess_series(series: RegionSeries, *, direction: str, direction_metric: str, vintage: str) -> Evidence | None:
    """The evidence of one indicator, or None when it is neither worse than the country nor worsening (or
    cannot be compared: no region value, or neither a country value nor an earlier value)."""
    years = [y for y in series.years if (f := series.region.get(y)) is not None and f.value is not None]
    if not years:
        return None
    year = years[-1]
    value = series.region[year].value
    assert value is not None
    earlier_years = [y for y in years if year - TREND_YEARS <= y < year]
    earlier_year = earlier_years[0] if earlier_years else None
    earlier_value = series.region[earlier_year].value if earlier_year is not None else None
    country_value = series.country_value(year)
    worse_than_country = country_value is not None and worse(value, country_value, direction)
    worsening = earlier_value is not None and worse(value, earlier_value, direction)
    if not (worse_than_country or worsening):
        return None
    indicator = series.indicator
    return Evidence(
        indicator_id=indicator.pk,
        title=indicator.title_fi,
        source=f"{indicator.source.name} {indicator.external_id}",
        unit=indicator.unit,
        direction=direction,
        direction_metric=direction_metric,
        year=year,
        value=value,
        country_value=country_value,
        earlier_year=earlier_year,
        earlier_value=earlier_value,
        worse_than_country=worse_than_country,
        worsening=worsening,
        vintage=vintage,
    )


def comparable(series: RegionSeries) -> bool:
    """Has a region value and something to compare it with: the country's value or an earlier value."""
    years = [y for y in series.years if (f := series.region.get(y)) is not None and f.value is not None]
    if not years:
        return False
    return series.country_value(years[-1]) is not None or any(years[-1] - TREND_YEARS <= y < years[-1] for y in years)


def theme_of(indicator: Indicator) -> str:
    """The indicator's group at its source (the 2013 snapshot's "TILASTOLLINEN HYVINVOINTI"), else its source."""
    group = indicator.metadata.get("group") if isinstance(indicator.metadata, dict) else None
    if isinstance(group, str) and group.strip():
        return group.strip().capitalize()
    return indicator.source.name


def metric_directions(region: Region) -> dict[int, tuple[str, str]]:
    """Indicator id -> (direction, the metric's title) for the indicators the region's metrics are bound to; the
    newest version's metric wins."""
    metrics = list(
        Metric.objects.filter(version__strategy__region=region)
        .exclude(direction=Direction.NEUTRAL)
        .order_by("-version__year")
    )
    by_pk = {m.pk: m for m in metrics}
    found: dict[int, tuple[str, str]] = {}
    for metric_pk, indicator in indicators_for(metrics).items():
        metric = by_pk[metric_pk]
        found.setdefault(indicator.pk, (metric.direction, metric.title[:200]))
    return found


def propose(*, region: Region) -> Proposal:
    """The region's indicators that are worse than the country's or worsening, grouped by theme.

    Every indicator with data for the region or its municipalities is looked at. Its direction comes from the
    indicator's metadata, else from a metric of the region's strategy bound to it; an indicator whose direction
    is unknown is left out (and listed), because "worse" cannot be told without it."""
    area_ids = {region.area_id, *(m.pk for m in members_of(region.area, year=timezone.localdate().year))}
    indicator_ids = set(
        Observation.objects.filter(area_id__in=area_ids, classification="")
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids).select_related("source").order_by("title_fi"))
    bound = metric_directions(region)
    directed: list[tuple[Indicator, str, str]] = []
    unknown = []
    for indicator in indicators:
        if indicator.direction != Direction.NEUTRAL:
            directed.append((indicator, indicator.direction, ""))
        elif indicator.pk in bound:
            directed.append((indicator, *bound[indicator.pk]))
        else:
            unknown.append(indicator.title_fi)
    all_series = region_series_many([(i, Aggregation.REGION_VALUE) for i, _d, _f in directed], area=region.area)
    themes: dict[str, ThemeProposal] = {}
    not_comparable = []
    vintages: set[str] = set()
    assessed = 0
    for (indicator, direction, direction_metric), series in zip(directed, all_series, strict=True):
        if not comparable(series):
            not_comparable.append(indicator.title_fi)
            continue
        assessed += 1
        vintage = indicator.vintage or _("%(source)s, data up to %(year)s") % {
            "source": indicator.source.name,
            "year": max(series.years),
        }
        vintages.add(vintage)
        evidence = assess_series(series, direction=direction, direction_metric=direction_metric, vintage=vintage)
        if evidence is not None:
            theme = theme_of(indicator)
            themes.setdefault(theme, ThemeProposal(theme)).evidence.append(evidence)
    ordered = sorted(themes.values(), key=lambda t: (-len(t.evidence), t.theme))
    return Proposal(ordered, assessed, unknown, not_comparable, sorted(vintages))


def description_of(theme: ThemeProposal) -> str:
    """The proposed priority's description: content, written in Finnish like the strategy and the indicators'
    titles (the group edits it), whatever the language of the page that proposed it."""
    lines = []
    with translation.override("fi"):
        for e in theme.evidence:
            reasons = []
            if e.worse_than_country:
                reasons.append(_("worse than the country"))
            if e.worsening:
                reasons.append(_("worsening since %(year)s") % {"year": e.earlier_year})
            lines.append(f"{e.title} ({', '.join(reasons)})")
    return "\n".join(lines)
