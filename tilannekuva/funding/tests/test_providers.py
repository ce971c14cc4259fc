"""Computed metrics on the dashboard: the HYTE coefficient from the imported official points, the vitality
index from the data bank."""

import pytest

from tilannekuva.dashboard.providers import data_for
from tilannekuva.funding import selectors
from tilannekuva.funding.models import Level
from tilannekuva.funding.services import import_figures
from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import Metric

pytestmark = pytest.mark.django_db


def _metric(key: str) -> Metric:
    found = Metric.objects.filter(key=key, version__strategy__region__slug="etela-savo").order_by("-version__year")
    return found.first() or pytest.fail(f"no metric {key}")


def test_hyte_metric_is_the_mean_of_the_partners_official_points(official_files, client):
    thl, _vm = official_files
    import_figures(path=thl, kind="thl")
    region = Region.objects.get(slug="etela-savo")
    metric = _metric("hyte-kerroin-skaalattu-pistemaara")
    found = data_for([metric], region=region)[metric.pk]
    data = selectors.year_data(level=Level.MUNICIPALITY, year=2024)
    partners = selectors.partners(region, level=Level.MUNICIPALITY, year=2024)
    expected = sum(data.official_totals[a.code] for a in partners) / len(partners)
    assert found.values == {2024: pytest.approx(expected)}
    assert client.get("/regions/etela-savo/dashboard/?year=2024").status_code == 200


def test_without_figures_the_computed_metrics_have_no_data(world):
    region = Region.objects.get(slug="etela-savo")
    metrics = [_metric("hyte-kerroin-skaalattu-pistemaara"), _metric("elinvoima-vaestoindeksi")]
    assert data_for(metrics, region=region) == {}
