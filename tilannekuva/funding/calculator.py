"""The HYTE calculator: VNA 1393/2022 3 § (and VNA 1392/2022 3 § for the counties) as pure functions.

1. Process points: each process indicator gives 0 or 100 points by the annex's answer rules (liite 1).
2. Outcome points: the difference of the two latest years, oriented so that an improvement is positive, scaled
   to 0–100 over all units (min–max: the best change 100, the worst 0; docs/FUNDING.md says why); a unit whose
   value is already at the indicator's target gets 100 (3 § 4 mom).
3. A figure that is missing gets the lowest possible value, 0 points (laki 618/2021 15 § 3 mom).
4. The unit's score = the mean of its process mean and its outcome mean; its coefficient = the score divided by
   the national population-weighted mean of the scores (3 § 5 mom).
5. € = base price × residents × coefficient (laki 618/2021 15 § 1 mom), to the cent.

Exact fractions for the national mean and the euros: with every unit equal, every coefficient is exactly 1 and
the national sum exactly base price × population. No database here: the selectors gather the inputs."""

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

from .parameters import HyteParameters, Indicator

K = TypeVar("K", bound=Hashable)
CENT = Decimal("0.01")
PREVIOUS = ".previous"  # an outcome indicator's value of the earlier of the two latest years: "O2.previous"

Values = Mapping[str, Mapping[str, float | None]]  # code -> indicator id (or id + PREVIOUS) -> value


def process_points(value: float | None) -> float:
    """0 or 100 as the annex scores it; a value between (a county's percentage) counts as itself; missing is 0."""
    if value is None or not math.isfinite(value):
        return 0.0
    return min(max(float(value), 0.0), 100.0)


def at_target(indicator: Indicator, latest: float) -> bool:
    if indicator.target is None:
        return False
    if indicator.direction == "lower_is_better":
        return latest <= indicator.target
    return latest >= indicator.target


def outcome_points(indicator: Indicator, values: Values) -> dict[str, float]:
    """Each unit's points for one outcome indicator: the oriented two-year difference scaled min–max to 0–100
    over the units that have both years; at target 100; a unit without both years 0 (the lowest value)."""
    sign = 1.0 if indicator.direction == "higher_is_better" else -1.0
    differences: dict[str, float] = {}
    latest_of: dict[str, float] = {}
    for code, row in values.items():
        latest, previous = row.get(indicator.id), row.get(indicator.id + PREVIOUS)
        if latest is None or previous is None or not (math.isfinite(latest) and math.isfinite(previous)):
            continue
        differences[code] = sign * (latest - previous)
        latest_of[code] = latest
    points = dict.fromkeys(values, 0.0)
    if differences:
        low, high = min(differences.values()), max(differences.values())
        for code, difference in differences.items():
            points[code] = 100.0 if high == low else 100.0 * (difference - low) / (high - low)
    for code, latest in latest_of.items():
        if at_target(indicator, latest):
            points[code] = 100.0
    return points


def ranks(totals: Mapping[K, float | None]) -> dict[K, int | None]:
    """1 = best; equal totals share the best rank of their group (1, 2, 2, 4); units without points are unranked."""
    present = sorted((v for v in totals.values() if v is not None), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(present, start=1):
        first.setdefault(value, position)
    return {k: (first[v] if v is not None else None) for k, v in totals.items()}


def tertile(rank: int | None, count: int) -> int | None:
    """1 = the best third, 2 = the middle, 3 = the weakest; by rank, so tied units share their third."""
    if rank is None or count <= 0:
        return None
    return 1 + (3 * (rank - 1)) // count


def to_cents(value: Fraction | Decimal) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class UnitResult:
    """One municipality's (or county's) calculated HYTE figures in one year."""

    code: str
    points: dict[str, float]
    process: float | None
    outcome: float | None
    score: float
    coefficient: float | None = None
    rank: int | None = None
    tertile: int | None = None
    residents: int | None = None
    eur: Decimal | None = None
    missing: list[str] = field(default_factory=list)  # indicator ids that got the lowest value for want of data
    per_resident_split: Decimal | None = None  # base price × residents: the euros with a coefficient of 1

    @property
    def total(self) -> float:
        """The score on 0–100 (the mean of the part means): what THL's tables call the total points."""
        return self.score

    @property
    def eur_per_resident(self) -> Decimal | None:
        if self.eur is None or not self.residents:
            return None
        return (self.eur / self.residents).quantize(CENT)

    @property
    def difference(self) -> Decimal | None:
        """The real reward or penalty: € against the same base price with a coefficient of 1."""
        if self.eur is None or self.per_resident_split is None:
            return None
        return self.eur - self.per_resident_split


@dataclass
class Calculation:
    parameters: HyteParameters
    units: dict[str, UnitResult]
    national_mean: float | None
    ranked: int
    total_eur: Decimal | None = None
    total_residents: int = 0
    notes: list[str] = field(default_factory=list)


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def national_mean(
    scores: Mapping[str, float], residents: Mapping[str, int | None], *, weighted: bool
) -> Fraction | None:
    """The national mean of the scores: weighted by residents (3 § 5 mom), over the units with residents; the
    plain mean where no unit has residents or the rule is unweighted. Exact."""
    if weighted:
        weights = {c: residents.get(c) or 0 for c in scores}
        total = sum(weights.values())
        if total > 0:
            return sum((Fraction(scores[c]) * w for c, w in weights.items()), Fraction(0)) / total
    if not scores:
        return None
    return sum((Fraction(s) for s in scores.values()), Fraction(0)) / len(scores)


def calculate(*, parameters: HyteParameters, values: Values, residents: Mapping[str, int | None]) -> Calculation:
    """Points, score, coefficient, rank, tertile and euros of every unit in `values`: the whole country (the
    national mean, the scaling and the ranks are relative to the units given)."""
    codes = list(values)
    points: dict[str, dict[str, float]] = {code: {} for code in codes}
    missing: dict[str, list[str]] = {code: [] for code in codes}
    for indicator in parameters.part("process"):
        for code in codes:
            value = values[code].get(indicator.id)
            if value is None:
                missing[code].append(indicator.id)
            points[code][indicator.id] = process_points(value)
    for indicator in parameters.part("outcome"):
        scaled = outcome_points(indicator, values)
        for code in codes:
            if values[code].get(indicator.id) is None or values[code].get(indicator.id + PREVIOUS) is None:
                missing[code].append(indicator.id)
            points[code][indicator.id] = scaled[code]
    units: dict[str, UnitResult] = {}
    for code in codes:
        process = _mean([points[code][i.id] for i in parameters.part("process")])
        outcome = _mean([points[code][i.id] for i in parameters.part("outcome")])
        score = _mean([p for p in (process, outcome) if p is not None]) or 0.0
        units[code] = UnitResult(
            code=code,
            points=points[code],
            process=process,
            outcome=outcome,
            score=score,
            residents=residents.get(code),
            missing=missing[code],
        )
    weighted = parameters.normalisation == "population_weighted_national_mean"
    mean = national_mean({c: u.score for c, u in units.items()}, residents, weighted=weighted)
    notes = []
    if mean is None or mean == 0:
        notes.append("national-mean-zero")
    rank_of = ranks({code: unit.score for code, unit in units.items()})
    ranked = sum(1 for r in rank_of.values() if r is not None)
    total_eur, total_residents = Decimal(0), 0
    for code, unit in units.items():
        unit.rank, unit.tertile = rank_of[code], tertile(rank_of[code], ranked)
        coefficient = Fraction(unit.score) / mean if mean else None
        unit.coefficient = float(coefficient) if coefficient is not None else None
        if parameters.base_price is None or not unit.residents:
            continue
        price = Fraction(parameters.base_price)
        unit.per_resident_split = to_cents(price * unit.residents)
        if coefficient is not None:
            unit.eur = to_cents(price * unit.residents * coefficient)
            total_eur += unit.eur
            total_residents += unit.residents
    if parameters.base_price is None:
        notes.append("base-price-unknown")
    if any(not u.residents for u in units.values()):
        notes.append("residents-missing")
    return Calculation(
        parameters=parameters,
        units=units,
        national_mean=float(mean) if mean is not None else None,
        ranked=ranked,
        total_eur=total_eur if parameters.base_price is not None else None,
        total_residents=total_residents,
        notes=notes,
    )


def apply_changes(values: Values, changes: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float | None]]:
    """A copy of `values` with each change (code -> indicator -> the new value) set: a process item's 0 or 100,
    an outcome indicator's latest value. The form checks the range before."""
    changed = {code: dict(row) for code, row in values.items()}
    for code, new_values in changes.items():
        changed.setdefault(code, {}).update(new_values)
    return changed


@dataclass
class Comparison:
    """How close the calculator comes to imported official figures of the same year."""

    compared: int
    max_points_difference: float | None
    mean_points_difference: float | None
    compared_eur: int = 0
    max_eur_difference: Decimal | None = None
    per_unit: dict[str, tuple[float | None, Decimal | None]] = field(default_factory=dict)


def compare(
    calculation: Calculation, *, official_points: Mapping[str, float], official_eur: Mapping[str, Decimal]
) -> Comparison:
    point_diffs: dict[str, float] = {}
    eur_diffs: dict[str, Decimal] = {}
    for code, unit in calculation.units.items():
        if code in official_points:
            point_diffs[code] = unit.score - official_points[code]
        if unit.eur is not None and code in official_eur:
            eur_diffs[code] = unit.eur - official_eur[code]
    absolute = [abs(d) for d in point_diffs.values()]
    return Comparison(
        compared=len(point_diffs),
        max_points_difference=max(absolute) if absolute else None,
        mean_points_difference=sum(absolute) / len(absolute) if absolute else None,
        compared_eur=len(eur_diffs),
        max_eur_difference=max((abs(d) for d in eur_diffs.values()), default=None),
        per_unit={code: (point_diffs.get(code), eur_diffs.get(code)) for code in {*point_diffs, *eur_diffs}},
    )
