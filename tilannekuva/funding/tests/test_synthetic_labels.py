"""The demo's HYTE figures come from SYNTHETIC input (data/funding/SYNTHETIC-*.csv): every page, export and API
answer that shows one of them must say "synteettinen". The test walks them after the demo's funding part."""

import json
import re

import pytest

from tilannekuva.funding import demo
from tilannekuva.strategy.models import Metric

pytestmark = pytest.mark.django_db
REGION = "/regions/etela-savo"
WORD = "synteettinen"


@pytest.fixture
def synthetic_demo(world):
    list(demo.load_demo_data(password="x"))


def hyte_metrics() -> list[str]:
    metrics = Metric.objects.filter(version__strategy__region__slug="etela-savo", binding__index="hyte_coefficient")
    return sorted(set(metrics.values_list("key", flat=True)))


def cards(page: str) -> dict[str, str]:
    found = re.findall(r'<article class="card metric-card" id="card-([^"]+)"(.*?)</article>', page, flags=re.S)
    return dict(found)


def test_every_page_with_a_synthetic_hyte_figure_says_synteettinen(client, users, synthetic_demo):
    keys = hyte_metrics()
    assert len(keys) == 4
    dashboard = client.get(f"{REGION}/dashboard/?year=2024").content.decode()
    for key in keys:
        card = cards(dashboard)[key]
        assert "(2024)" in card, f"the card {key} shows no 2024 figure"
        assert WORD in card.lower(), f"the card {key} shows a synthetic figure without the label"
        metric_page = client.get(f"{REGION}/dashboard/metrics/{key}/?year=2024").content.decode()
        assert WORD in metric_page.lower(), f"the metric page of {key}"
        comparison = client.get(f"{REGION}/dashboard/metrics/{key}/compare/?year=2024").content.decode()
        assert WORD in comparison.lower(), f"the comparison page of {key}"
        export = client.get(f"{REGION}/dashboard/metrics/{key}/data.csv?year=2024").content.decode("utf-8-sig")
        assert all(WORD in line for line in export.splitlines()[1:]), f"the export of {key}"
    answer = json.loads(client.get("/api/v1/regions/etela-savo/strategy/?year=2024").content)
    body = answer.get("data", answer)
    bound = [m for g in body["goals"] for m in g["metrics"] if m["key"] in keys]
    assert bound and all(m["latest"]["synthetic"] and WORD in m["latest"]["vintage"] for m in bound)
    hyte = client.get(f"{REGION}/hyte/?year=2024").content.decode()
    assert WORD in hyte.lower()
    client.force_login(users["carol"])
    simulator = client.get(f"{REGION}/hyte/simulator/?year=2024").content.decode()
    assert WORD in simulator.lower()
    report = client.get(f"{REGION}/reports/2024/")
    assert report.status_code == 200
    section = report.content.decode().lower()
    assert "hyte" in section and WORD in section
