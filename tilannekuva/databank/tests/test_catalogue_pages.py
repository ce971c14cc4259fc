"""Catalogue pages: search, the indicator page with chart and table, binding a metric (region admins only)."""

import json

import pytest
from django.urls import reverse

from tilannekuva.databank.binding import indicator_for
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.models import Metric

pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def accidents():
    """A synthetic indicator with values for every Etelä-Savo municipality and the country, 2021-2023."""
    indicator = Indicator.objects.create(
        source=source("file"), external_id="synthetic-accidents", title_fi="Tapaturmat (SYNTEETTINEN)", unit="kpl"
    )
    maakunta = Area.objects.get(kind=AreaKind.MAAKUNTA, code="10")
    for year in (2021, 2022, 2023):
        for i, area in enumerate(members_of(maakunta, year=year)):
            Observation.objects.create(indicator=indicator, area=area, year=year, value=10.0 + i, absolute_value=1.0)
        Observation.objects.create(
            indicator=indicator, area=Area.objects.get(kind=AreaKind.COUNTRY), year=year, value=7.5
        )
    return indicator


def test_catalogue_finds_by_word_and_source(client, accidents):
    text = client.get(reverse("databank:catalogue"), {"q": "tapaturmat", "source": "file"}).content.decode()
    assert "Tapaturmat (SYNTEETTINEN)" in text
    assert "2021–2023" in text
    empty = client.get(reverse("databank:catalogue"), {"q": "no-such-indicator-anywhere"}).content.decode()
    assert "Tapaturmat" not in empty


def test_indicator_page_has_chart_spec_and_table(client, accidents):
    url = reverse("databank:indicator", args=["file", "synthetic-accidents"])
    response = client.get(url, {"region": "etela-savo"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Mikkeli" in text and "Koko maa" in text
    spec = json.loads(text.split('id="chart-spec" type="application/json">')[1].split("</script>")[0])
    assert spec["mark"]["type"] == "line"
    assert {r["series"] for r in spec["data"]["values"]} >= {"Mikkeli", "Etelä-Savo", "Koko maa"}
    assert "keskiarvo" in text  # the region figure says which rule was used


def test_indicator_page_rejects_unknown_filters(client, accidents):
    url = reverse("databank:indicator", args=["file", "synthetic-accidents"])
    assert client.get(url, {"gender": "x"}).status_code == 404
    assert client.get(url, {"rule": "x"}).status_code == 404
    assert client.get(reverse("databank:indicator", args=["file", "nope"])).status_code == 404


def test_region_admin_binds_indicator_to_metric(client, users, accidents):
    metric = Metric.objects.get(
        version__strategy__region__slug="etela-savo", description__startswith="Kodin ja vapaa-ajan"
    )
    client.force_login(users["alice"])
    page = client.get(reverse("databank:indicator", args=["file", "synthetic-accidents"]), {"region": "etela-savo"})
    assert "Sido mittariin" in page.content.decode() or "bind-form" in page.content.decode()
    response = client.post(
        reverse("databank:bind", args=["file", "synthetic-accidents", "etela-savo"]),
        {"metric": metric.pk, "aggregation": "sum"},
    )
    assert response.status_code == 302
    metric.refresh_from_db()
    assert metric.binding_type == "databank"
    assert metric.binding == {"source": "file", "series": "synthetic-accidents", "aggregation": "sum"}
    assert indicator_for(metric) == accidents


@pytest.mark.parametrize("who", ["bob", "carol", "dave", None])
def test_others_cannot_bind_in_etela_savo(client, users, accidents, who):
    metric = Metric.objects.filter(version__strategy__region__slug="etela-savo").first()
    assert metric is not None
    before = (metric.binding_type, metric.binding)
    if who:
        client.force_login(users[who])
    response = client.post(
        reverse("databank:bind", args=["file", "synthetic-accidents", "etela-savo"]),
        {"metric": metric.pk, "aggregation": "sum"},
    )
    assert response.status_code == 403
    metric.refresh_from_db()
    assert (metric.binding_type, metric.binding) == before


def test_admin_cannot_bind_a_metric_of_another_region(client, users, accidents):
    other = Metric.objects.filter(version__strategy__region__slug="pohjois-savo").first()
    assert other is not None
    client.force_login(users["alice"])
    client.post(
        reverse("databank:bind", args=["file", "synthetic-accidents", "etela-savo"]),
        {"metric": other.pk, "aggregation": "sum"},
    )
    other.refresh_from_db()
    assert other.binding_type != "databank"
