"""Home and region pages in Chromium: content, navigation, keyboard, languages, and axe-core (WCAG 2.1 AA)."""

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


def test_home_page_lists_regions_and_passes_axe(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tilannekuva")
    expect(page.get_by_role("link", name="Etelä-Savo", exact=True)).to_be_visible()
    assert axe_violations(page) == []


def test_region_page_shows_the_strategy_and_passes_axe(page):
    page.goto("/")
    page.get_by_role("link", name="Etelä-Savo", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Etelä-Savon kumppanuusstrategia")
    expect(page.get_by_text("Yhdessä elinvoimainen Etelä-Savo")).to_be_visible()
    for value in ["Vastuullinen", "Avoin", "Uudistuva"]:
        expect(page.get_by_role("heading", name=value, exact=True)).to_be_visible()
    expect(page.get_by_text("Kodin ja vapaa-ajan tapaturmien määrä vähenee")).to_be_visible()
    expect(page.get_by_text("PTV-palvelukuvauksien määrä kunnat kpl")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("region", ["pohjois-savo", "keski-uusimaa"])
def test_other_regions_pass_axe(page, region):
    page.goto(f"/regions/{region}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []


def test_language_switch_to_swedish_and_back(page):
    page.goto("/regions/etela-savo/")
    page.get_by_label("Kieli").select_option("sv")
    page.get_by_role("button", name="Vaihda").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", name="Huvudmål")).to_be_visible()
    expect(page.locator("h1")).to_have_attribute("lang", "fi")
    assert axe_violations(page) == []
    page.get_by_label("Språk").select_option("fi")
    page.get_by_role("button", name="Byt").click()
    expect(page.locator("html")).to_have_attribute("lang", "fi")


def test_keyboard_reaches_skip_link_and_content(page):
    page.goto("/regions/etela-savo/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Siirry sisältöön")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_phone_sized_window_has_no_sideways_scroll_and_passes_axe(browser, live_server, e2e_world):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto("/regions/etela-savo/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert axe_violations(page) == []
    context.close()


def test_no_csp_violations(browser, live_server, e2e_world):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    for url in ["/", "/regions/etela-savo/", "/admin/login/"]:
        page.goto(url)
    context.close()
    assert [m for m in messages if "Content Security Policy" in m] == []
