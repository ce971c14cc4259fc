"""The data bank in Chromium: catalogue search, an indicator page whose chart is drawn under the strict CSP."""

import pytest
from playwright.sync_api import expect

from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import members_of

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def synthetic_indicator(e2e_world):
    indicator = Indicator.objects.create(
        source=source("file"), external_id="synthetic-e2e", title_fi="Testimittari (SYNTEETTINEN)", unit="%"
    )
    maakunta = Area.objects.get(kind=AreaKind.MAAKUNTA, code="10")
    for year in (2020, 2021, 2022):
        for i, area in enumerate(members_of(maakunta, year=year)):
            Observation.objects.create(indicator=indicator, area=area, year=year, value=20.5 + i + year % 3)
    return indicator


def test_catalogue_search_leads_to_indicator_page_with_chart(page, synthetic_indicator):
    page.goto("/data/")
    page.get_by_label("Hae nimellä tai tunnisteella").fill("testimittari")
    page.get_by_role("button", name="Hae").click()
    page.get_by_role("link", name="Testimittari (SYNTEETTINEN)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testimittari (SYNTEETTINEN)")
    expect(page.locator(".chart svg")).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Mikkeli")).to_be_visible()
    assert axe_violations(page) == []


def test_chart_draws_without_csp_violations(browser, live_server, synthetic_indicator):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/data/file/synthetic-e2e/?region=etela-savo")
    expect(page.locator(".chart svg")).to_be_visible()
    context.close()
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []
