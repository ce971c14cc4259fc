"""Issue 19: the dashboard read in a minute (goals one line each, opened on demand and kept in the address, every
card link with its year), and a bounded number of queries for each page before its cache is warm."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from tilannekuva.strategy.models import Goal

from .conftest import METRIC_KEY

FOCUS_AREA = "hyvinvoinnin-ja-terveyden-edistaminen"


def url(name: str, *args: str) -> str:
    return reverse(f"dashboard:{name}", args=["etela-savo", *args])


def _details(html: str) -> dict[str, bool]:
    """Each goal's <details>: key -> open."""
    return {
        m.group(1): " open" in m.group(0)
        for m in re.finditer(r'<details class="focus-area[^"]*" id="area-[^"]+" data-key="([^"]+)"[^>]*>', html)
    }


def test_goals_are_one_line_each_closed_until_the_address_opens_them(client, injuries):
    areas = _details(client.get(url("dashboard"), {"year": "2024"}).content.decode())
    roots = set(
        Goal.objects.filter(version__strategy__region__slug="etela-savo", parent=None).values_list("key", flat=True)
    )
    assert set(areas) == roots and not any(areas.values())
    focus = next(key for key in roots if key.endswith(FOCUS_AREA) or FOCUS_AREA in key)
    html = client.get(url("dashboard"), {"year": "2024", "auki": f"{focus},no-such-goal,<bad>"}).content.decode()
    opened = _details(html)
    assert opened[focus] and sum(opened.values()) == 1
    assert "<bad>" not in html


def test_every_card_link_carries_the_year(client, injuries):
    html = client.get(url("dashboard"), {"year": "2023"}).content.decode()
    links = re.findall(r'href="(/regions/etela-savo/dashboard/metrics/[^"]+)"', html)
    assert links and all(link.endswith("?year=2023") for link in links)
    assert f"/metrics/{METRIC_KEY}/?year=2023" in html


# Each page's queries without any cache: fixed by the page, not by the number of metrics or municipalities (the
# vitality index reads its twenty component series once, one query each; everything else is read in batches).
# Measured at 42, 16, 14 and 44 (the profile read the region's members once per metric before: 37 more), on
# PostgreSQL one more each since every region address first asks whether the region is public
# (`regions.middleware`, issue 17).
PAGE_QUERIES = {"dashboard": 46, "metric": 19, "comparison": 17, "municipality": 48}


@pytest.mark.parametrize("page", sorted(PAGE_QUERIES))
def test_a_page_before_its_cache_is_warm_makes_a_bounded_number_of_queries(
    client, injuries, django_assert_max_num_queries, page
):
    address = {
        "dashboard": url("dashboard"),
        "metric": url("metric", METRIC_KEY),
        "comparison": url("comparison", METRIC_KEY),
        "municipality": url("municipality", "491"),
    }[page]
    for alias in caches:
        caches[alias].clear()
    with django_assert_max_num_queries(PAGE_QUERIES[page]):
        assert client.get(address, {"year": "2024"}).status_code == 200
