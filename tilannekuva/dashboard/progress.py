"""Progress toward a target, as strategy platforms show it: the baseline (the strategy period's first value), the
latest value and the target on one bar, and the trend from the baseline to the latest value extended to the
target year (the strategy period's last year)."""

from dataclasses import dataclass

from tilannekuva.strategy.models import Direction, TargetType

from .selectors import Card

BAR = 100.0  # the bar's width in the SVG's own units


@dataclass(frozen=True)
class Progress:
    baseline: tuple[int, float]
    latest: tuple[int, float]
    target: float
    target_year: int
    projected: float | None  # the trend's value in the target year; None with one year only
    low: float
    high: float

    def at(self, value: float) -> float:
        """Where `value` sits on the bar (0–100)."""
        span = self.high - self.low or 1.0
        return round((value - self.low) / span * BAR, 1)

    @property
    def baseline_x(self) -> float:
        return self.at(self.baseline[1])

    @property
    def latest_x(self) -> float:
        return self.at(self.latest[1])

    @property
    def target_x(self) -> float:
        return self.at(self.target)

    @property
    def projected_x(self) -> float | None:
        return self.at(self.projected) if self.projected is not None else None


def target_number(card: Card) -> float | None:
    """The target as one number where it has one: a value, or the near end of a range."""
    metric = card.metric
    if metric.target_type == TargetType.VALUE and metric.target_value is not None:
        return metric.target_value
    if metric.target_type == TargetType.RANGE:
        if card.assessment.direction == Direction.LOWER_IS_BETTER and metric.target_max is not None:
            return metric.target_max
        return metric.target_min if metric.target_min is not None else metric.target_max
    return None


def progress_of(card: Card) -> Progress | None:
    """The card's progress toward its numeric target; None without a numeric target, a baseline or a value."""
    target = target_number(card)
    if target is None or card.latest is None or card.metric.kind == "yes_no":
        return None
    baseline = card.baseline or card.points[0]
    target_year = card.metric.version.period_end
    projected = None
    if card.latest[0] > baseline[0] and target_year >= card.latest[0]:
        per_year = (card.latest[1] - baseline[1]) / (card.latest[0] - baseline[0])
        projected = card.latest[1] + per_year * (target_year - card.latest[0])
    values = [baseline[1], card.latest[1], target] + ([projected] if projected is not None else [])
    low, high = min(values), max(values)
    margin = (high - low) * 0.05 or abs(high) * 0.05 or 1.0
    return Progress(baseline, card.latest, target, target_year, projected, low - margin, high + margin)
