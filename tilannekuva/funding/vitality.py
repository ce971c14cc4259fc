"""The vitality index, computed like Kuntaliitto's elinvoimaindikaattori from the data bank's series.

For every municipality of the current division and every dimension: the change between two consecutive data
points, its sign flipped where lower is better, z-standardised against the reference (all municipalities of
Finland, or those of the same maakunta); the composite is the equal-weight mean of the set's dimensions. A
dimension without data, or whose data does not cover the reference, is missing, never filled in."""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q

from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.regions.models import Area, AreaKind, AreaMembership

from . import parameters as params

Series = dict[str, dict[int, float]]  # municipality code -> year -> value


@dataclass
class DimensionStatus:
    dimension: params.Dimension
    source: tuple[str, str] | None  # the data-bank series used, None where no input has values
    years: list[int] = field(default_factory=list)  # years with a z-score
    reason: str = ""  # why a dimension or a year is missing ("no-data", "one-point", "reference-incomplete")
    indicator: Indicator | None = None  # the series' indicator: its title, producer and vintage for the page
    points: list[int] = field(default_factory=list)  # the years with data (two are needed for a change)


@dataclass
class VitalityResult:
    reference: str
    dimension_set: params.DimensionSet
    statuses: dict[str, DimensionStatus]
    scores: dict[str, dict[int, dict[str, float]]]  # code -> year -> dimension -> z
    composite: dict[str, dict[int, float]]  # code -> year -> composite
    municipalities: dict[str, Area]
    maakunta_of: dict[str, str]

    @property
    def years(self) -> list[int]:
        found = {y for status in self.statuses.values() for y in status.years}
        return sorted(found)

    def region_mean(self, codes: list[str], *, component: str | None = None) -> dict[int, tuple[float, int]]:
        """The unweighted mean over `codes` per year (with how many municipalities had a value)."""
        means: dict[int, tuple[float, int]] = {}
        for year in self.years:
            values = []
            for code in codes:
                if component is None:
                    value = self.composite.get(code, {}).get(year)
                else:
                    value = self.scores.get(code, {}).get(year, {}).get(component)
                if value is not None:
                    values.append(value)
            if values:
                means[year] = (sum(values) / len(values), len(values))
        return means


def current_municipalities() -> dict[str, Area]:
    """The municipalities of the current division (no end year)."""
    return {a.code: a for a in Area.objects.filter(kind=AreaKind.MUNICIPALITY, valid_to__isnull=True)}


def _maakunta_of(codes: set[str]) -> dict[str, str]:
    rows = AreaMembership.objects.filter(
        valid_to__isnull=True, parent__kind=AreaKind.MAAKUNTA, member__kind=AreaKind.MUNICIPALITY
    ).values_list("member__code", "parent__code")
    return {member: parent for member, parent in rows if member in codes}


def find_indicator(source_key: str, indicator_id: str) -> Indicator | None:
    """The data bank's indicator by the id a user gave it: `import file` stores the id as the indicator's
    external id, `import statfin --indicator-id X` keeps the table's own id and the given name as
    `metadata.key`; either is found."""
    named = Q(external_id=indicator_id) | Q(metadata__key=indicator_id)
    found = Indicator.objects.filter(named, source__key=source_key).select_related("source")
    return min(found, key=lambda i: i.external_id != indicator_id, default=None)


def load_series(source_key: str, indicator_id: str) -> Series:
    indicator = find_indicator(source_key, indicator_id)
    if indicator is None:
        return {}
    rows = Observation.objects.filter(
        indicator=indicator,
        gender="total",
        classification="",
        area__kind=AreaKind.MUNICIPALITY,
        value__isnull=False,
    ).values_list("area__code", "year", "value")
    series: Series = defaultdict(dict)
    for code, year, value in rows:
        if value is not None:
            series[code][year] = value
    return dict(series)


def find_indicators(candidates: list[tuple[str, str]]) -> dict[tuple[str, str], Indicator]:
    """`find_indicator` of many (source key, id) pairs in one query, with the same preference: the external id
    before `metadata.key`."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for source_key, indicator_id in candidates:
        wanted[source_key].add(indicator_id)
    if not wanted:
        return {}
    condition = Q()
    for source_key, ids in wanted.items():
        named = Q(external_id__in=sorted(ids)) | Q(metadata__key__in=sorted(ids))
        condition |= Q(named, source__key=source_key)
    found: dict[tuple[str, str], Indicator] = {}
    for indicator in Indicator.objects.filter(condition).select_related("source"):
        key = indicator.metadata.get("key") if isinstance(indicator.metadata, dict) else None
        for given in {indicator.external_id, key} & wanted[indicator.source.key]:
            pair = (indicator.source.key, str(given))
            if pair not in found or indicator.external_id == given:
                found[pair] = indicator
    return found


def load_many(
    candidates: list[tuple[str, str]],
) -> tuple[dict[tuple[str, str], Series], dict[tuple[str, str], Indicator]]:
    """`load_series` of many data-bank series at once, and their indicators: the indicators in one query, their
    observations in one, the municipalities' codes in one (issue 19: twenty queries with a join on every row made
    the uncached dashboard wait for the vitality index). Series without values are left out."""
    indicators = find_indicators(candidates)
    if not indicators:
        return {}, {}
    pairs_of: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pair, indicator in indicators.items():
        pairs_of[indicator.pk].append(pair)
    codes = dict(Area.objects.filter(kind=AreaKind.MUNICIPALITY).values_list("pk", "code"))
    rows = Observation.objects.filter(
        indicator_id__in=sorted(pairs_of), gender="total", classification="", value__isnull=False
    ).values_list("indicator_id", "area_id", "year", "value")
    sql, sql_params = rows.query.sql_with_params()
    by_indicator: dict[int, Series] = {}
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, sql_params)
        for indicator_id, area_id, year, value in cursor.fetchall():
            code = codes.get(area_id)
            if code is not None and value is not None:
                by_indicator.setdefault(indicator_id, {}).setdefault(code, {})[year] = value
    series = {pair: by_indicator[pk] for pk, pairs in pairs_of.items() if pk in by_indicator for pair in pairs}
    return series, indicators


def restate(series: Series, *, merges: tuple[params.Merge, ...], rule: str, population: Series) -> Series:
    """`series` on the current division: before each merger, the merged municipality's values are combined into
    the one it joined (a sum for counts, a population-weighted mean for ratios); a year where a part is missing
    is left missing."""
    restated = {code: dict(years) for code, years in series.items()}
    for merge in merges:
        if merge.from_code not in restated:
            continue  # a series without the merged municipality is already on the current division
        merged = restated.pop(merge.from_code, {})
        into = restated.setdefault(merge.into_code, {})
        for year in list(into):
            if year >= merge.year:
                continue
            a, b = into[year], merged.get(year)
            if b is None:
                del into[year]
                continue
            if rule == "sum":
                into[year] = a + b
            else:
                wa = population.get(merge.into_code, {}).get(year)
                wb = population.get(merge.from_code, {}).get(year)
                if not wa or not wb:
                    del into[year]
                    continue
                into[year] = (a * wa + b * wb) / (wa + wb)
    return restated


def changes(series: Series, *, change: str, direction: str) -> dict[str, dict[int, float]]:
    """code -> year -> the change from the previous data point to this one, oriented so that higher is better."""
    sign = 1.0 if direction == "higher_is_better" else -1.0
    found: dict[str, dict[int, float]] = {}
    for code, by_year in series.items():
        years = sorted(by_year)
        found[code] = {}
        for previous, year in zip(years, years[1:], strict=False):
            before, after = by_year[previous], by_year[year]
            if change == "percent":
                if before == 0:
                    continue
                delta = 100.0 * (after - before) / before
            else:
                delta = after - before
            found[code][year] = sign * delta
    return found


def standardise(
    deltas: dict[str, dict[int, float]], *, groups: dict[str, list[str]], min_share: float
) -> tuple[dict[str, dict[int, float]], list[int]]:
    """z = (Δ − mean) / standard deviation over the reference group, per year; a group whose members have a Δ
    for less than `min_share` of them gets no z that year. Where every Δ is the same, z is 0."""
    years = sorted({y for by_year in deltas.values() for y in by_year})
    scores: dict[str, dict[int, float]] = defaultdict(dict)
    years_done = set()
    for year in years:
        for members in groups.values():
            present = {c: deltas[c][year] for c in members if year in deltas.get(c, {})}
            if not members or len(present) < min_share * len(members) or len(present) < 2:
                continue
            mean = statistics.fmean(present.values())
            spread = statistics.pstdev(present.values())
            for code, value in present.items():
                scores[code][year] = 0.0 if spread == 0 or not math.isfinite(spread) else (value - mean) / spread
            years_done.add(year)
    return dict(scores), sorted(years_done)


def compute(*, reference: str | None = None, dimension_set: str | None = None) -> VitalityResult:
    config = params.vitality()
    reference = reference or config.default_reference
    chosen = config.sets[dimension_set or config.default_set]
    municipalities = current_municipalities()
    codes = set(municipalities)
    maakunta_of = _maakunta_of(codes)
    if reference == "maakunta":
        groups: dict[str, list[str]] = defaultdict(list)
        for code in sorted(codes):
            groups[maakunta_of.get(code, "")].append(code)
    else:
        groups = {"FI": sorted(codes)}
    population_inputs = config.dimensions["vaestoindeksi"].inputs if "vaestoindeksi" in config.dimensions else ()
    loaded, indicators = load_many(
        [*population_inputs, *(c for key in chosen.dimensions for c in config.dimensions[key].inputs)]
    )
    population: Series = {}
    for candidate in population_inputs:
        population = loaded.get(candidate, {})
        if population:
            break
    statuses: dict[str, DimensionStatus] = {}
    scores: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for key in chosen.dimensions:
        dimension = config.dimensions[key]
        series, source = {}, None
        for candidate in dimension.inputs:
            series = loaded.get(candidate, {})
            if series:
                source = candidate
                break
        status = DimensionStatus(dimension=dimension, source=source)
        statuses[key] = status
        if not series:
            status.reason = "no-data"
            continue
        status.indicator = indicators.get(source) if source else None
        status.points = sorted({y for by_year in series.values() for y in by_year})
        if len(status.points) < 2:
            status.reason = "one-point"
            continue
        restated = restate(series, merges=config.merges, rule=dimension.merge, population=population)
        restated = {c: v for c, v in restated.items() if c in codes}
        deltas = changes(restated, change=dimension.change, direction=dimension.direction)
        z, years = standardise(deltas, groups=dict(groups), min_share=config.min_reference_share)
        status.years = years
        if not years:
            status.reason = "reference-incomplete"
        for code, by_year in z.items():
            for year, value in by_year.items():
                scores[code][year][key] = value
    needed = config.min_dimensions or len(chosen.dimensions)
    composite: dict[str, dict[int, float]] = defaultdict(dict)
    for code, years_scored in scores.items():
        for year, by_dimension in years_scored.items():
            if len(by_dimension) >= needed:
                composite[code][year] = sum(by_dimension.values()) / len(by_dimension)
    return VitalityResult(
        reference=reference,
        dimension_set=chosen,
        statuses=statuses,
        scores={c: dict(v) for c, v in scores.items()},
        composite=dict(composite),
        municipalities=municipalities,
        maakunta_of=maakunta_of,
    )
