"""The region view: each municipality's value, the region's and the country's own value where the source has
them, and a derived region figure where it does not (sum, population-weighted mean or plain mean)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import members_of

from .models import Indicator, Observation, Source

POPULATION = ("sotkanet", "127")  # Sotkanet "Väestö 31.12.": the weights of population-weighted means


class Aggregation:
    REGION_VALUE = "region_value"
    MEAN = "mean"
    POPULATION_WEIGHTED_MEAN = "population_weighted_mean"
    SUM = "sum"

    LABELS = {
        REGION_VALUE: _("the source's own figure for the region"),
        MEAN: _("the plain mean of the municipalities"),
        POPULATION_WEIGHTED_MEAN: _("the population-weighted mean of the municipalities"),
        SUM: _("the sum of the municipalities' absolute values"),
    }
    CHOICES = list(LABELS.items())


@dataclass
class RegionFigure:
    value: float | None
    rule: str
    used: int = 0
    expected: int = 0

    @property
    def complete(self) -> bool:
        return self.used == self.expected

    @property
    def rule_label(self) -> str:
        return str(Aggregation.LABELS[self.rule])


@dataclass
class RegionSeries:
    indicator: Indicator
    area: Area
    country: Area | None
    years: list[int]
    municipalities: list[Area]
    values: dict[int, dict[int, float | None]]  # area id -> year -> value
    region: dict[int, RegionFigure] = field(default_factory=dict)
    merged: list[Area] = field(default_factory=list)

    def municipality_value(self, area: Area, year: int) -> float | None:
        return self.values.get(area.pk, {}).get(year)

    def country_value(self, year: int) -> float | None:
        return self.values.get(self.country.pk, {}).get(year) if self.country else None

    def table(self) -> list[tuple[int, list[float | None], RegionFigure | None, float | None]]:
        """Rows of the data table beside the chart: year, municipalities' values, region, country."""
        return [
            (
                year,
                [self.municipality_value(m, year) for m in self.municipalities],
                self.region.get(year),
                self.country_value(year),
            )
            for year in self.years
        ]

    @property
    def rules_used(self) -> list[str]:
        return sorted({str(f.rule_label) for f in self.region.values()})


def derive(values: list[float | None], *, rule: str, weights: list[float | None] | None = None) -> float | None:
    """A region figure from the municipalities' values. None where it cannot be computed honestly:
    a sum needs every municipality, a weighted mean every weight of the values it uses."""
    present = [(v, w) for v, w in zip(values, weights or [None] * len(values), strict=True) if v is not None]
    if not present:
        return None
    if rule == Aggregation.SUM:
        return sum(v for v, _ in present) if len(present) == len(values) else None
    if rule == Aggregation.POPULATION_WEIGHTED_MEAN:
        if any(w is None or w <= 0 for _, w in present):
            return None
        total = sum(w for _, w in present if w is not None)
        return sum(v * w for v, w in present if w is not None) / total
    return sum(v for v, _ in present) / len(present)


def region_series(
    *,
    indicator: Indicator,
    area: Area,
    years: list[int] | None = None,
    gender: str = "total",
    rule: str = Aggregation.REGION_VALUE,
) -> RegionSeries:
    """Everything the region view shows for one indicator. Municipalities are those of `area` in each year;
    a municipality that has since merged and has no data of its own is left out, because the source restates
    history on the current division (Pertunmaa's figures are in Mäntyharju's from 1.1.2025)."""
    country = Area.objects.filter(kind=AreaKind.COUNTRY).first()
    observations = Observation.objects.filter(indicator=indicator, gender=gender, classification="")
    if years:
        observations = observations.filter(year__in=years)
    members_by_year: dict[int, list[Area]] = {}
    all_years = years or sorted(set(observations.values_list("year", flat=True)))
    municipality_ids: set[int] = set()
    for year in all_years:
        members_by_year[year] = list(members_of(area, year=year))
        municipality_ids.update(m.pk for m in members_by_year[year])
    wanted = municipality_ids | {area.pk} | ({country.pk} if country else set())
    values: dict[int, dict[int, float | None]] = defaultdict(dict)
    absolute: dict[int, dict[int, float | None]] = defaultdict(dict)
    for area_id, year, value, absolute_value in observations.filter(area_id__in=wanted).values_list(
        "area_id", "year", "value", "absolute_value"
    ):
        values[area_id][year] = value
        absolute[area_id][year] = absolute_value
    years_with_data = sorted({y for by_year in values.values() for y in by_year})
    merged = [m for m in Area.objects.filter(pk__in=municipality_ids, valid_to__isnull=False) if not values.get(m.pk)]
    merged_ids = {m.pk for m in merged}
    weighted = rule == Aggregation.POPULATION_WEIGHTED_MEAN
    weights = _population_weights(municipality_ids, years_with_data) if weighted else {}
    series = RegionSeries(
        indicator=indicator,
        area=area,
        country=country,
        years=years_with_data,
        municipalities=sorted(
            {m for ms in members_by_year.values() for m in ms if m.pk not in merged_ids}, key=lambda a: a.code
        ),
        values=dict(values),
        merged=merged,
    )
    for year in years_with_data:
        members = [m for m in members_by_year.get(year, []) if m.pk not in merged_ids]
        own = values.get(area.pk, {}).get(year)
        if own is not None:
            series.region[year] = RegionFigure(own, Aggregation.REGION_VALUE, len(members), len(members))
            continue
        effective = Aggregation.MEAN if rule == Aggregation.REGION_VALUE else rule
        source = absolute if effective == Aggregation.SUM and _has_absolute(absolute, members, year) else values
        member_values = [source.get(m.pk, {}).get(year) for m in members]
        member_weights = [weights.get((m.pk, year)) for m in members] if weights else None
        series.region[year] = RegionFigure(
            derive(member_values, rule=effective, weights=member_weights),
            effective,
            sum(v is not None for v in member_values),
            len(members),
        )
    return series


def _has_absolute(absolute: dict[int, dict[int, float | None]], members: list[Area], year: int) -> bool:
    return any(absolute.get(m.pk, {}).get(year) is not None for m in members)


def _population_weights(area_ids: set[int], years: list[int]) -> dict[tuple[int, int], float | None]:
    population = Indicator.objects.filter(
        source__in=Source.objects.filter(key=POPULATION[0]), external_id=POPULATION[1]
    ).first()
    if population is None:
        return {}
    rows = Observation.objects.filter(
        Q(indicator=population, gender="total", classification="", area_id__in=area_ids, year__in=years)
    ).values_list("area_id", "year", "value")
    return {(area_id, year): value for area_id, year, value in rows}
