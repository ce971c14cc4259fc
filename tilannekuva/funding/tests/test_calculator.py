"""The calculator against VNA 1393/2022 3 §: process 0/100, the outcome's two-year differences scaled 0–100, the
lowest value for missing data, the population-weighted national mean, base price × residents × coefficient.
Pure functions, no database (the parameter files are read from data/funding/)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilannekuva.funding import calculator, parameters
from tilannekuva.funding.calculator import PREVIOUS


def municipalities_2024() -> parameters.HyteParameters:
    found = parameters.hyte(level="municipality", year=2024)
    assert found is not None
    return found


def row(found: parameters.HyteParameters, *, yes: int, previous: float, latest: float) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for n, indicator in enumerate(found.part("process")):
        values[indicator.id] = 100.0 if n < yes else 0.0
    for indicator in found.part("outcome"):
        values[indicator.id], values[indicator.id + PREVIOUS] = latest, previous
    return values


def test_the_files_hold_the_annexs_21_indicators_and_the_base_prices():
    for year, price in ((2023, "18.89"), (2024, "19.31"), (2025, "19.97")):
        found = parameters.hyte(level="municipality", year=year)
        assert found is not None and found.base_price == Decimal(price)
        assert [i.weight for i in found.part("process")] == [0.0333] * 15
        assert [i.weight for i in found.part("outcome")] == [0.0833] * 6
        assert all(i.cite and i.verified for i in found.indicators)
        bound = {i.id: i.sotkanet_id for i in found.indicators if i.sotkanet_id}
        assert bound == {"O1a": "286", "O1b": "3906", "O2": "3219", "O3": "234", "O4": "306", "O5": "3959"}
        annex = (parameters.directory().parent / "finlex").glob("VNA_1393-2022_*.txt")
        text = next(annex).read_text(encoding="utf-8")
        assert all(i.name in text for i in found.indicators)


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=40),
    yes=st.integers(min_value=0, max_value=15),
    previous=st.floats(min_value=0, max_value=100, allow_nan=False),
    latest=st.floats(min_value=0, max_value=100, allow_nan=False),
    residents=st.lists(st.integers(min_value=1, max_value=700_000), min_size=40, max_size=40),
)
def test_all_municipalities_equal_every_coefficient_is_one_and_the_sum_is_base_price_times_population(
    count, yes, previous, latest, residents
):
    found = municipalities_2024()
    codes = [f"{n:03d}" for n in range(count)]
    values = {code: row(found, yes=yes, previous=previous, latest=latest) for code in codes}
    people = dict(zip(codes, residents, strict=False))
    result = calculator.calculate(parameters=found, values=values, residents=people)
    assert found.base_price is not None
    assert {unit.coefficient for unit in result.units.values()} == {1.0}
    assert result.total_eur == found.base_price * sum(people.values())
    assert sum(unit.eur or 0 for unit in result.units.values()) == found.base_price * sum(people.values())


def test_process_items_give_0_or_100_and_a_missing_one_the_lowest_value():
    found = municipalities_2024()
    values = {"A": row(found, yes=15, previous=10, latest=9), "B": row(found, yes=15, previous=10, latest=9)}
    values["B"]["P1"] = None
    result = calculator.calculate(parameters=found, values=values, residents={"A": 1, "B": 1})
    assert result.units["A"].process == 100.0
    assert result.units["B"].points["P1"] == 0.0 and result.units["B"].process == pytest.approx(1400 / 15)
    assert result.units["B"].missing == ["P1"]


def test_outcome_points_are_the_oriented_difference_scaled_min_max():
    found = municipalities_2024()
    values = {
        "A": row(found, yes=0, previous=10, latest=8),  # −2: the best improvement
        "B": row(found, yes=0, previous=10, latest=9.5),
        "C": row(found, yes=0, previous=10, latest=12),  # +2: the worst
        "D": row(found, yes=0, previous=10, latest=10),
    }
    values["D"]["O3" + PREVIOUS] = None  # one year missing: the lowest value
    result = calculator.calculate(parameters=found, values=values, residents=dict.fromkeys(values, 1))
    assert result.units["A"].points["O3"] == 100.0
    assert result.units["B"].points["O3"] == pytest.approx(62.5)
    assert result.units["C"].points["O3"] == 0.0
    assert result.units["D"].points["O3"] == 0.0 and "O3" in result.units["D"].missing


def test_a_value_already_at_its_target_gets_full_points():
    found = municipalities_2024()
    indicators = tuple(replace(i, target=5.0) if i.id == "O2" else i for i in found.indicators)
    with_target = replace(found, indicators=indicators)
    values = {"A": row(found, yes=0, previous=10, latest=8), "B": row(found, yes=0, previous=4, latest=4.5)}
    result = calculator.calculate(parameters=with_target, values=values, residents={"A": 1, "B": 1})
    assert result.units["B"].points["O2"] == 100.0  # worse than last year, but at the target
    assert result.units["B"].points["O3"] == 0.0


def test_the_national_mean_is_weighted_by_residents():
    found = municipalities_2024()
    values = {"A": row(found, yes=15, previous=10, latest=9), "B": row(found, yes=0, previous=10, latest=11)}
    result = calculator.calculate(parameters=found, values=values, residents={"A": 1000, "B": 3000})
    assert result.national_mean == pytest.approx((100 * 1000 + 0 * 3000) / 4000)
    assert result.units["A"].coefficient == pytest.approx(4.0)
    assert result.units["A"].eur == Decimal("77240.00")  # 19.31 × 1000 × 4
    assert result.units["B"].eur == Decimal("0.00")


def test_without_a_base_price_there_are_points_but_no_euros():
    found = replace(municipalities_2024(), base_price=None)
    values = {"A": row(found, yes=3, previous=10, latest=9)}
    result = calculator.calculate(parameters=found, values=values, residents={"A": 100})
    assert result.units["A"].coefficient == 1.0 and result.units["A"].eur is None
    assert "base-price-unknown" in result.notes


def test_ties_share_the_best_rank_and_unranked_units_have_none():
    assert calculator.ranks({"a": 50.0, "b": 70.0, "c": 70.0, "d": None, "e": 10.0}) == {
        "a": 3,
        "b": 1,
        "c": 1,
        "d": None,
        "e": 4,
    }


@pytest.mark.parametrize(
    ("rank", "count", "expected"),
    [(1, 309, 1), (103, 309, 1), (104, 309, 2), (206, 309, 2), (207, 309, 3), (309, 309, 3), (None, 309, None)],
)
def test_tertile_splits_the_ranks_into_thirds(rank, count, expected):
    assert calculator.tertile(rank, count) == expected


def test_a_change_sets_the_new_value():
    found = municipalities_2024()
    values = {"A": row(found, yes=0, previous=10, latest=10), "B": row(found, yes=15, previous=10, latest=9)}
    changed = calculator.apply_changes(values, {"A": {"P1": 100.0, "O2": 8.0}})
    assert changed["A"]["P1"] == 100.0 and changed["A"]["O2"] == 8.0 and values["A"]["P1"] == 0.0
    before = calculator.calculate(parameters=found, values=values, residents={"A": 10, "B": 10})
    after = calculator.calculate(parameters=found, values=changed, residents={"A": 10, "B": 10})
    assert after.units["A"].score > before.units["A"].score
    assert (after.units["A"].eur or 0) > (before.units["A"].eur or 0)


def test_compare_reports_the_largest_and_mean_difference():
    found = municipalities_2024()
    values = {"A": row(found, yes=15, previous=10, latest=9), "B": row(found, yes=0, previous=10, latest=11)}
    result = calculator.calculate(parameters=found, values=values, residents={"A": 1, "B": 1})
    comparison = calculator.compare(result, official_points={"A": 99.0, "B": 0.5}, official_eur={})
    assert comparison.compared == 2
    assert comparison.max_points_difference == pytest.approx(1.0)
    assert comparison.mean_points_difference == pytest.approx(0.75)
