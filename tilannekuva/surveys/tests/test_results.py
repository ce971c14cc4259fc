"""NPS, its confidence interval, scale summaries and the suppression of small groups, as plain arithmetic."""

import math

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.surveys.results import eurohis_score, format_number, nps, round_half_away, scale_summary, suppress


def test_nps_is_promoters_minus_detractors_as_an_integer():
    # The worked example of the research note: 54.7 % − 21.4 % → 33 (here 41 promoters, 16 detractors of 75).
    result = nps([10] * 41 + [7] * 18 + [3] * 16)
    assert (result.n, result.promoters, result.passives, result.detractors) == (75, 41, 18, 16)
    assert result.score == 33


def test_all_detractors_give_minus_100_with_an_interval_clipped_to_the_range():
    result = nps([1, 2, 3, 4, 5, 6], scale_min=1)
    assert result.score == -100
    assert (result.ci_low, result.ci_high) == (-100, -100)  # p_D = 1: SE = 0


def test_all_promoters_give_100():
    result = nps([9, 10, 10, 9, 10])
    assert (result.score, result.ci_low, result.ci_high) == (100, 100, 100)


def test_no_answers_give_no_score_and_no_interval():
    result = nps([])
    assert (result.n, result.score, result.ci_low, result.ci_high) == (0, None, None, None)


def test_four_answers_give_a_score_with_a_wide_interval():
    result = nps([10, 9, 7, 2])  # P = 2, passive 1, D = 1
    assert result.score == 25
    p_promoters, p_detractors = 0.5, 0.25
    se = 100 * math.sqrt((p_promoters + p_detractors - (p_promoters - p_detractors) ** 2) / 4)
    assert result.ci_low == round_half_away(25 - 1.96 * se) == -56
    assert round_half_away(25 + 1.96 * se) == 106 and result.ci_high == 100  # clipped to the range


def test_the_seeds_1_to_10_scale_keeps_the_cut_offs_and_says_so():
    result = nps([1, 6, 7, 8, 9, 10], scale_min=1)
    assert (result.promoters, result.passives, result.detractors) == (2, 2, 2)
    assert result.score == 0
    assert result.label == "NPS (1–10)"
    assert nps([0, 10]).label == "NPS (0–10)"


def test_a_nine_on_the_1_to_10_scale_stays_a_promoter():
    # Rescaling (v − 1)·10/9 would make 9 an 8.9, a passive: it is never done.
    assert nps([9], scale_min=1).promoters == 1


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=200))
def test_nps_and_its_interval_stay_within_minus_100_and_100(values):
    result = nps(values)
    if not values:
        assert result.score is None
        return
    assert result.ci_low is not None and result.score is not None and result.ci_high is not None
    assert -100 <= result.ci_low <= result.score <= result.ci_high <= 100
    assert result.promoters + result.passives + result.detractors == result.n == len(values)


def test_rounding_is_half_away_from_zero():
    assert [round_half_away(v) for v in (32.5, 33.5, -32.5, 0.4, -0.6)] == [33, 34, -33, 0, -1]


def test_a_half_point_score_rounds_up_though_its_shares_do_not_add_up_exactly_in_floating_point():
    # 23 promoters and 10 detractors of 40: 57.5 % − 25 % = 32.5, which 100·(23/40 − 10/40) makes 32.4999….
    assert nps([10] * 23 + [8] * 7 + [2] * 10).score == 33


def test_scale_summary_gives_mean_median_distribution_and_the_top_share():
    summary = scale_summary([1, 8, 9, 10, 10], scale=range(1, 11))
    assert summary.n == 5 and summary.mean == pytest.approx(7.6) and summary.median == 9.0
    assert dict(summary.distribution) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 1, 10: 2}
    assert summary.top_share == pytest.approx(80.0)


def test_scale_summary_of_no_answers_has_no_mean():
    summary = scale_summary([], scale=range(1, 6))
    assert (summary.n, summary.mean, summary.median) == (0, None, None)


def test_eurohis_score_averages_the_respondents_means_of_complete_answers():
    complete: list[list[int | None]] = [[4] * 8, [2, 3, 4, 5, 1, 2, 3, 4]]
    incomplete: list[list[int | None]] = [[5] * 7 + [None]]
    summary = eurohis_score(complete + incomplete)
    assert summary.n == 2
    assert summary.mean == pytest.approx((4 + 3) / 2)


def test_groups_under_the_threshold_are_hidden():
    result = suppress({"a": 12, "b": 3, "c": 4, "d": 9}, threshold=5)
    assert result.primary == {"b", "c"}
    assert result.complementary == set()  # two hidden groups adding up to 7: neither can be worked out


def test_a_single_hidden_group_takes_the_next_smallest_with_it():
    result = suppress({"municipality": 14, "county": 2, "council": 6}, threshold=5)
    assert result.primary == {"county"}
    assert result.complementary == {"council"}
    assert result.hidden == {"county", "council"}


def test_hidden_groups_adding_up_to_fewer_than_the_threshold_take_another_with_them():
    result = suppress({"a": 1, "b": 2, "c": 20, "d": 8}, threshold=5)
    assert result.primary == {"a", "b"}
    assert result.complementary == {"d"}


def test_no_small_group_means_nothing_is_hidden():
    assert suppress({"a": 5, "b": 7}, threshold=5).hidden == set()
    assert suppress({"a": 5, "b": 0}, threshold=5).hidden == set()  # an empty group reveals nobody


def test_every_group_small_hides_every_group():
    assert suppress({"a": 4, "b": 4}, threshold=5).hidden == {"a", "b"}


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=30), min_size=1))
def test_no_hidden_group_can_be_worked_out_from_the_total(counts):
    result = suppress(counts, threshold=5)
    hidden = result.hidden
    assert {k for k, n in counts.items() if 0 < n < 5} <= hidden
    if hidden and len(hidden) < len([k for k, n in counts.items() if n > 0]):
        # The total minus the shown groups gives only the sum of the hidden ones: more than one group, and a
        # sum of at least the threshold.
        assert len(hidden) >= 2 and sum(counts[k] for k in hidden) >= 5


def test_format_number_rounds_instead_of_cutting_off_digits():
    # Django's number_format alone writes 148 / 24 = 6.1667 as "6,1", unlike the page's floatformat ("6,2").
    with translation.override("fi"):
        assert format_number(148 / 24) == "6,2"
        assert format_number(6.96) == "7,0"
        assert format_number(6.25) == "6,3"
        assert format_number(None) == "–"
