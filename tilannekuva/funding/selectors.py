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

from . import calculator, parameters, vitality
from .models import EuroFigure, FigureImport, IndicatorFigure, Level

POPULATION = ("sotkanet", "127")
PART_ROWS = (IndicatorFigure.TOTAL, IndicatorFigure.PROCESS, IndicatorFigure.OUTCOME)


@dataclass
class YearData:
    """Everything known of one year and level: parameters, imported figures, residents."""

    year: int
    level: str
    parameters: parameters.HyteParameters | None
    areas: dict[str, Area]
    values: dict[str, dict[str, float | None]]  # code -> indicator -> THL's indicator value (the calculator's input)
    official_points: dict[str, dict[str, float]]  # code -> indicator, process, outcome or total -> THL's points
    official_eur: dict[str, Decimal]
    residents: dict[str, int | None]
    residents_label: str
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
        offset = found.residents_year_offset if found else -2
        if level == Level.MUNICIPALITY:
            from_bank, bank_year = population(year=year + offset, codes=missing)
        else:
            from_bank, bank_year = _county_population(year + offset)
        for code in missing:
            residents[code] = from_bank.get(code)
        if bank_year is not None:
            residents_label = f"databank:{bank_year}" if not residents_label else f"vm+databank:{bank_year}"
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
        synthetic_points=synthetic_points,
        synthetic_eur=synthetic_eur,
        imports=imports,
    )


def calculate(data: YearData, changes: dict[str, dict[str, float]] | None = None) -> calculator.Calculation | None:
    """The calculator over every unit with indicator values, optionally with what-if changes."""
    if data.parameters is None or not data.values or not data.parameters.indicators:
        return None
    values = calculator.apply_changes(data.values, changes) if changes else data.values
    return calculator.calculate(parameters=data.parameters, values=values, residents=data.residents)


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
        elif unit is not None:
            computed_kind = "synthetic" if data.synthetic_points else "computed"
            points, kind, rank, tertile = unit.total, computed_kind, unit.rank, unit.tertile
        else:
            points, kind, rank, tertile = None, "", None, None
        if area.code in data.official_eur:
            eur, this_eur_kind = data.official_eur[area.code], eur_kind
        elif unit is not None and unit.eur is not None:
            eur, this_eur_kind = unit.eur, "synthetic" if data.synthetic_points else "computed"
        else:
            eur, this_eur_kind = None, ""
        per_resident = (eur / residents).quantize(calculator.CENT) if eur is not None and residents else None
        difference = None
        if eur is not None and unit is not None and unit.per_resident_split is not None:
            difference = eur - unit.per_resident_split
        rows.append(
            PartnerRow(area, points, kind, rank, tertile, eur, this_eur_kind, residents, per_resident, difference, unit)
        )
    return rows


# --- Per-municipality figures: what the dashboard cards and other apps read ---------------------------------

THIRD_NAMES = {1: "paras kolmannes", 2: "keskimmäinen kolmannes", 3: "heikoin kolmannes"}


@dataclass
class MunicipalityFigure:
    """One municipality's HYTE figures in one state-aid year: THL's and VM's where imported, else the
    calculator's; `kind` and `eur_kind` say which ("official", "synthetic", "computed")."""

    area: Area
    year: int
    points: float  # 0–100, the mean of the process mean and the outcome mean
    kind: str
    rank: int | None  # among all municipalities with points, 1 = best
    of: int
    tertile: int | None
    coefficient: float | None
    residents: int | None
    eur: Decimal | None
    eur_kind: str

    @property
    def eur_per_resident(self) -> Decimal | None:
        if self.eur is None or not self.residents:
            return None
        return (self.eur / self.residents).quantize(calculator.CENT)

    @property
    def synthetic(self) -> bool:
        return "synthetic" in (self.kind, self.eur_kind)


def municipality_figures(year: int) -> dict[str, MunicipalityFigure]:
    """Every municipality's HYTE figures of `year` (code -> figures): points, rank among all, coefficient,
    euros and residents. Empty where nothing has been imported for the year."""
    data = year_data(level=Level.MUNICIPALITY, year=year)
    calculation = calculate(data)
    points: dict[str, tuple[float, str]] = {}
    official_kind = "synthetic" if data.synthetic_points else "official"
    for code, total in data.official_totals.items():
        points[code] = (total, official_kind)
    if calculation is not None:
        for code, unit in calculation.units.items():
            points.setdefault(code, (unit.score, "synthetic" if data.synthetic_points else "computed"))
    scores = {code: value for code, (value, _kind) in points.items()}
    mean = calculator.national_mean(scores, data.residents, weighted=True)
    rank = calculator.ranks(scores)
    count = len(scores)
    eur_kind = "synthetic" if data.synthetic_eur else "official"
    found = {}
    for code, (value, kind) in points.items():
        computed = calculation.units.get(code) if calculation else None
        if code in data.official_eur:
            eur, this_eur_kind = data.official_eur[code], eur_kind
        elif computed is not None and computed.eur is not None:
            eur, this_eur_kind = computed.eur, kind if kind == "synthetic" else "computed"
        else:
            eur, this_eur_kind = None, ""
        found[code] = MunicipalityFigure(
            area=data.areas[code],
            year=year,
            points=value,
            kind=kind,
            rank=rank[code],
            of=count,
            tertile=calculator.tertile(rank[code], count),
            coefficient=float(value / mean) if mean else None,
            residents=data.residents.get(code),
            eur=eur,
            eur_kind=this_eur_kind,
        )
    return found


def municipality_figure(code: str, *, year: int) -> MunicipalityFigure | None:
    return municipality_figures(year).get(code)


@dataclass
class RegionFigure:
    """A region's HYTE figures: its municipalities' population-weighted mean points and coefficient, ranked
    among all municipalities (the "best third" target), and their euros together."""

    year: int
    points: float
    rank: int
    of: int
    tertile: int | None
    coefficient: float | None
    eur: Decimal | None
    residents: int
    synthetic: bool
    peers: list[float]  # every municipality's points: the "best third" comparison

    @property
    def eur_per_resident(self) -> Decimal | None:
        if self.eur is None or not self.residents:
            return None
        return (self.eur / self.residents).quantize(calculator.CENT)

    @property
    def rank_text(self) -> str:
        """As the card says it: "sija 25/309, paras kolmannes" (Finnish, the data's language)."""
        third = THIRD_NAMES.get(self.tertile or 0, "")
        return f"sija {self.rank}/{self.of}" + (f", {third}" if third else "")


def region_figure(region: Region, *, year: int) -> RegionFigure | None:
    """The region's (or the one municipality's) HYTE figures in `year`, None where there are none."""
    figures = municipality_figures(year)
    if region.area.kind == AreaKind.MUNICIPALITY:
        members = [region.area.code]
    else:
        members = [a.code for a in members_of(region.area, year=year)]
    own = [figures[c] for c in members if c in figures]
    if not own:
        return None
    weights = [f.residents or 0 for f in own]
    if sum(weights) > 0:
        points = sum(f.points * w for f, w in zip(own, weights, strict=True)) / sum(weights)
    else:
        points = sum(f.points for f in own) / len(own)
    peers = [f.points for f in figures.values()]
    rank = 1 + sum(1 for p in peers if p > points)
    coefficients = [(f.coefficient, f.residents or 0) for f in own if f.coefficient is not None]
    coefficient = None
    if coefficients and sum(w for _c, w in coefficients) > 0:
        coefficient = sum(c * w for c, w in coefficients) / sum(w for _c, w in coefficients)
    euros = [f.eur for f in own if f.eur is not None]
    return RegionFigure(
        year=year,
        points=points,
        rank=rank,
        of=len(peers),
        tertile=calculator.tertile(rank, len(peers)),
        coefficient=coefficient,
        eur=sum(euros, Decimal(0)) if len(euros) == len(own) else None,
        residents=sum(weights),
        synthetic=any(f.synthetic for f in own),
        peers=peers,
    )


def county_per_resident_rows(region: Region, *, year: int) -> list[PartnerRow]:
    """The region's wellbeing services counties' HYTE share where it is paid per resident (2023–2025, laki
    617/2021 33 §): base price × residents, computed from the data bank's population; empty otherwise."""
    found = parameters.hyte(level=Level.COUNTY, year=year)
    if found is None or found.uses_coefficient or found.base_price is None:
        return []
    counties = partners(region, level=Level.COUNTY, year=year)
    by_municipality, _found_year = population(year=year + found.residents_year_offset)
    members = AreaMembership.objects.filter(
        valid_in(year), parent__in=counties, member__kind=AreaKind.MUNICIPALITY
    ).values_list("parent__code", "member__code")
    residents: dict[str, int] = defaultdict(int)
    for county, municipality in members:
        residents[county] += by_municipality.get(municipality, 0)
    rows = []
    for area in counties:
        people = residents.get(area.code) or None
        eur = (found.base_price * people).quantize(calculator.CENT) if people else None
        per_resident = found.base_price if people else None
        rows.append(
            PartnerRow(area, None, "", None, None, eur, "computed" if eur else "", people, per_resident, None, None)
        )
    return rows


@dataclass
class MunicipalityVitality:
    """One municipality's vitality index in its latest year with a score: each dimension's z-score (None where
    the dimension has no score) and the composite (None unless enough dimensions have one)."""

    code: str
    year: int | None
    scores: dict[str, float | None]
    composite: float | None
    statuses: dict[str, vitality.DimensionStatus]


def municipality_vitality(
    code: str, *, reference: str | None = None, dimension_set: str | None = None
) -> MunicipalityVitality:
    """The vitality index of municipality `code` (on the current division) against the reference."""
    result = vitality.compute(reference=reference, dimension_set=dimension_set)
    by_year = result.scores.get(code, {})
    year = max(by_year, default=None)
    dimensions = result.dimension_set.dimensions
    scores = {k: by_year.get(year, {}).get(k) if year else None for k in dimensions}
    composite = result.composite.get(code, {}).get(year) if year else None
    return MunicipalityVitality(code, year, scores, composite, result.statuses)
