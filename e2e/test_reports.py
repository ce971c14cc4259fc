"""Reports in Chromium: the static export of the public dashboard served by a plain HTTP server on loopback, and
the yearly follow-up report page; axe-core (WCAG 2.1 AA) on each."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tilannekuva.dashboard.tests.conftest import METRIC_KEY, make_injuries
from tilannekuva.reports.static_site import export_site

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass


@pytest.fixture
def static_site(e2e_world, tmp_path):
    make_injuries()
    export_site(directory=tmp_path / "site", region_slug="etela-savo", year=2024)
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_static_export_of_the_dashboard_renders_from_a_plain_http_server(browser, static_site):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{static_site}/index.html")
    page.get_by_role("link", name="Kojelauta").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Etelä-Savo")
    expect(page.locator("article.metric-card")).to_have_count(37)
    assert axe_violations(page) == []
    page.locator(f"details.focus-area:has(#card-{METRIC_KEY}) > summary").click()  # the goals open on demand
    page.locator(f"#card-{METRIC_KEY} .card-title a").click()
    expect(page).to_have_url(f"{static_site}/regions/etela-savo/dashboard/metrics/{METRIC_KEY}/index.html")
    expect(page.locator(".chart svg, .chart canvas").first).to_be_visible()  # the vendored Vega drew the chart
    expect(page.locator("table.data-table tbody tr")).to_have_count(6)
    assert axe_violations(page) == []
    context.close()


def test_follow_up_report_page_shows_goals_charts_and_tables_and_passes_axe(page):
    make_injuries()
    page.goto("/regions/etela-savo/reports/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="2024", exact=True).click()
    expect(page).to_have_url(page.url.split("/regions/")[0] + "/regions/etela-savo/reports/2024/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2024")
    expect(page.locator(".report-chart img")).to_have_count(1)
    expect(page.get_by_role("link", name="PDF")).to_be_visible()
    assert axe_violations(page) == []


def test_report_page_fits_a_phone_and_the_gaps_page_passes_axe(browser, live_server, e2e_world):
    """Issue 19: the report's wide tables scroll inside their own containers, not the page."""
    make_injuries()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, bypass_csp=True, locale="fi-FI"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    addresses = ("/regions/etela-savo/reports/2024/", "/regions/etela-savo/reports/2024/gaps/")
    for address in (*addresses, "/regions/etela-savo/reports/2024/?county=12"):  # and the county's edition
        page.goto(address)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 391, f"{address} is {width} px wide"
        assert axe_violations(page) == []
    context.close()


def test_an_administrator_builds_a_pdf_in_the_background_and_follows_it_to_the_download(
    browser, live_server, e2e_world, django_user_model, settings, tmp_path
):
    """Under the real Content Security Policy: the button queues the build, the table polls (HTMX) until the
    worker's task has built it, then offers the download; axe-core on the page."""
    from django.conf import settings as conf
    from django.test import Client

    from tilannekuva.regions.models import Region, RegionRole, RoleKind
    from tilannekuva.reports import builds
    from tilannekuva.reports.models import ReportBuild

    settings.MEDIA_ROOT = tmp_path / "media"
    admin = django_user_model.objects.create_user("e2e-report-admin", password="e2e-report-password-1")
    RegionRole.objects.create(user=admin, region=Region.objects.get(slug="etela-savo"), role=RoleKind.ADMIN)
    client = Client()
    client.force_login(admin)
    session = client.cookies[conf.SESSION_COOKIE_NAME].value
    cookie = {"name": conf.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.add_cookies([cookie])
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto("/regions/etela-savo/reports/")
        page.get_by_role("button", name="Tee PDF taustalla").click()
        row = page.locator("#report-builds tbody tr").first
        expect(row).to_contain_text("Jonossa")
        builds.execute(ReportBuild.objects.get().pk)
        expect(row).to_contain_text("Valmis", timeout=10_000)
        expect(row.get_by_role("link", name="Lataa")).to_be_visible()
        expect(page.locator("#report-builds")).not_to_have_attribute("hx-trigger", "every 2s")
        assert violations == []
    finally:
        context.close()
    checking = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fi-FI")
    checking.add_cookies([cookie])
    page = checking.new_page()
    page.goto("/regions/etela-savo/reports/")
    assert axe_violations(page) == []
    checking.close()
