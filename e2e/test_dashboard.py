"""The dashboard in Chromium: the strategy at a glance, a metric page, a comparison with its map and a
municipality profile; axe-core (WCAG 2.1 AA) on each, and every control reachable by keyboard alone."""

import pytest
from playwright.sync_api import Page, expect

from tilannekuva.dashboard.tests.conftest import METRIC_KEY, make_injuries

from .conftest import axe_violations

pytestmark = pytest.mark.e2e

# The focus area of the injuries metric, opened through the address (?auki=) where a test needs its card.
AREA = "turvallisuus-ja-varautuminen"
OPEN = f"/regions/etela-savo/dashboard/?year=2024&auki={AREA}"
PHONE = {"width": 390, "height": 844}

# Everything a keyboard user must be able to reach.
CONTROLS = "a[href], button, select, input, textarea, summary, [tabindex]:not([tabindex='-1'])"


@pytest.fixture
def injuries(e2e_world):
    return make_injuries()


def tab_through(page: Page) -> None:
    """Press Tab until focus comes back round; every visible control must have been focused on the way."""
    wanted = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
              .filter(e => !e.disabled && e.checkVisibility({checkVisibilityCSS: true, contentVisibilityAuto: true}))
              .map((e, i) => { e.dataset.kbd = String(i); return i; }).length""",
        CONTROLS,
    )
    reached: set[str] = set()
    for _ in range(wanted + 40):
        page.keyboard.press("Tab")
        marker = page.evaluate("document.activeElement && document.activeElement.dataset.kbd")
        if marker is not None:
            reached.add(marker)
        if len(reached) == wanted:
            break
    missed = page.evaluate(
        "(reached) => Array.from(document.querySelectorAll('[data-kbd]')).filter(e => !reached.includes(e.dataset.kbd))"
        ".map(e => e.outerHTML.slice(0, 120))",
        sorted(reached),
    )
    assert missed == []


def test_dashboard_shows_every_metric_with_a_status_and_passes_axe(page, injuries):
    page.goto(OPEN)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Etelä-Savo")
    expect(page.get_by_role("heading", name="Mittareista valmiina 1 / 37")).to_be_visible()
    expect(page.locator("article.metric-card")).to_have_count(37)
    expect(page.locator("article.metric-card .status")).to_have_count(37)
    card = page.locator(f"#card-{METRIC_KEY}")
    expect(card).to_contain_text("Ei arvioitavissa")  # no target: the fall is a trend, not "on track"
    card.locator(".status").focus()
    expect(card.get_by_role("tooltip")).to_be_visible()
    assert axe_violations(page) == []


def test_dashboard_is_reachable_by_keyboard_alone(page, injuries):
    page.goto("/regions/etela-savo/dashboard/?year=2024")
    tab_through(page)


def test_metric_page_draws_its_chart_and_passes_axe(page, injuries):
    page.goto(OPEN)
    page.locator(f"#card-{METRIC_KEY} h4 a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vammojen ja myrkytysten")
    page.get_by_label("Mikkeli").check()
    page.get_by_role("button", name="Näytä").click()
    expect(page.locator(".chart svg")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Mikkeli")).to_be_visible()
    expect(page.get_by_role("link", name="Aineisto (CSV)")).to_be_visible()
    assert axe_violations(page) == []
    tab_through(page)


def test_comparison_with_map_passes_axe_and_sorts_by_keyboard(page, injuries):
    page.goto(f"/regions/etela-savo/dashboard/metrics/{METRIC_KEY}/compare/?year=2024")
    expect(page.locator(".map svg")).to_be_visible()
    rows = page.locator("table.sortable tbody tr")
    expect(rows.first).to_contain_text("Mikkeli")  # lower is better: Mikkeli has the lowest value
    assert axe_violations(page) == []
    page.get_by_role("link", name="Alue", exact=True).focus()
    page.keyboard.press("Enter")
    expect(rows.first).to_contain_text("Enonkoski")
    tab_through(page)


def test_municipality_profile_passes_axe(page, injuries):
    page.goto("/regions/etela-savo/dashboard/?year=2024")
    page.get_by_role("link", name="Mikkeli", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mikkeli")
    expect(page.get_by_role("table")).to_contain_text("1. / 12")
    assert axe_violations(page) == []
    tab_through(page)


def test_phone_dashboard_is_at_most_five_screens_with_its_goals_closed_and_opens_them_on_demand(
    browser, live_server, injuries
):
    """Issue 19: the summary first, each goal one line; opening one keeps it in the address (and without any
    script, <details> opens it anyway)."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    page.goto("/regions/etela-savo/dashboard/?year=2024")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 5 * PHONE["height"], f"{height} px is {height / PHONE['height']:.1f} screens"
    expect(page.locator("details.focus-area[open]")).to_have_count(0)
    page.locator(f"#area-{AREA} > summary").click()
    expect(page.locator(f"#card-{METRIC_KEY}")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{OPEN}")  # the address keeps which are open
    page.reload()
    expect(page.locator(f"#card-{METRIC_KEY}")).to_be_visible()
    link = page.locator(f"#card-{METRIC_KEY} h4 a")
    assert link.get_attribute("href").endswith("?year=2024")
    context.close()
    no_script = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = no_script.new_page()
    page.goto("/regions/etela-savo/dashboard/?year=2024")
    page.locator(f"#area-{AREA} > summary").click()
    expect(page.locator(f"#card-{METRIC_KEY}")).to_be_visible()
    no_script.close()


def test_phone_sized_dashboard_has_no_sideways_scroll(browser, live_server, injuries):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    for address in (
        "/regions/etela-savo/dashboard/?year=2024",
        f"/regions/etela-savo/dashboard/metrics/{METRIC_KEY}/compare/?year=2024",
    ):
        page.goto(address)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), address
    assert axe_violations(page) == []
    context.close()


YEAR_LABELS = """() => Array.from(document.querySelectorAll('.chart svg text'))
    .filter(t => /^\\d{4}$/.test(t.textContent.trim()) && t.getAttribute('opacity') !== '0')
    .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right, r.top]; })
    .sort((a, b) => a[0] - b[0])"""


def test_at_390_px_the_picker_is_on_the_first_screen_and_year_labels_never_overlap(browser, live_server, injuries):
    from tilannekuva.databank.models import Observation

    first = Observation.objects.filter(indicator__external_id="synthetic-injuries").first()
    assert first is not None
    Observation.objects.bulk_create(  # thirty years of data: the longest axis the dashboard shows
        Observation(indicator=first.indicator, area=first.area, year=year, value=100.0 + year % 7)
        for year in range(1995, 2019)
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/regions/etela-savo/dashboard/?year=2024")
    picker = page.get_by_label("Missä oma kuntani on?")
    expect(picker).to_be_visible()
    box = picker.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # on the first screen, without scrolling
    page.goto(f"/regions/etela-savo/dashboard/metrics/{METRIC_KEY}/?year=2024&m=491")
    expect(page.locator(".chart svg")).to_be_visible()
    labels = page.evaluate(YEAR_LABELS)
    assert len(labels) >= 3  # thinned out, not gone
    for (_left, right, _top), (next_left, _r, _t) in zip(labels, labels[1:], strict=False):
        assert right <= next_left, labels  # no two year labels overlap
    assert page.locator(".chart svg").get_attribute("aria-label") == (
        "Viivakaavio; samat tiedot ovat alla olevassa taulukossa."
    )
    context.close()


def test_dashboard_pages_have_no_csp_violations(browser, live_server, injuries):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    for address in (
        "/regions/etela-savo/dashboard/",
        f"/regions/etela-savo/dashboard/metrics/{METRIC_KEY}/?year=2024",
        f"/regions/etela-savo/dashboard/metrics/{METRIC_KEY}/compare/?year=2024",
    ):
        page.goto(address)
    expect(page.locator(".map svg")).to_be_visible()
    context.close()
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []
