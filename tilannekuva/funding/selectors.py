"""Reads of the funding app: the calculator's inputs from the imported figures and the data bank, and the rows
of the HYTE page and the simulator."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from tilannekuva.dashboard.providers import counties_of
from tilannekuva.databank.models import Observation
from tilannekuva.regions.models import Area, AreaKind, AreaMembership, Region, valid_in
from tilannekuva.regions.selectors import members_of

from . import calculator, parameters
from .models import EuroFigure, FigureImport, IndicatorFigure, Level

POPULATION = ("sotkanet", "127")
PART_ROWS = (IndicatorFigure.TOTAL, IndicatorFigure.PROCESS, IndicatorFigure.OUTCOME)


@dataclass
class YearData:
    """Everything known of one year and level: parameters, imported figures, residents, the pot."""

    year: int
    level: str
    parameters: parameters.HyteParameters | None
    areas: dict[str, Area]
    values: dict[str, dict[str, float | None]]  # code -> indicator -> THL's indicator value (the calculator's input)
    official_points: dict[str, dict[str, float]]  # code -> indicator, process, outcome or total -> THL's points
    official_eur: dict[str, Decimal]
    residents: dict[str, int | None]
    residents_label: str
    pot: Decimal | None
    pot_label: str
    synthetic_points: bool
    synthetic_eur: bool
    imports: list[FigureImport] = field(default_factory=list)

    @property
    def official_totals(self) -> dict[str, float]:
        return {c: p["total"] for c, p in self.official_points.items() if "total" in p}

    @property
    def has_official(self) -> bool:
        return bool(self.official_points or self.official_eur)


def years_with_figures(level: str) -> list[int]:
    years = set(IndicatorFigure.objects.filter(level=level).values_list("year", flat=True))
    years |= set(EuroFigure.objects.filter(level=level).values_list("year", flat=True))
    return sorted(years)


def default_year(level: str = Level.MUNICIPALITY) -> int | None:
    found = years_with_figures(level) or parameters.hyte_years(level)
    return found[-1] if found else None


def population(*, year: int, codes: list[str] | None = None) -> tuple[dict[str, int], int | None]:
    """The data bank's municipal population (Sotkanet 127) of `year`, or of the latest earlier year with data."""
    observations = Observation.objects.filter(
        indicator__source__key=POPULATION[0],
        indicator__external_id=POPULATION[1],
        gender="total",
        classification="",
        area__kind=AreaKind.MUNICIPALITY,
        year__lte=year,
        value__isnull=False,
    )
    latest = observations.aggregate(latest=Max("year"))["latest"]
    if latest is None:
        return {}, None
    rows = observations.filter(year=latest).values_list("area__code", "value")
    found = {code: int(value) for code, value in rows if value is not None and (codes is None or code in codes)}
    return found, latest


def _county_population(year: int) -> tuple[dict[str, int], int | None]:
    by_municipality, found_year = population(year=year)
    if found_year is None:
        return {}, None
    sums: dict[str, int] = defaultdict(int)
    memberships = AreaMembership.objects.filter(
        valid_in(year), parent__kind=AreaKind.WELLBEING_SERVICES_COUNTY, member__kind=AreaKind.MUNICIPALITY
    ).values_list("parent__code", "member__code")
    for county, municipality in memberships:
        if municipality in by_municipality:
            sums[county] += by_municipality[municipality]
    return dict(sums), found_year


def year_data(*, level: str, year: int) -> YearData:
    found = parameters.hyte(level=level, year=year)
    # Plain tuples, not model instances: a year of THL's table is thousands of rows (the benchmark's budget).
    figures = IndicatorFigure.objects.filter(level=level, year=year).values_list(
        "area_id", "indicator", "value", "points", "synthetic"
    )
    area_ids: set[int] = set()
    by_id: dict[int, dict[str, float | None]] = defaultdict(dict)
    official_by_id: dict[int, dict[str, float]] = defaultdict(dict)
    synthetic_points = False
    for area_id, indicator, value, points, synthetic in figures:
        area_ids.add(area_id)
        synthetic_points |= synthetic
        if indicator not in PART_ROWS:
            by_id[area_id][indicator] = value
        if points is not None:
            official_by_id[area_id][indicator] = points
    euros = EuroFigure.objects.filter(level=level, year=year).values_list("area_id", "eur", "residents", "synthetic")
    eur_by_id: dict[int, Decimal] = {}
    residents_by_id: dict[int, int] = {}
    synthetic_eur = False
    for area_id, eur, count, synthetic in euros:
        area_ids.add(area_id)
        eur_by_id[area_id] = eur
        synthetic_eur |= synthetic
        if count is not None:
            residents_by_id[area_id] = count
    by_pk = {a.pk: a for a in Area.objects.filter(pk__in=area_ids)}
    areas = {a.code: a for a in by_pk.values()}
    values = {by_pk[i].code: row for i, row in by_id.items()}
    official = {by_pk[i].code: row for i, row in official_by_id.items()}
    official_eur = {by_pk[i].code: eur for i, eur in eur_by_id.items()}
    residents: dict[str, int | None] = {by_pk[i].code: count for i, count in residents_by_id.items()}
    residents_label = "vm" if residents else ""
    missing = [c for c in areas if c not in residents]
    if missing:
        offset = found.residents_year_offset if found else -1
        if level == Level.MUNICIPALITY:
            from_bank, bank_year = population(year=year + offset, codes=missing)
        else:
            from_bank, bank_year = _county_population(year + offset)
        for code in missing:
            residents[code] = from_bank.get(code)
        if bank_year is not None:
            residents_label = f"databank:{bank_year}" if not residents_label else f"vm+databank:{bank_year}"
    pot, pot_label = None, ""
    if found is not None and found.pot_eur is not None:
        pot, pot_label = found.pot_eur, "parameters"
    elif official_eur:
        pot, pot_label = sum(official_eur.values(), Decimal(0)), "official"
    imports = list(FigureImport.objects.filter(level=level, year=year).order_by("-imported_at")[:10])
    return YearData(
        year=year,
        level=level,
        parameters=found,
        areas=areas,
        values=values,
        official_points=official,
        official_eur=official_eur,
        residents=residents,
        residents_label=residents_label,
        pot=pot,
        pot_label=pot_label,
        synthetic_points=synthetic_points,
        synthetic_eur=synthetic_eur,
        imports=imports,
    )


def calculate(data: YearData, changes: dict[str, dict[str, float]] | None = None) -> calculator.Calculation | None:
    """The calculator over every unit with indicator values, optionally with what-if changes."""
    if data.parameters is None or not data.values or not data.parameters.indicators:
        return None
    values = calculator.apply_changes(data.values, changes) if changes else data.values
    return calculator.calculate(parameters=data.parameters, values=values, residents=data.residents, pot=data.pot)


def partners(region: Region, *, level: str, year: int) -> list[Area]:
    """The region's municipalities in `year`, or the wellbeing services counties of those municipalities."""
    if level == Level.COUNTY:
        if region.area.kind == AreaKind.WELLBEING_SERVICES_COUNTY:
            return [region.area]
        return counties_of(region, year=year)
    if region.area.kind == AreaKind.MUNICIPALITY:
        return [region.area]
    return list(members_of(region.area, year=year))


@dataclass
class OfficialRanking:
    rank: dict[str, int | None]
    tertile: dict[str, int | None]
    count: int


def official_ranking(data: YearData) -> OfficialRanking:
    """Rank and tertile of THL's total points among every unit of the imported table."""
    totals = data.official_totals
    rank = calculator.ranks(totals)
    count = sum(1 for r in rank.values() if r is not None)
    return OfficialRanking(rank, {c: calculator.tertile(r, count) for c, r in rank.items()}, count)


@dataclass
class PartnerRow:
    area: Area
    points: float | None
    points_kind: str  # "official", "synthetic", "computed" or ""
    rank: int | None
    tertile: int | None
    eur: Decimal | None
    eur_kind: str
    residents: int | None
    eur_per_resident: Decimal | None
    difference: Decimal | None
    computed: calculator.UnitResult | None


def partner_rows(data: YearData, calculation: calculator.Calculation | None, areas: list[Area]) -> list[PartnerRow]:
    """Each partner's figures: THL's and VM's where imported (or synthetic), else the calculator's."""
    ranking = official_ranking(data)
    rows = []
    official_kind = "synthetic" if data.synthetic_points else "official"
    eur_kind = "synthetic" if data.synthetic_eur else "official"
    for area in areas:
        unit = calculation.units.get(area.code) if calculation else None
        residents = data.residents.get(area.code)
        if area.code in data.official_totals:
            points, kind = data.official_totals[area.code], official_kind
            rank, tertile = ranking.rank.get(area.code), ranking.tertile.get(area.code)
        elif unit is not None and unit.total is not None:
            points, kind, rank, tertile = unit.total, "computed", unit.rank, unit.tertile
        else:
            points, kind, rank, tertile = None, "", None, None
        if area.code in data.official_eur:
            eur, this_eur_kind = data.official_eur[area.code], eur_kind
        elif unit is not None and unit.eur is not None:
            eur, this_eur_kind = unit.eur, "computed"
        else:
            eur, this_eur_kind = None, ""
        per_resident = (eur / residents).quantize(calculator.CENT) if eur is not None and residents else None
        difference = None
        if eur is not None and unit is not None and unit.per_resident_split is not None:
            difference = eur - unit.per_resident_split
        elif eur is not None and data.pot is not None and residents and data.residents:
            total_residents = sum(r for r in data.residents.values() if r)
            difference = (eur - data.pot * residents / total_residents).quantize(calculator.CENT)
        rows.append(
            PartnerRow(area, points, kind, rank, tertile, eur, this_eur_kind, residents, per_resident, difference, unit)
        )
    return rows


@dataclass
class SimulatedRow:
    area: Area
    before: calculator.UnitResult
    after: calculator.UnitResult
    changed: bool

    @property
    def eur_change(self) -> Decimal | None:
        if self.before.eur is None or self.after.eur is None:
            return None
        return self.after.eur - self.before.eur


@dataclass
class Simulation:
    rows: list[SimulatedRow]
    ranked: int
    eur_before: Decimal | None
    eur_after: Decimal | None
    points_before: float | None
    points_after: float | None

    @property
    def eur_change(self) -> Decimal | None:
        if self.eur_before is None or self.eur_after is None:
            return None
        return self.eur_after - self.eur_before


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def simulate(data: YearData, *, code: str, changes: dict[str, float], areas: list[Area]) -> Simulation | None:
    """The calculator before and after `changes` to unit `code`, for the partners `areas` and for them together
    (points: unweighted mean; euros: sum)."""
    before = calculate(data)
    after = calculate(data, {code: changes})
    if before is None or after is None:
        return None
    rows = [
        SimulatedRow(area, before.units[area.code], after.units[area.code], area.code == code)
        for area in areas
        if area.code in before.units
    ]
    euros_before = [r.before.eur for r in rows if r.before.eur is not None]
    euros_after = [r.after.eur for r in rows if r.after.eur is not None]
    complete = bool(rows) and len(euros_before) == len(euros_after) == len(rows)
    return Simulation(
        rows=rows,
        ranked=after.ranked,
        eur_before=sum(euros_before, Decimal(0)) if complete else None,
        eur_after=sum(euros_after, Decimal(0)) if complete else None,
        points_before=_mean([r.before.total for r in rows]),
        points_after=_mean([r.after.total for r in rows]),
    )


def municipality_points() -> tuple[dict[int, dict[int, float]], bool]:
    """The dashboard's adapter (issue 16): each municipality's official HYTE total points, area id -> year ->
    points, every municipality imported, and whether any of them is synthetic."""
    figures = IndicatorFigure.objects.filter(
        level=Level.MUNICIPALITY, indicator=IndicatorFigure.TOTAL, points__isnull=False
    ).values_list("year", "area_id", "points", "synthetic")
    by_area: dict[int, dict[int, float]] = defaultdict(dict)
    synthetic = False
    for year, area_id, points, is_synthetic in figures:
        if points is not None:
            by_area[area_id][year] = points
        synthetic |= is_synthetic
    return dict(by_area), synthetic
