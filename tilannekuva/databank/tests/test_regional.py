"""Region figures: own values first, else the binding's rule; mergers follow the source's current division."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.regional import Aggregation, derive, region_series
from tilannekuva.databank.services import source
from tilannekuva.regions.models import Area, AreaKind

pytestmark = pytest.mark.usefixtures("world")


def test_mean_weighted_mean_and_sum():
    assert derive([1.0, 2.0, 6.0], rule=Aggregation.MEAN) == 3.0
    assert derive([1.0, 3.0], rule=Aggregation.POPULATION_WEIGHTED_MEAN, weights=[3.0, 1.0]) == 1.5
    assert derive([1.0, 2.0], rule=Aggregation.SUM) == 3.0


def test_incomplete_sum_and_missing_weight_give_no_figure():
    assert derive([1.0, None], rule=Aggregation.SUM) is None
    assert derive([1.0, 2.0], rule=Aggregation.POPULATION_WEIGHTED_MEAN, weights=[1.0, None]) is None
    assert derive([None, None], rule=Aggregation.MEAN) is None


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=20))
def test_mean_lies_between_min_and_max(values):
    result = derive(values, rule=Aggregation.MEAN)
    assert min(values) - 1e-6 <= result <= max(values) + 1e-6


def make_indicator(external_id: str) -> Indicator:
    return Indicator.objects.create(source=source("file"), external_id=external_id, title_fi=f"Testi {external_id}")


def municipality(code: str) -> Area:
    return Area.objects.get(kind=AreaKind.MUNICIPALITY, code=code)


def test_region_value_from_source_wins_and_mean_is_the_fallback():
    indicator = make_indicator("synthetic-own")
    etela_savo = Area.objects.get(kind=AreaKind.MAAKUNTA, code="10")
    Observation.objects.create(indicator=indicator, area=etela_savo, year=2024, value=42.0)
    for i, code in enumerate(["046", "097", "178", "213", "491", "507", "588", "593", "623", "681", "740", "768"]):
        Observation.objects.create(indicator=indicator, area=municipality(code), year=2024, value=float(i))
        Observation.objects.create(indicator=indicator, area=municipality(code), year=2023, value=1.0)
    series = region_series(indicator=indicator, area=etela_savo)
    assert series.region[2024].value == 42.0 and series.region[2024].rule == Aggregation.REGION_VALUE
    assert series.region[2023].value == 1.0 and series.region[2023].rule == Aggregation.MEAN
    assert series.region[2023].complete


def test_merged_municipality_without_own_data_is_left_out():
    indicator = make_indicator("synthetic-restated")
    etela_savo = Area.objects.get(kind=AreaKind.MAAKUNTA, code="10")
    codes = ["046", "097", "178", "213", "491", "507", "593", "623", "681", "740", "768"]  # no Pertunmaa: restated
    for code in codes:
        Observation.objects.create(
            indicator=indicator, area=municipality(code), year=2020, value=2.0, absolute_value=10.0
        )
    series = region_series(indicator=indicator, area=etela_savo, rule=Aggregation.SUM)
    assert [m.code for m in series.merged] == ["588"]
    assert series.region[2020].value == 110.0
    assert series.region[2020].complete
    assert "588" not in [m.code for m in series.municipalities]
