"""HYTE coefficient in Chromium: with an imported official table, the Etelä-Savo HYTE page shows each partner's
points, third, € and €/resident; a coordinator changes indicator values in the simulator (HTMX partial update)
and sees the points and euros move. axe-core on both pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tilannekuva.funding.services import import_figures
from tilannekuva.funding.tests import tables
from tilannekuva.regions.models import Region, RegionRole, RoleKind

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def funding_world(e2e_world, django_user_model, tmp_path):
    thl, vm = tables.write_official_tables(tmp_path, tables.table_codes())
    import_figures(path=thl, kind="thl")
    import_figures(path=vm, kind="vm")
    coordinator = django_user_model.objects.create_user("e2e-hyte", password="e2e-hyte-password-1")
    region = Region.objects.get(slug="etela-savo")
    RegionRole.objects.create(user=coordinator, region=region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma")


def test_hyte_page_shows_every_partner_with_points_third_and_euros(page: Page, funding_world):
    page.goto("/regions/etela-savo/hyte/?year=2024")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hyte-kerroin ja rahoitus 2024")
    table = page.get_by_role("table", name="Pisteet, kolmannes ja eurot 2024")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(12)
    mikkeli = rows.filter(has=page.get_by_role("rowheader", name="Mikkeli"))
    cells = mikkeli.locator("td")
    expect(cells.nth(0)).to_have_text(re.compile(r"^\d+,\d$"))  # points, Finnish decimal comma
    expect(cells.nth(2)).to_contain_text("kolmannes")
    expect(cells.nth(3)).not_to_have_text("–")
    expect(cells.nth(4)).to_have_text(re.compile(r"^\d+,\d\d$"))
    expect(cells.nth(6)).to_contain_text("virallinen, tuotu")
    page.locator("[data-chart='hyte-chart'] svg").wait_for()
    assert axe_violations(page) == []


def test_simulator_moves_the_points_and_euros(page: Page, funding_world):
    page.goto("/accounts/login/?next=/regions/etela-savo/hyte/simulator/%3Fyear%3D2024")
    page.get_by_label("Käyttäjätunnus").fill("e2e-hyte")
    page.get_by_label("Salasana").fill("e2e-hyte-password-1")
    page.get_by_role("button", name="Kirjaudu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mitä jos -simulaattori")
    page.get_by_label("Kunta tai hyvinvointialue").select_option(label="Mikkeli")
    before = page.locator("#partners-eur").inner_text()
    page.get_by_label("TEAviisari, kuntajohto: indikaattori 1").fill("+10")
    page.get_by_label("Koulutuksen ulkopuolelle jääneet 17–24-vuotiaat, %").fill("-1")
    with page.expect_response(lambda r: "/hyte/simulator/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Laske").click()
    expect(page.locator("#partners-eur")).not_to_have_text(before)
    mikkeli = page.get_by_role("table").locator("tbody tr").filter(has=page.get_by_role("rowheader", name="Mikkeli"))
    expect(mikkeli).to_contain_text("muutettu")
    expect(page.get_by_text("Muutokset: TEAviisari, kuntajohto: indikaattori 1 +10")).to_be_visible()
    assert "d-kuntajohto-1=%2B10" in page.url or "d-kuntajohto-1=+10" in page.url or "kuntajohto-1" in page.url
    assert axe_violations(page) == []


def test_hyte_pages_keep_the_content_security_policy(browser, live_server, funding_world):
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/regions/etela-savo/hyte/?year=2024")
    page.locator("[data-chart='hyte-chart'] svg").wait_for()
    page.goto("/accounts/login/?next=/regions/etela-savo/hyte/simulator/%3Fyear%3D2024")
    page.get_by_label("Käyttäjätunnus").fill("e2e-hyte")
    page.get_by_label("Salasana").fill("e2e-hyte-password-1")
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_label("TEAviisari, kuntajohto: indikaattori 1").fill("5")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Laske").click()
    expect(page.get_by_text("Muutokset: TEAviisari, kuntajohto: indikaattori 1 +5")).to_be_visible()
    context.close()
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []
