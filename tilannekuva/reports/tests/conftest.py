"""SYNTHETIC data for the reports' tests: the dashboard's synthetic injuries series bound to a seed 000 metric,
and a small SYNTHETIC series of a Sotkanet indicator whose metadata says CC BY 4.0."""

import pytest

from tilannekuva.dashboard.tests.conftest import area, make_injuries
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.strategy.models import Metric


@pytest.fixture
def injuries(world) -> Metric:
    return make_injuries()


@pytest.fixture
def thl_series(world) -> Indicator:
    """SYNTHETIC values of a THL indicator for Mikkeli, Juva, the maakunta and the country, 2020–2023."""
    indicator = Indicator.objects.create(
        source=source("sotkanet"),
        external_id="900001",
        title_fi="SYNTEETTINEN THL-indikaattori",
        unit="%",
        decimals=1,
        organisation="Terveyden ja hyvinvoinnin laitos (THL)",
        licence="CC BY 4.0",
    )
    rows = []
    for year in range(2020, 2024):
        for kind, code, base in (
            ("municipality", "491", 10.0),
            ("municipality", "178", 20.0),
            ("maakunta", "10", 15.0),
        ):
            rows.append(Observation(indicator=indicator, area=area(kind, code), year=year, value=base + year - 2020))
            rows.append(
                Observation(indicator=indicator, area=area(kind, code), year=year, gender="female", value=base + 0.5)
            )
        rows.append(Observation(indicator=indicator, area=area("country", "FI"), year=year, value=12.5))
    Observation.objects.bulk_create(rows)
    return indicator
