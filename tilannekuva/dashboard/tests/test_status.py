"""The status rules: target first, then the direction of the trend; better follows the direction."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.dashboard.status import RULES, Status, Trend, assess, effective_direction, is_current
from tilannekuva.strategy.models import Direction, Frequency, Metric, TargetRule, TargetType

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


def test_without_target_a_change_of_direction_is_a_trend_not_a_status():
    lower = metric(direction=LOWER)
    better = assess(lower, [10.0, 9.0])
    assert better.status == Status.NOT_ASSESSED and better.trend == Trend.IMPROVED
    worse = assess(lower, [10.0, 11.0])
    assert worse.status == Status.NOT_ASSESSED and worse.trend == Trend.WORSENED
    assert assess(lower, [10.0]).status == Status.NOT_ASSESSED
    with translation.override("fi"):
        assert "trendi" in better.reason.lower() or "trend" in better.reason.lower()


def test_the_population_index_of_2022_is_not_current_in_2025():
    """The issue's case: väestö-indeksi −0,3 measured in 2022, no target, followed yearly."""
    population = metric(direction=HIGHER, frequency=Frequency.YEARLY)
    assessment = assess(population, [-0.5, -0.3], age=2025 - 2022)
    assert assessment.status == Status.NOT_CURRENT and assessment.icon != "✓"
    with translation.override("fi"):
        assert assessment.label == "Ei ajantasainen"


def test_a_yearly_value_of_the_year_before_is_current_and_council_term_values_last_four_years():
    share = metric(kind="percent", target_type=TargetType.RULE, target_rule=TargetRule.INCREASE)
    assert assess(share, [40.0, 42.0], age=1).status == Status.ON_TRACK
    assert assess(share, [40.0, 42.0], age=2).status == Status.NOT_CURRENT
    term = metric(kind="yes_no", frequency=Frequency.COUNCIL_TERM, target_type=TargetType.RULE, target_rule="yes")
    assert assess(term, [1.0], age=3).status == Status.ON_TRACK
    assert assess(term, [1.0], age=4).status == Status.NOT_CURRENT
    once = metric(kind="yes_no", frequency=Frequency.ONCE, target_type=TargetType.RULE, target_rule="yes")
    assert assess(once, [1.0], age=20).status == Status.ON_TRACK


targets = st.sampled_from(
    [
        {},
        {"target_type": TargetType.RULE, "target_rule": TargetRule.INCREASE},
        {"target_type": TargetType.RULE, "target_rule": TargetRule.DECREASE},
        {"target_type": TargetType.RULE, "target_rule": TargetRule.MAINTAIN},
        {"target_type": TargetType.RULE, "target_rule": TargetRule.YES},
        {"target_type": TargetType.VALUE, "target_operator": ">=", "target_value": 0.0},
        {"target_type": TargetType.RANGE, "target_min": -10.0, "target_max": 10.0},
    ]
)


@given(
    st.lists(st.floats(min_value=-100, max_value=100, allow_nan=False), min_size=1, max_size=8),
    st.sampled_from(list(Frequency)),
    st.sampled_from([HIGHER, LOWER, NEUTRAL]),
    targets,
    st.integers(min_value=0, max_value=12),
)
def test_no_value_older_than_its_frequency_allows_is_ever_on_track(values, frequency, direction, target, age):
    """The property the issue asks for: ✓ only for a current value, whatever the values, target and direction."""
    subject = metric(frequency=frequency, direction=direction, **target)
    assessment = assess(subject, values, age=age)
    if not is_current(subject, latest_year=2025 - age, year=2025):
        assert assessment.status == Status.NOT_CURRENT
        assert assessment.icon != "✓"
    if assessment.status == Status.ON_TRACK:
        assert assessment.target_met is True  # without a target nothing is on track


def test_rules_list_every_status_once():
    assert sorted(status for status, _text in RULES) == sorted(Status)


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
