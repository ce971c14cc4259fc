"""Reads of inequality: the gaps of one metric in a region, from the observations of the data-bank indicator the
metric is bound to (the region's municipalities, women and men, a breakdown's groups)."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tilannekuva.databank.models import Gender, Indicator, Observation
from tilannekuva.databank.regional import Aggregation, RegionSeries, region_series
from tilannekuva.regions.models import Area
from tilannekuva.strategy.bindings import DataBankBinding
from tilannekuva.strategy.models import Metric

from .gaps import GapSeries, group_kind, series_of


@dataclass
class Inequality:
    metric: Metric
    indicator: Indicator | None
    direction: str
    municipalities: GapSeries
    gender: GapSeries
    groups: GapSeries

    @property
    def any_computed(self) -> bool:
        return self.municipalities.computed or self.gender.computed or self.groups.computed

    @property
    def synthetic(self) -> bool:
        indicator = self.indicator
        return indicator is not None and "SYNTEETTINEN" in f"{indicator.title_fi} {indicator.vintage}".upper()


def in_report(metric: Metric) -> bool:
    """Whether the yearly report shows the metric's gaps: a metric bound to a data-bank indicator of the population,
    not to a count of one kind of organisation's services (PTV), which has no municipal figures to compare."""
    binding = metric.typed_binding
    return isinstance(binding, DataBankBinding) and not binding.organisation_kind


def _not_bound(metric: Metric, direction: str) -> Inequality:
    reason = _(
        "The metric is not bound to a data-bank indicator (it is reported by hand, from a survey or computed): "
        "it has no values by municipality or population group."
    )
    return Inequality(
        metric,
        None,
        direction,
        GapSeries("municipalities", reason=reason),
        GapSeries("gender", reason=reason),
        GapSeries("groups", reason=reason),
    )


def _municipal(series: RegionSeries, *, direction: str, up_to: int | None) -> GapSeries:
    names = {m.pk: m.name_fi for m in series.municipalities}
    by_year: dict[int, dict[str, float]] = defaultdict(dict)
    for area_id, by_area in series.values.items():
        if area_id not in names:
            continue
        for year, value in by_area.items():
            if value is not None and (up_to is None or year <= up_to):
                by_year[year][names[area_id]] = value
    if not by_year:
        return GapSeries(
            "municipalities", reason=_("The data bank has no values of the region's municipalities for this indicator.")
        )
    return series_of(
        "municipalities",
        by_year,
        direction=direction,
        reason=_("No year has values for two or more of the region's municipalities."),
    )


def _gender(indicator: Indicator, area: Area, *, direction: str, up_to: int | None) -> GapSeries:
    figures = {}
    for gender, label in ((Gender.FEMALE, _("Women")), (Gender.MALE, _("Men"))):
        series = region_series(indicator=indicator, area=area, gender=gender, rule=Aggregation.MEAN)
        figures[str(label)] = {y: f.value for y, f in series.region.items() if f.value is not None}
    years = set.intersection(*(set(v) for v in figures.values()))
    by_year = {y: {label: values[y] for label, values in figures.items()} for y in years if up_to is None or y <= up_to}
    if not by_year:
        return GapSeries("gender", reason=_("The data bank holds no values by gender for this indicator and region."))
    return series_of("gender", by_year, direction=direction)


def _groups(indicator: Indicator, area: Area, *, direction: str, up_to: int | None) -> GapSeries:
    rows = Observation.objects.filter(indicator=indicator, area=area, gender=Gender.TOTAL, value__isnull=False).exclude(
        classification=""
    )
    if up_to is not None:
        rows = rows.filter(year__lte=up_to)
    by_year: dict[int, dict[str, float]] = defaultdict(dict)
    for year, classification, value in rows.values_list("year", "classification", "value"):
        if value is not None:
            by_year[year][classification] = value
    if not by_year:
        return GapSeries(
            "groups",
            reason=_(
                "The data bank holds no breakdown by age, education or another group for this indicator and region."
            ),
        )
    result = series_of("groups", by_year, direction=direction)
    result.group_kind = group_kind(sorted({c for values in by_year.values() for c in values}))
    return result


def inequality_of(
    *,
    metric: Metric,
    indicator: Indicator | None,
    area: Area,
    direction: str,
    series: RegionSeries | None = None,
    up_to: int | None = None,
) -> Inequality:
    """The metric's gaps in the region `area` up to the year `up_to`; `series` is the municipal series where the
    caller has already read it (the dashboard's card has)."""
    if indicator is None:
        return _not_bound(metric, direction)
    if series is None:
        series = region_series(indicator=indicator, area=area)
    return Inequality(
        metric=metric,
        indicator=indicator,
        direction=direction,
        municipalities=_municipal(series, direction=direction, up_to=up_to),
        gender=_gender(indicator, area, direction=direction, up_to=up_to),
        groups=_groups(indicator, area, direction=direction, up_to=up_to),
    )
