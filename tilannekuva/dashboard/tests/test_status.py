"""The status rules: target first, then the direction of the trend; better follows the direction."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.dashboard.status import Status, Trend, assess, effective_direction
from tilannekuva.strategy.models import Direction, Metric, TargetRule, TargetType

HIGHER, LOWER, NEUTRAL = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.NEUTRAL


def metric(**fields: object) -> Metric:
    defaults: dict[str, object] = {"kind": "number", "direction": NEUTRAL, "target_type": "", "frequency": "yearly"}
    return Metric(**{**defaults, **fields})


def test_no_values_is_no_data_yet():
    assert assess(metric(direction=HIGHER), []).status == Status.NO_DATA


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([55.0, 62.0], Status.ON_TRACK),  # NPS above 60
        ([58.0, 59.0], Status.NEEDS_ATTENTION),  # improving, still below
        ([65.0, 58.0, 52.0], Status.OFF_TRACK),  # worsened two years in a row and below
        ([50.0, 58.0, 55.0], Status.NEEDS_ATTENTION),  # worsened once only
    ],
)
def test_value_target_with_operator(values, expected):
    nps = metric(kind="nps", target_type=TargetType.VALUE, target_operator=">", target_value=60)
    assert assess(nps, values).status == expected


def test_off_track_reason_is_given_in_words():
    nps = metric(kind="nps", target_type=TargetType.VALUE, target_operator=">", target_value=60)
    with translation.override("en"):
        assessment = assess(nps, [65.0, 58.0, 52.0])
        assert "two years in a row" in assessment.reason
        assert assessment.icon == "✕" and assessment.label == "Off track"
    with translation.override("fi"):
        assert assess(nps, [65.0, 58.0, 52.0]).label == "Ei tavoitteessa"


def test_range_target():
    hyte = metric(kind="index", target_type=TargetType.RANGE, target_min=75, target_max=100)
    assert assess(hyte, [80.0]).status == Status.ON_TRACK
    assert assess(hyte, [70.0]).status == Status.NEEDS_ATTENTION


def test_decrease_rule_is_met_by_a_fall_and_worsening_twice_is_off_track():
    accidents = metric(kind="count", target_type=TargetType.RULE, target_rule=TargetRule.DECREASE)
    assert effective_direction(accidents) == LOWER
    assert assess(accidents, [120.0, 110.0]).status == Status.ON_TRACK
    assert assess(accidents, [100.0, 110.0]).status == Status.NEEDS_ATTENTION
    assert assess(accidents, [100.0, 110.0, 120.0]).status == Status.OFF_TRACK
    assert assess(accidents, [100.0, 110.0, 120.0]).trend == Trend.WORSENED


def test_increase_and_maintain_rules():
    share = metric(kind="percent", target_type=TargetType.RULE, target_rule=TargetRule.INCREASE)
    assert assess(share, [40.0, 42.0]).status == Status.ON_TRACK
    assert assess(share, [42.0, 42.0]).status == Status.NEEDS_ATTENTION
    kept = metric(kind="percent", target_type=TargetType.RULE, target_rule=TargetRule.MAINTAIN)
    assert assess(kept, [42.0, 42.0]).status == Status.ON_TRACK
    assert assess(kept, [42.0, 41.0]).status == Status.NEEDS_ATTENTION


def test_a_trend_rule_with_one_value_is_not_assessed():
    share = metric(kind="percent", target_type=TargetType.RULE, target_rule=TargetRule.INCREASE)
    assert assess(share, [40.0]).status == Status.NOT_ASSESSED


def test_yes_no_metric():
    report = metric(kind="yes_no", target_type=TargetType.RULE, target_rule=TargetRule.YES)
    assert assess(report, [1.0]).status == Status.ON_TRACK
    assert assess(report, [0.0]).status == Status.NEEDS_ATTENTION


def test_best_third_among_peers():
    hyte = metric(kind="index", direction=HIGHER, target_type=TargetType.RULE, target_rule=TargetRule.BEST_THIRD)
    peers = [float(v) for v in range(1, 19)]  # 18 other maakunnat
    assert assess(hyte, [17.5], peers=peers).status == Status.ON_TRACK  # one better of 18
    assert assess(hyte, [5.0], peers=peers).status == Status.NEEDS_ATTENTION
    assert assess(hyte, [5.0]).status == Status.NOT_ASSESSED  # no peers, one value


def test_without_target_the_direction_of_the_last_change_decides():
    lower = metric(direction=LOWER)
    assert assess(lower, [10.0, 9.0]).status == Status.ON_TRACK
    assert assess(lower, [10.0, 11.0]).status == Status.NEEDS_ATTENTION
    assert assess(lower, [10.0]).status == Status.NOT_ASSESSED


def test_without_target_or_direction_nothing_is_assessed():
    assert assess(metric(), [1.0, 2.0, 3.0]).status == Status.NOT_ASSESSED


def test_the_indicators_direction_is_used_when_the_metric_has_none():
    assert effective_direction(metric(), indicator_direction=LOWER) == LOWER
    assert effective_direction(metric(direction=HIGHER), indicator_direction=LOWER) == HIGHER
    assert effective_direction(metric(target_type=TargetType.VALUE, target_operator="<=", target_value=3)) == LOWER


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(st.lists(finite, min_size=0, max_size=8), st.booleans())
def test_mirrored_values_with_the_opposite_direction_give_the_same_status(values, with_rule):
    """Lower-is-better on the negated values is the same story as higher-is-better on the values."""
    increase = {"target_type": TargetType.RULE, "target_rule": TargetRule.INCREASE} if with_rule else {}
    decrease = {"target_type": TargetType.RULE, "target_rule": TargetRule.DECREASE} if with_rule else {}
    higher = metric(direction=HIGHER, **increase)
    lower = metric(direction=LOWER, **decrease)
    assert assess(higher, values).status == assess(lower, [-v for v in values]).status
