"""The region view: each municipality's value, the region's and the country's own value where the source has
them, and a derived region figure where it does not (sum, population-weighted mean or plain mean)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Area, AreaKind, AreaMembership
from tilannekuva.strategy.bindings import AGGREGATIONS

from .models import Indicator, Observation, Source

POPULATION = ("sotkanet", "127")  # Sotkanet "Väestö 31.12.": the weights of population-weighted means


class Aggregation:
    # The rules a metric's data-bank binding may name (strategy.bindings, which the strategy schema lists).
    REGION_VALUE, MEAN, POPULATION_WEIGHTED_MEAN, SUM = AGGREGATIONS

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
        return sorted(str(Aggregation.LABELS[rule]) for rule in {f.rule for f in self.region.values()})


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
    others: Sequence[Area] = (),
) -> RegionSeries:
    """Everything the region view shows for one indicator. Municipalities are those of `area` in each year;
    a municipality that has since merged and has no data of its own is left out, because the source restates
    history on the current division (Pertunmaa's figures are in Mäntyharju's from 1.1.2025). The own values of
    `others` (e.g. the wellbeing services county) are read as well, into `values`."""
    return region_series_many([(indicator, rule)], area=area, years=years, gender=gender, others=others)[0]


def region_series_many(
    wanted: Sequence[tuple[Indicator, str]],
    *,
    area: Area,
    years: list[int] | None = None,
    gender: str = "total",
    others: Sequence[Area] = (),
) -> list[RegionSeries]:
    """`region_series` for many (indicator, rule) pairs at once: the memberships, the observations and the
    population weights are each read in one query, so a dashboard of forty metrics costs a handful."""
    if not wanted:
        return []
    country = Area.objects.filter(kind=AreaKind.COUNTRY).first()
    spans = _member_spans(area)
    municipality_ids = {member.pk for member, _first, _last in spans}
    area_ids = municipality_ids | {area.pk} | {a.pk for a in others} | ({country.pk} if country else set())
    observations = Observation.objects.filter(
        indicator__in={indicator.pk for indicator, _ in wanted}, gender=gender, classification="", area_id__in=area_ids
    )
    if years:
        observations = observations.filter(year__in=years)
    values: dict[int, dict[int, dict[int, float | None]]] = defaultdict(lambda: defaultdict(dict))
    absolute: dict[int, dict[int, dict[int, float | None]]] = defaultdict(lambda: defaultdict(dict))
    for indicator_id, area_id, year, value, absolute_value in _rows(
        observations.values_list("indicator_id", "area_id", "year", "value", "absolute_value")
    ):
        values[indicator_id][area_id][year] = value
        absolute[indicator_id][area_id][year] = absolute_value
    weighted = any(rule == Aggregation.POPULATION_WEIGHTED_MEAN for _, rule in wanted)
    all_years = sorted({y for by_area in values.values() for by_year in by_area.values() for y in by_year})
    weights = _population_weights(municipality_ids, all_years) if weighted else {}
    members = {year: _members_in(spans, year) for year in all_years}  # the same for every indicator
    return [
        _one_series(
            indicator,
            rule,
            area=area,
            country=country,
            spans=spans,
            values=values.get(indicator.pk, {}),
            absolute=absolute.get(indicator.pk, {}),
            weights=weights if rule == Aggregation.POPULATION_WEIGHTED_MEAN else {},
            members_of_year=members,
        )
        for indicator, rule in wanted
    ]


def _rows(queryset: QuerySet[Observation, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query straight from the database cursor: for the tens of thousands of
    observations of a dashboard, Django's row-by-row iteration cost more than the query itself."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _one_series(
    indicator: Indicator,
    rule: str,
    *,
    area: Area,
    country: Area | None,
    spans: list[tuple[Area, int | None, int | None]],
    values: dict[int, dict[int, float | None]],
    absolute: dict[int, dict[int, float | None]],
    weights: dict[tuple[int, int], float | None],
    members_of_year: dict[int, list[Area]] | None = None,
) -> RegionSeries:
    years_with_data = sorted({y for by_year in values.values() for y in by_year})
    merged_ids = {member.pk for member, _, _ in spans if member.valid_to is not None and not values.get(member.pk)}
    merged = sorted({member.pk: member for member, _, _ in spans if member.pk in merged_ids}.values(), key=_code)
    known = members_of_year or {}
    members_by_year = {year: known[year] if year in known else _members_in(spans, year) for year in years_with_data}
    if merged_ids:
        members_by_year = {y: [m for m in ms if m.pk not in merged_ids] for y, ms in members_by_year.items()}
    # The years mostly share one list of members: each distinct list is read once, its areas by id (hashing
    # model instances cost more than the whole series of forty indicators).
    distinct = {id(ms): ms for ms in members_by_year.values()}.values()
    series = RegionSeries(
        indicator=indicator,
        area=area,
        country=country,
        years=years_with_data,
        municipalities=sorted({m.pk: m for ms in distinct for m in ms}.values(), key=_code),
        values={area_id: dict(by_year) for area_id, by_year in values.items()},
        merged=merged,
    )
    for year in years_with_data:
        members = members_by_year[year]
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


def _member_spans(area: Area) -> list[tuple[Area, int | None, int | None]]:
    """The municipalities that ever belong to `area`, each with the years it belongs and exists (open where None)."""
    spans = []
    for membership in AreaMembership.objects.filter(parent=area, member__kind=AreaKind.MUNICIPALITY).select_related(
        "member"
    ):
        member = membership.member
        first = max((y for y in (membership.valid_from, member.valid_from) if y is not None), default=None)
        last = min((y for y in (membership.valid_to, member.valid_to) if y is not None), default=None)
        spans.append((member, first, last))
    return spans


def _code(area: Area) -> str:
    return area.code


def _members_in(spans: list[tuple[Area, int | None, int | None]], year: int) -> list[Area]:
    """As `regions.selectors.members_of`, from spans already read."""
    found = {
        member.pk: member
        for member, first, last in spans
        if (first is None or first <= year) and (last is None or year <= last)
    }
    return sorted(found.values(), key=lambda a: a.code)


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
