"""Gaps between areas and population groups (seeds 002 and 004: "kavennetaan terveyseroja"), computed only from
real observations: the best and the worst municipality, women and men, the groups of a breakdown (age, education),
each year, with the trend of the gap. Where a gap cannot be computed the result says why. Pure functions."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

HIGHER, LOWER = "higher_is_better", "lower_is_better"
AGE = re.compile(r"^\s*\d+\s*([–-]\s*\d+|\+)|vuotia|years|år", re.IGNORECASE)


@dataclass
class GapPoint:
    """One year's gap: `high` is the better end where the direction is known (else the larger value)."""

    year: int
    high_label: str
    high_value: float
    low_label: str
    low_value: float
    count: int  # how many areas or groups had a value

    @property
    def gap(self) -> float:
        return abs(self.high_value - self.low_value)

    @property
    def ratio(self) -> float | None:
        """The larger value as a multiple of the smaller, where both are positive."""
        small, large = sorted((self.high_value, self.low_value))
        return large / small if small > 0 else None


@dataclass
class Trend:
    first: GapPoint
    last: GapPoint

    @property
    def change(self) -> float:
        return self.last.gap - self.first.gap

    @property
    def word(self) -> str:
        """widening, narrowing or unchanged (a change under 1 % of the first gap counts as unchanged)."""
        tolerance = abs(self.first.gap) * 0.01
        if abs(self.change) <= tolerance:
            return "unchanged"
        return "widening" if self.change > 0 else "narrowing"


@dataclass
class GapSeries:
    kind: str  # "municipalities", "gender" or "groups"
    points: list[GapPoint] = field(default_factory=list)
    reason: str = ""  # why there are no points
    group_kind: str = ""  # for "groups": "age" or "other"

    @property
    def computed(self) -> bool:
        return bool(self.points)

    @property
    def latest(self) -> GapPoint | None:
        return self.points[-1] if self.points else None

    @property
    def trend(self) -> Trend | None:
        return Trend(self.points[0], self.points[-1]) if len(self.points) >= 2 else None


def extremes(year: int, values: dict[str, float], *, direction: str) -> GapPoint:
    """The two ends of `values` (label → value): best and worst by `direction`, else the largest and smallest."""
    ordered = sorted(values.items(), key=lambda item: (item[1], item[0]))
    (low_label, low), (high_label, high) = ordered[0], ordered[-1]
    if direction == LOWER:
        (high_label, high), (low_label, low) = (low_label, low), (high_label, high)
    return GapPoint(year, high_label, high, low_label, low, len(values))


def series_of(
    kind: str, by_year: dict[int, dict[str, float]], *, direction: str, minimum: int = 2, reason: str = ""
) -> GapSeries:
    """A gap per year from each year's values by label; a year with fewer than `minimum` values is left out."""
    points = [
        extremes(year, values, direction=direction)
        for year, values in sorted(by_year.items())
        if len(values) >= minimum
    ]
    if points:
        return GapSeries(kind, points)
    return GapSeries(kind, reason=reason or str(_("Fewer than two values in every year: no gap to compute.")))


def group_kind(labels: list[str]) -> str:
    return "age" if labels and all(AGE.search(label) for label in labels) else "other"
