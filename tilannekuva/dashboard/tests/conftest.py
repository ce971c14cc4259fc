"""A SYNTHETIC data-bank series bound to a seed 000 metric, so that the dashboard has values to show."""

import pytest

from tilannekuva.databank.binding import bind
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.strategy.models import Direction, Metric

ETELA_SAVO_2024 = ["046", "097", "178", "213", "491", "507", "588", "593", "623", "681", "740", "768"]
METRIC_KEY = "vammojen-ja-myrkytysten-sairaalahoito"


@pytest.fixture
def injuries(world) -> Metric:
    return make_injuries()


def make_injuries() -> Metric:
    """Hospital periods for injuries, SYNTHETIC values: Mikkeli (491) improves, Juva (178) worsens."""
    indicator = Indicator.objects.create(
        source=source("file"),
        external_id="synthetic-injuries",
        title_fi="SYNTEETTINEN vammojen sairaalahoitojaksot",
        unit="/ 10 000",
        decimals=1,
        direction=Direction.LOWER_IS_BETTER,
        vintage="SYNTHETIC test data",
    )
    rows = []
    for year in range(2019, 2025):
        for number, code in enumerate(ETELA_SAVO_2024):
            value = 100.0 + number - (year - 2019) * (2 if code == "491" else -1 if code == "178" else 0.5)
            rows.append(Observation(indicator=indicator, area=area("municipality", code), year=year, value=value))
        rows.append(Observation(indicator=indicator, area=area("country", "FI"), year=year, value=90.0))
    Observation.objects.bulk_create(rows)
    metric = Metric.objects.get(version__strategy__region__slug="etela-savo", key=METRIC_KEY)
    return bind(metric=metric, indicator=indicator, aggregation="mean")


def area(kind: str, code: str) -> Area:
    return Area.objects.get(kind=AreaKind(kind), code=code)
