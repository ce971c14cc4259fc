"""Where a metric's values come from: one provider per kind of data binding, behind one registry.

The data bank's provider is registered here; the follow-up, survey and funding apps register theirs for manual,
survey and computed metrics when they are installed (they sit below the dashboard and may import it). Each
provider names the models it reads, and a change to any of them expires the dashboard's cache (dashboard.signals).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Model
from django.utils.translation import gettext as _

from tilannekuva.databank.binding import databank_binding, indicators_for
from tilannekuva.databank.models import ImportRun, Indicator, Observation
from tilannekuva.databank.regional import RegionSeries, region_series_many
from tilannekuva.databank.sources.ptv import SOURCE_KEY as PTV_SOURCE
from tilannekuva.regions.models import Area, AreaKind, AreaMembership, Region, valid_in
from tilannekuva.strategy.bindings import (
    AgreementBinding,
    ComputedBinding,
    CounterpartsBinding,
    ManualBinding,
    SurveyBinding,
)
from tilannekuva.strategy.models import BindingType, Direction, Metric, TargetRule

from .signals import Watch, watch


@dataclass
class MetricData:
    """What is known of one metric in one region: the region's value per year, and where it comes from."""

    values: dict[int, float]
    source_label: str
    unit: str = ""
    vintage: str = ""
    rule_labels: list[str] = field(default_factory=list)
    indicator: Indicator | None = None
    series: RegionSeries | None = None
    direction: str = Direction.NEUTRAL
    updated: date | None = None
    peers: dict[int, list[float]] = field(default_factory=dict)  # year -> values of peer areas ("best third")
    texts: dict[int, str] = field(default_factory=dict)  # year -> a value reported in words
    detail_url: str = ""  # a page of the providing app that explains the figure (a calculation, survey results)
    detail_label: str = ""
    evidence: dict[int, str] = field(default_factory=dict)  # year -> what a register's answer rests on
    scale: tuple[float, float] | None = None  # the whole answer scale (a survey question's), for honest axes
    synthetic: bool = False  # derived from SYNTHETIC demo input: the vintage says "synteettinen" (exports, API too)
    # Every provider answers per municipality: area id -> year -> the area's own figure (municipalities, the
    # county, the country where known), and how the region's figure is made of them.
    by_area: dict[int, dict[int, float | None]] = field(default_factory=dict)
    country: Area | None = None
    region_rule: str = ""  # e.g. "the mean of the municipalities' values", "the sum ..."
    coverage: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> (yes or reported, expected)
    # year -> (organisation, value, a link to its evidence) where each organisation reports its own
    reporters: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.series is not None and not self.by_area:
            self.by_area = {area: dict(years) for area, years in self.series.values.items()}
            self.country = self.series.country

    def area_value(self, area: Area, year: int) -> float | None:
        return self.by_area.get(area.pk, {}).get(year)

    def area_values(self, area: Area, *, up_to: int) -> dict[int, float]:
        return {y: v for y, v in self.by_area.get(area.pk, {}).items() if y <= up_to and v is not None}

    def country_value(self, year: int) -> float | None:
        return self.area_value(self.country, year) if self.country is not None else None

    @property
    def decimals(self) -> int | None:
        """The indicator's decimals where the metric has one (computed and reported metrics have none)."""
        return self.indicator.decimals if self.indicator is not None else None

    def years_up_to(self, year: int) -> list[int]:
        """The years with a value (in numbers or in words) up to and including `year`."""
        return sorted(y for y in {*self.values, *self.texts} if y <= year)

    def up_to(self, year: int) -> list[tuple[int, float]]:
        """The region's values up to and including `year`, oldest first."""
        return sorted((y, v) for y, v in self.values.items() if y <= year)


Provider = Callable[[list[Metric], Region], dict[int, MetricData]]
_PROVIDERS: dict[str, Provider] = {}


def register(binding_types: Iterable[str], provider: Provider, *, watches: Iterable[type[Model] | Watch]) -> None:
    """`provider` gives the values of metrics of these binding types from the models it `watches`: a change to
    any of them expires the cached dashboard pages."""
    for binding_type in binding_types:
        _PROVIDERS[binding_type] = provider
    watch(*watches)


def data_for(metrics: list[Metric], *, region: Region) -> dict[int, MetricData]:
    """Each metric's data by metric id; metrics whose provider knows nothing of them are left out."""
    by_provider: dict[Provider, list[Metric]] = defaultdict(list)
    for metric in metrics:
        provider = _PROVIDERS.get(metric.binding_type)
        if provider is not None:
            by_provider[provider].append(metric)
    found: dict[int, MetricData] = {}
    for provider, group in by_provider.items():
        found.update(provider(group, region))
    return found


def counties_of(region: Region, *, year: int | None = None) -> list[Area]:
    """The wellbeing services counties of the region's municipalities, where the region is not one itself."""
    if region.area.kind == AreaKind.WELLBEING_SERVICES_COUNTY:
        return []
    municipalities = AreaMembership.objects.filter(parent=region.area, member__kind=AreaKind.MUNICIPALITY)
    if year is not None:
        municipalities = municipalities.filter(valid_in(year))
    counties = AreaMembership.objects.filter(
        parent__kind=AreaKind.WELLBEING_SERVICES_COUNTY, member__in=municipalities.values("member")
    )
    if year is not None:
        counties = counties.filter(valid_in(year))
    return list(Area.objects.filter(pk__in=counties.values("parent")).order_by("code"))


def databank_data(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    """Metrics bound to data-bank indicators (Sotkanet, Statistics Finland, files): the region's own figure
    where the source has one, else the binding's rule over the municipalities (databank.regional). A binding
    that names a kind of organisation (PTV's counts) asks for a figure the region series does not hold: it is
    left out here, and its card says that no count has been imported."""
    indicators = indicators_for(metrics)
    rules = {
        m.pk: binding.rule
        for m in metrics
        if m.pk in indicators and (binding := databank_binding(m)) is not None and not binding.organisation_kind
    }
    bound = [m for m in metrics if m.pk in rules]
    pairs = list(dict.fromkeys((indicators[m.pk], rules[m.pk]) for m in bound))
    series_of = dict(zip(pairs, region_series_many(pairs, area=region.area, others=counties_of(region)), strict=True))
    found = {}
    for metric in bound:
        indicator = indicators[metric.pk]
        series = series_of[(indicator, rules[metric.pk])]
        values = {year: figure.value for year, figure in series.region.items() if figure.value is not None}
        data = MetricData(
            values=values,
            source_label=metric.binding_summary,
            unit=metric.unit or indicator.unit,
            vintage=indicator.vintage,
            rule_labels=series.rules_used,
            indicator=indicator,
            series=series,
            direction=indicator.direction,
            updated=indicator.data_updated,
        )
        if metric.target_rule == TargetRule.BEST_THIRD and values:
            data.peers = peer_values(indicator, kind=region.area.kind, year=max(values), leave_out=region.area)
        found[metric.pk] = data
    found.update(ptv_data([m for m in metrics if is_ptv(m)], region))  # counts per kind of organisation: ptv.py
    return found


def peer_values(indicator: Indicator, *, kind: str, year: int, leave_out: Area) -> dict[int, list[float]]:
    """The values of the other areas of the same kind (e.g. every maakunta) in `year`, for "best third"."""
    values = Observation.objects.filter(
        indicator=indicator, year=year, gender="total", classification="", area__kind=kind, value__isnull=False
    ).exclude(area=leave_out)
    return {year: [v for v in values.values_list("value", flat=True) if v is not None]}


def no_data_label(metric: Metric) -> str:
    """What a card says where a metric has no data yet: who or what is expected to bring it."""
    binding = metric.typed_binding
    if isinstance(binding, ManualBinding):
        return _("Reported by hand by the responsible group; nothing has been reported yet.")
    if isinstance(binding, SurveyBinding):
        return _("Comes from a survey; no results yet.")
    if isinstance(binding, ComputedBinding):
        return _("A computed index; it has not been computed yet.")
    if isinstance(binding, CounterpartsBinding | AgreementBinding):
        return _("Answered from the co-operation registers; there is no answer for this year yet.")
    if binding.source == PTV_SOURCE:
        return _("Counted from the Finnish Service Catalogue (PTV); no count has been imported for the region yet.")
    return _("No values have been imported for the region yet.")


def _finished(run: ImportRun) -> bool:
    """A run that has just started has changed nothing yet; its rows are written in bulk, so its end stands for them."""
    return run.finished_at is not None


from .ptv import is_ptv, ptv_data  # noqa: E402 - the PTV provider builds on MetricData and counties_of above

register(
    [BindingType.DATABANK],
    databank_data,
    watches=[Watch(ImportRun, shows=_finished), Indicator, Observation],
)
