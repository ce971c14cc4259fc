"""The calculator: scaling, parts, ranks and thirds, euros to the cent. Pure functions, no database."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.funding import calculator
from tilannekuva.funding.parameters import HyteParameters, Indicator, Scaling

MIN_MAX = Scaling(method="min_max", missing="exclude", equal_points=100)


def params(**changes) -> HyteParameters:
    base = HyteParameters(
        year=2024,
        level="municipality",
        title="test",
        indicators=(
            Indicator("lead", "Leadership", "process", "TEAviisari", "higher_is_better", 1, False),
            Indicator("sport", "Sport", "process", "TEAviisari", "higher_is_better", 1, False),
            Indicator("neet", "NEET", "outcome", "Tilastokeskus", "lower_is_better", 1, False),
        ),
        part_weights={"process": 0.5, "outcome": 0.5},
        scaling=MIN_MAX,
        pot_eur=Decimal("1000"),
        euro_formula="fixed_pot",
        residents_year_offset=-1,
    )
    return replace(base, **changes)


def test_higher_is_better_gives_the_best_value_100_and_the_worst_0():
    assert calculator.scale({"a": 10, "b": 20, "c": 15}, direction="higher_is_better", scaling=MIN_MAX) == {
        "a": 0.0,
        "b": 100.0,
        "c": 50.0,
    }


def test_lower_is_better_reverses_the_scale():
    assert calculator.scale({"a": 10, "b": 20, "c": 12.5}, direction="lower_is_better", scaling=MIN_MAX) == {
        "a": 100.0,
        "b": 0.0,
        "c": 75.0,
    }


def test_equal_values_get_equal_points():
    scaled = calculator.scale({"a": 5, "b": 5, "c": 9}, direction="higher_is_better", scaling=MIN_MAX)
    assert scaled["a"] == scaled["b"] == 0.0 and scaled["c"] == 100.0


def test_a_missing_value_stays_missing_and_does_not_move_the_others():
    scaled = calculator.scale({"a": 1, "b": None, "c": 3}, direction="higher_is_better", scaling=MIN_MAX)
    assert scaled == {"a": 0.0, "b": None, "c": 100.0}


def test_a_single_unit_or_all_equal_values_get_the_configured_points():
    assert calculator.scale({"a": 7}, direction="higher_is_better", scaling=MIN_MAX) == {"a": 100}
    half = replace(MIN_MAX, equal_points=50)
    assert calculator.scale({"a": 7, "b": 7}, direction="lower_is_better", scaling=half) == {"a": 50, "b": 50}


def test_percentile_scaling_counts_ties_half():
    percentile = replace(MIN_MAX, method="percentile")
    scaled = calculator.scale({"a": 1, "b": 2, "c": 2, "d": 3}, direction="higher_is_better", scaling=percentile)
    assert scaled["a"] == 0 and scaled["d"] == 100 and scaled["b"] == scaled["c"] == pytest.approx(50)


def test_missing_indicator_is_left_out_of_the_part_mean_or_counts_as_zero():
    points = {"lead": 80.0, "sport": None}
    weights = {"lead": 1.0, "sport": 1.0}
    assert calculator.weighted_mean(points, weights, missing="exclude") == 80.0
    assert calculator.weighted_mean(points, weights, missing="zero") == 40.0
    assert calculator.weighted_mean({"lead": None}, {"lead": 1.0}, missing="zero") is None


def test_ties_share_the_best_rank_and_unranked_units_have_none():
    assert calculator.ranks({"a": 50, "b": 70, "c": 50, "d": None, "e": 10}) == {
        "a": 2,
        "b": 1,
        "c": 2,
        "d": None,
        "e": 4,
    }


@pytest.mark.parametrize(
    ("rank", "count", "expected"),
    [(1, 309, 1), (103, 309, 1), (104, 309, 2), (206, 309, 2), (207, 309, 3), (309, 309, 3), (1, 1, 1), (2, 2, 2)],
)
def test_tertile_splits_the_ranks_into_thirds(rank, count, expected):
    assert calculator.tertile(rank, count) == expected


def test_total_is_the_weighted_mean_of_the_process_and_outcome_parts():
    result = calculator.calculate(
        parameters=params(),
        values={"a": {"lead": 10, "sport": 10, "neet": 5}, "b": {"lead": 20, "sport": 0, "neet": 10}},
        residents={"a": 100, "b": 100},
        pot=Decimal("1000"),
    )
    a, b = result.units["a"], result.units["b"]
    assert (a.process, a.outcome, a.total) == (50.0, 100.0, 75.0)
    assert (b.process, b.outcome, b.total) == (50.0, 0.0, 25.0)
    assert (a.rank, a.tertile, b.rank, b.tertile) == (1, 1, 2, 2)
    assert a.eur == Decimal("750.00") and b.eur == Decimal("250.00")
    assert a.per_resident_split == Decimal("500.00") and a.difference == Decimal("250.00")
    assert a.eur_per_resident == Decimal("7.50")


def test_per_resident_formula_ignores_the_points():
    result = calculator.calculate(
        parameters=params(euro_formula="per_resident"),
        values={"a": {"lead": 10}, "b": {"lead": 20}},
        residents={"a": 300, "b": 100},
        pot=Decimal("1000"),
    )
    assert (result.units["a"].eur, result.units["b"].eur) == (Decimal("750.00"), Decimal("250.00"))


def test_euros_sum_exactly_to_the_pot_with_the_leftover_cents_to_the_largest_remainders():
    shares = calculator.allocate(Decimal("100.00"), {"a": 1, "b": 1, "c": 1})
    assert sum(shares.values()) == Decimal("100.00")
    assert shares == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}


@given(
    pot=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    weights=st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=40),
)
def test_euros_always_sum_exactly_to_the_pot(pot, weights):
    shares = calculator.allocate(pot, dict(enumerate(weights)))
    assert sum(shares.values()) == pot
    assert all(s >= 0 for s in shares.values())


def test_a_change_moves_the_points_rank_and_euros():
    values = {"a": {"lead": 10, "neet": 5}, "b": {"lead": 20, "neet": 10}, "c": {"lead": 15, "neet": 7}}
    before = calculator.calculate(
        parameters=params(), values=values, residents=dict.fromkeys(values, 100), pot=Decimal(900)
    )
    changed = calculator.apply_changes(values, {"c": {"lead": 10, "neet": -3}})
    after = calculator.calculate(
        parameters=params(), values=changed, residents=dict.fromkeys(values, 100), pot=Decimal(900)
    )
    old, new = before.units["c"], after.units["c"]
    assert old.total is not None and new.total is not None and new.total > old.total
    assert new.rank == 1
    assert old.eur is not None and new.eur is not None and new.eur > old.eur
    assert sum(u.eur or Decimal(0) for u in after.units.values()) == Decimal(900)
    assert values["c"]["lead"] == 15  # the starting values are not changed


def test_compare_reports_the_largest_and_mean_difference():
    result = calculator.calculate(
        parameters=params(), values={"a": {"lead": 1}, "b": {"lead": 2}}, residents={"a": 1, "b": 1}, pot=Decimal(10)
    )
    comparison = calculator.compare(
        result, official_points={"a": 0.5, "b": 100.0}, official_eur={"a": Decimal("0.00"), "b": Decimal("9.00")}
    )
    assert comparison.compared == 2 and comparison.max_points_difference == 0.5
    assert comparison.mean_points_difference == 0.25
    assert comparison.max_eur_difference == Decimal("1.00")
