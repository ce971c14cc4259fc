"""The HYTE calculator: pure functions from indicator values to scaled points, rank, tertile and euros.

No database here: the selectors gather the inputs, these functions are fast enough to rerun for every
what-if (docs/FUNDING.md explains the method; the parameter files choose among its options)."""

import math
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

from .parameters import HyteParameters, Scaling

K = TypeVar("K", bound=Hashable)
CENT = Decimal("0.01")


def scale(values: Mapping[K, float | None], *, direction: str, scaling: Scaling) -> dict[K, float | None]:
    """Each unit's value on 0–100 across all units: the best value 100, the worst 0, direction respected.

    min_max: s = 100·(x − min)/(max − min), reversed where lower is better. percentile: the share of the other
    units that the unit beats, ties counted half (so equal values get equal points). A missing value stays
    missing; where every present value is the same (or there is one unit), each gets `scaling.equal_points`."""
    present = {k: v for k, v in values.items() if v is not None and math.isfinite(v)}
    scaled: dict[K, float | None] = dict.fromkeys(values)
    if not present:
        return scaled
    sign = 1.0 if direction == "higher_is_better" else -1.0
    oriented = {k: sign * v for k, v in present.items()}
    low, high = min(oriented.values()), max(oriented.values())
    if high == low:
        return {**scaled, **dict.fromkeys(present, scaling.equal_points)}
    if scaling.method == "percentile":
        ordered = sorted(oriented.values())
        n = len(ordered)
        for key, value in oriented.items():
            below = _count_below(ordered, value)
            equal = _count_below(ordered, value, inclusive=True) - below - 1
            scaled[key] = 100.0 * (below + equal / 2) / (n - 1)
        return scaled
    span = high - low
    for key, value in oriented.items():
        scaled[key] = 100.0 * (value - low) / span
    return scaled


def _count_below(ordered: list[float], value: float, *, inclusive: bool = False) -> int:
    return bisect_right(ordered, value) if inclusive else bisect_left(ordered, value)


def weighted_mean(points: Mapping[str, float | None], weights: Mapping[str, float], *, missing: str) -> float | None:
    """The weighted mean of the points; a missing point is left out ("exclude") or counts as 0 ("zero")."""
    total = weight_sum = 0.0
    for key, weight in weights.items():
        value = points.get(key)
        if value is None:
            if missing != "zero":
                continue
            value = 0.0
        total += weight * value
        weight_sum += weight
    if weight_sum == 0 or not any(points.get(k) is not None for k in weights):
        return None
    return total / weight_sum


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


def allocate(total: Decimal, weights: Mapping[K, float]) -> dict[K, Decimal]:
    """`total` shared in proportion to `weights`, to the cent, summing exactly to `total`.

    Largest remainder: every share is first rounded down to the cent, and the cents left over go one each to the
    largest remainders (ties by the order of `weights`). Exact fractions, so no float error can lose a cent.
    Where every weight is 0, the total is shared equally."""
    cents = int((total / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    keys = list(weights)
    if not keys:
        return {}
    exact_weights = [Fraction(max(weights[k], 0.0)) for k in keys]
    weight_sum = sum(exact_weights)
    if weight_sum == 0:
        exact_weights = [Fraction(1)] * len(keys)
        weight_sum = Fraction(len(keys))
    shares = [cents * w / weight_sum for w in exact_weights]
    floors = [math.floor(s) for s in shares]
    left = cents - sum(floors)
    order = sorted(range(len(keys)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return {k: Decimal(c) * CENT for k, c in zip(keys, floors, strict=True)}


@dataclass
class UnitResult:
    """One municipality's (or county's) calculated HYTE figures in one year."""

    code: str
    points: dict[str, float | None]
    process: float | None
    outcome: float | None
    total: float | None
    rank: int | None = None
    tertile: int | None = None
    residents: int | None = None
    eur: Decimal | None = None
    per_resident_split: Decimal | None = None

    @property
    def eur_per_resident(self) -> Decimal | None:
        if self.eur is None or not self.residents:
            return None
        return (self.eur / self.residents).quantize(CENT)

    @property
    def difference(self) -> Decimal | None:
        """The real reward or penalty: € against a plain per-resident split of the same pot."""
        if self.eur is None or self.per_resident_split is None:
            return None
        return self.eur - self.per_resident_split


@dataclass
class Calculation:
    parameters: HyteParameters
    units: dict[str, UnitResult]
    pot: Decimal | None
    ranked: int
    notes: list[str] = field(default_factory=list)


def calculate(
    *,
    parameters: HyteParameters,
    values: Mapping[str, Mapping[str, float | None]],
    residents: Mapping[str, int | None],
    pot: Decimal | None,
) -> Calculation:
    """Points, rank, tertile and euros of every unit in `values` (code -> indicator id -> raw value).

    The units in `values` are the whole comparison group (all municipalities, or all counties): scaling, ranks
    and tertiles are relative to them. Euros need a pot and each unit's residents."""
    codes = list(values)
    points: dict[str, dict[str, float | None]] = {code: {} for code in codes}
    for indicator in parameters.indicators:
        column = {code: values[code].get(indicator.id) for code in codes}
        for code, scaled in scale(column, direction=indicator.direction, scaling=parameters.scaling).items():
            points[code][indicator.id] = scaled
    weights = {
        part: {i.id: i.weight for i in parameters.indicators if i.part == part} for part in ("process", "outcome")
    }
    units: dict[str, UnitResult] = {}
    for code in codes:
        process = weighted_mean(points[code], weights["process"], missing=parameters.scaling.missing)
        outcome = weighted_mean(points[code], weights["outcome"], missing=parameters.scaling.missing)
        parts = {"process": process, "outcome": outcome}
        total = weighted_mean(parts, parameters.part_weights, missing="exclude") if parameters.indicators else None
        units[code] = UnitResult(
            code=code, points=points[code], process=process, outcome=outcome, total=total, residents=residents.get(code)
        )
    rank_of = ranks({code: unit.total for code, unit in units.items()})
    ranked = sum(1 for r in rank_of.values() if r is not None)
    for code, unit in units.items():
        unit.rank = rank_of[code]
        unit.tertile = tertile(unit.rank, ranked)
    notes = []
    if pot is not None:
        payable = {code: unit for code, unit in units.items() if unit.residents}
        if len(payable) < len(units):
            notes.append("residents-missing")
        by_residents = {code: float(unit.residents or 0) for code, unit in payable.items()}
        if parameters.euro_formula == "per_resident" or ranked == 0:
            by_points = by_residents
        else:
            by_points = {code: float(unit.residents or 0) * (unit.total or 0.0) for code, unit in payable.items()}
        euros = allocate(pot, by_points)
        plain = allocate(pot, by_residents)
        for code, unit in payable.items():
            unit.eur = euros[code]
            unit.per_resident_split = plain[code]
    return Calculation(parameters=parameters, units=units, pot=pot, ranked=ranked, notes=notes)


def apply_changes(
    values: Mapping[str, Mapping[str, float | None]], changes: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, float | None]]:
    """A copy of `values` with each change (code -> indicator -> amount) added to the unit's value; a change to
    a missing value is refused by the caller (there is nothing to add to)."""
    changed = {code: dict(row) for code, row in values.items()}
    for code, deltas in changes.items():
        for indicator_id, delta in deltas.items():
            current = changed.get(code, {}).get(indicator_id)
            if current is not None:
                changed[code][indicator_id] = current + delta
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
        if unit.total is not None and code in official_points:
            point_diffs[code] = unit.total - official_points[code]
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
