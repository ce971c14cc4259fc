"""The one place for status rules: where a metric stands against its target and its own trend.

The rules, in the order they are tried (`RULES` lists them on the dashboard page, docs/DASHBOARD.md shows
them to users, and every card repeats the rule that gave its status):

1. **No data yet**: the region has no value for the metric.
2. **Not current**: the latest value is older than the metric's frequency allows (`MAX_AGE`: a yearly metric's
   value may be from the follow-up year or the year before, as statistics come a year late; a council-term
   metric's from the last four years). An old value is never on track, whatever it is.
3. A target that can be evaluated (a value with an operator, a range, or a rule: increases, decreases, stays,
   yes, in the best third among peers):
   - **on track** when the latest value meets the target;
   - **off track** when it does not and the value worsened two years in a row (the last two changes);
   - **needs attention** when it does not meet the target but did not worsen two years in a row.
4. No target that can be evaluated: **not assessed**. A change for the better or the worse is a trend, shown
   beside the status, never "on track" (without a target nothing says what "on track" would be).

"Better" follows the direction: for "lower is better" a fall is an improvement. One figure has one status: cards
that show the same figure (the same binding) take the status of the one that has a target (`one_status`).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from tilannekuva.strategy.models import Direction, Frequency, Metric, TargetRule, TargetType

# Two values closer than this (relative to their size) are "unchanged": float noise from the sources.
TOLERANCE = 1e-9
# How many years older than the follow-up year the latest value may be and still be current, by frequency.
# Statistics come a year late, so a yearly metric's value of the year before is current; a metric followed once
# per council term (four years) is current for four years; "once" never ages. Not specified: as yearly.
COUNCIL_TERM_YEARS = 4
MAX_AGE: dict[str, int | None] = {
    Frequency.YEARLY: 1,
    Frequency.TWICE_YEARLY: 1,
    Frequency.QUARTERLY: 1,
    Frequency.MONTHLY: 1,
    Frequency.COUNCIL_TERM: COUNCIL_TERM_YEARS - 1,
    Frequency.ONCE: None,
    Frequency.UNSPECIFIED: 1,
}


class Status(StrEnum):
    ON_TRACK = "on_track"
    NEEDS_ATTENTION = "needs_attention"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_CURRENT = "not_current"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def icon(self) -> str:
        """A symbol of its own for each status, so that no status is told by colour alone."""
        return STATUS_ICONS[self]


STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.NEEDS_ATTENTION: _("Needs attention"),
    Status.OFF_TRACK: _("Off track"),
    Status.NO_DATA: _("No data yet"),
    Status.NOT_CURRENT: _("Not current"),
    Status.NOT_ASSESSED: _("Not assessed"),
}
STATUS_ICONS = {
    Status.ON_TRACK: "✓",
    Status.NEEDS_ATTENTION: "!",
    Status.OFF_TRACK: "✕",
    Status.NO_DATA: "○",
    Status.NOT_CURRENT: "◷",
    Status.NOT_ASSESSED: "–",
}


class Trend(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    ROSE = "rose"  # no direction: a change that is neither better nor worse
    FELL = "fell"


@dataclass(frozen=True)
class Assessment:
    status: Status
    reason: str
    target_met: bool | None
    trend: Trend | None
    direction: str

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def icon(self) -> str:
        return self.status.icon


def effective_direction(metric: Metric, *, indicator_direction: str = Direction.NEUTRAL) -> str:
    """The metric's own direction, else the one its target implies, else its indicator's."""
    if metric.direction != Direction.NEUTRAL:
        return metric.direction
    if metric.target_type == TargetType.RULE:
        if metric.target_rule in (TargetRule.INCREASE, TargetRule.MAINTAIN, TargetRule.YES):
            return Direction.HIGHER_IS_BETTER
        if metric.target_rule == TargetRule.DECREASE:
            return Direction.LOWER_IS_BETTER
    if metric.target_type == TargetType.VALUE and metric.target_operator:
        if metric.target_operator.startswith(">"):
            return Direction.HIGHER_IS_BETTER
        if metric.target_operator.startswith("<"):
            return Direction.LOWER_IS_BETTER
    if indicator_direction in (Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER):
        return indicator_direction
    return Direction.NEUTRAL


def change_kind(before: float, after: float, *, direction: str) -> Trend:
    if abs(after - before) <= TOLERANCE * max(1.0, abs(before), abs(after)):
        return Trend.UNCHANGED
    rose = after > before
    if direction == Direction.HIGHER_IS_BETTER:
        return Trend.IMPROVED if rose else Trend.WORSENED
    if direction == Direction.LOWER_IS_BETTER:
        return Trend.WORSENED if rose else Trend.IMPROVED
    return Trend.ROSE if rose else Trend.FELL


def target_met(metric: Metric, values: list[float], *, direction: str, peers: list[float] | None = None) -> bool | None:
    """Whether the latest of `values` (oldest first) meets the metric's target; None where no target can be
    evaluated (no target, a target in words only, a trend rule with one value, best third without peers)."""
    latest = values[-1]
    if metric.target_type == TargetType.VALUE and metric.target_value is not None:
        operator = metric.target_operator or (">=" if direction != Direction.LOWER_IS_BETTER else "<=")
        return _compare(latest, operator, metric.target_value)
    if metric.target_type == TargetType.RANGE and (metric.target_min is not None or metric.target_max is not None):
        low = metric.target_min if metric.target_min is not None else float("-inf")
        high = metric.target_max if metric.target_max is not None else float("inf")
        return low <= latest <= high
    if metric.target_type == TargetType.RULE:
        return _rule_met(metric.target_rule, values, direction=direction, peers=peers)
    return None


def _compare(value: float, operator: str, target: float) -> bool | None:
    comparisons = {
        ">": value > target,
        ">=": value >= target,
        "≥": value >= target,
        "<": value < target,
        "<=": value <= target,
        "≤": value <= target,
        "=": value == target,
        "==": value == target,
    }
    return comparisons.get(operator.strip())


def _rule_met(rule: str, values: list[float], *, direction: str, peers: list[float] | None) -> bool | None:
    latest = values[-1]
    if rule == TargetRule.YES:
        return latest >= 1.0 - TOLERANCE  # yes is 1, no 0; "X / Y" organisations' yes is X / Y: every one yes
    if rule == TargetRule.BEST_THIRD:
        if not peers or direction == Direction.NEUTRAL:
            return None
        better = sum(1 for p in peers if (p > latest if direction == Direction.HIGHER_IS_BETTER else p < latest))
        return better < len(peers) / 3  # fewer than a third of the peers are better
    if len(values) < 2:
        return None
    trend = change_kind(values[-2], latest, direction=Direction.HIGHER_IS_BETTER)
    if rule == TargetRule.INCREASE:
        return trend == Trend.IMPROVED
    if rule == TargetRule.DECREASE:
        return trend == Trend.WORSENED  # measured on the higher-is-better scale: a fall
    if rule == TargetRule.MAINTAIN:
        return trend != Trend.WORSENED
    return None


def max_age(metric: Metric) -> int | None:
    """How many years before the follow-up year the latest value may be from (None: it never ages)."""
    return MAX_AGE.get(metric.frequency, 1)


def is_current(metric: Metric, *, latest_year: int, year: int) -> bool:
    """Whether a value of `latest_year` is current for the follow-up year `year`, by the metric's frequency."""
    allowed = max_age(metric)
    return allowed is None or year - latest_year <= allowed


def assess(
    metric: Metric,
    values: list[float],
    *,
    indicator_direction: str = Direction.NEUTRAL,
    peers: list[float] | None = None,
    age: int | None = None,
) -> Assessment:
    """The status of `metric` given its region's values in time order (oldest first, years with data only);
    `age` is how many years before the follow-up year the latest value is from (None: not known, as current)."""
    direction = effective_direction(metric, indicator_direction=indicator_direction)
    if not values:
        return Assessment(Status.NO_DATA, str(_("No value has been reported or imported yet.")), None, None, direction)
    changes = [change_kind(a, b, direction=direction) for a, b in zip(values, values[1:], strict=False)]
    trend = changes[-1] if changes else None
    allowed = max_age(metric)
    if age is not None and allowed is not None and age > allowed:
        stale = _(
            "Not current: the latest value is %(age)s years older than the follow-up year; the metric's "
            "frequency allows at most %(allowed)s."
        ) % {"age": age, "allowed": allowed}
        return Assessment(Status.NOT_CURRENT, str(stale), None, trend, direction)
    worsened_twice = len(changes) >= 2 and changes[-1] == changes[-2] == Trend.WORSENED
    met = target_met(metric, values, direction=direction, peers=peers)
    if met is True:
        return Assessment(
            Status.ON_TRACK, str(_("On track: the latest value meets the target.")), met, trend, direction
        )
    if met is False:
        if worsened_twice:
            off = _("Off track: the value worsened two years in a row and does not meet the target.")
            return Assessment(Status.OFF_TRACK, str(off), met, trend, direction)
        short = _("Needs attention: the latest value does not meet the target yet.")
        return Assessment(Status.NEEDS_ATTENTION, str(short), met, trend, direction)
    if trend == Trend.IMPROVED:
        up = _("Not assessed: no target is set. The latest change was for the better: a trend, not a status.")
        return Assessment(Status.NOT_ASSESSED, str(up), None, trend, direction)
    if trend == Trend.WORSENED:
        down = _("Not assessed: no target is set. The latest change was for the worse: a trend, not a status.")
        return Assessment(Status.NOT_ASSESSED, str(down), None, trend, direction)
    none = _("Not assessed: no target is set that the value could be compared with.")
    return Assessment(Status.NOT_ASSESSED, str(none), None, trend, direction)


def one_status(assessments: dict[tuple[str, ...], list[Assessment]]) -> dict[tuple[str, ...], Assessment]:
    """One figure, one status: of the assessments of the cards that show the same figure (keyed by what the
    figure is), the one of a card with a target that was evaluated wins, else the first."""
    return {key: next((a for a in group if a.target_met is not None), group[0]) for key, group in assessments.items()}


# The rules as the page lists them, in the order they are tried.
RULES: list[tuple[Status, object]] = [
    (Status.NO_DATA, _("the region has no value for the metric up to the follow-up year.")),
    (
        Status.NOT_CURRENT,
        _(
            "the latest value is older than the metric's frequency allows: for a yearly metric the follow-up year "
            "or the year before (statistics come a year late), for a council-term metric the last four years. "
            "An old value is never on track."
        ),
    ),
    (Status.ON_TRACK, _("the metric has a target (a value, a range or a rule) and the latest value meets it.")),
    (Status.OFF_TRACK, _("the latest value does not meet the target and worsened two years in a row.")),
    (Status.NEEDS_ATTENTION, _("the latest value does not meet the target but did not worsen two years in a row.")),
    (
        Status.NOT_ASSESSED,
        _(
            "no target that a value could be compared with. A change for the better or the worse is shown as "
            "a trend beside it, never as on track."
        ),
    ),
]
