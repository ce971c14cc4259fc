"""HYTE coefficient in Chromium: with an imported official table, the Etelä-Savo HYTE page shows each partner's
points, coefficient, third, € and €/resident; a coordinator picks a municipality in the simulator (its own
baselines load at once, HTMX), a value out of range is refused next to its field, and a change moves the points
and euros. axe-core on both pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tilannekuva.funding import selectors
from tilannekuva.funding.models import Level
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
    # The partner municipalities' table, then the wellbeing services county's beside it (one row).
    municipalities = page.get_by_role("region", name="Kumppanikunnat")
    rows = municipalities.get_by_role("table", name="Pisteet, kolmannes ja eurot 2024").locator("tbody tr")
    expect(rows).to_have_count(12)
    county = page.get_by_role("region", name="Hyvinvointialue")
    expect(county.get_by_role("table").locator("tbody tr")).to_have_count(1)
    mikkeli = rows.filter(has=page.get_by_role("rowheader", name="Mikkeli"))
    cells = mikkeli.locator("td")
    expect(cells.nth(0)).to_have_text(re.compile(r"^\d+,\d$"))  # points, Finnish decimal comma
    expect(cells.nth(1)).to_have_text(re.compile(r"^\d+,\d\d\d$"))  # coefficient
    expect(cells.nth(3)).to_contain_text("kolmannes")
    expect(cells.nth(4)).not_to_have_text("–")
    expect(cells.nth(5)).to_have_text(re.compile(r"^\d+,\d\d$"))
    expect(cells.nth(7)).to_contain_text("virallinen, tuotu")
    page.locator("[data-chart='hyte-chart'] svg").wait_for()
    assert axe_violations(page) == []


def _login(page: Page) -> None:
    page.goto("/accounts/login/?next=/regions/etela-savo/hyte/simulator/%3Fyear%3D2024")
    page.get_by_label("Käyttäjätunnus").fill("e2e-hyte")
    page.get_by_label("Salasana").fill("e2e-hyte-password-1")
    page.get_by_role("button", name="Kirjaudu").click()


def test_simulator_moves_the_points_and_euros(page: Page, funding_world):
    _login(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mitä jos -simulaattori")
    data = selectors.year_data(level=Level.MUNICIPALITY, year=2024)
    with page.expect_response(lambda r: "/hyte/simulator/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Kunta tai hyvinvointialue").select_option(label="Juva")
    expect(page.locator("#id_v-O2")).to_have_value(f"{data.values['178']['O2']:g}".replace(".", ","))
    with page.expect_response(lambda r: "/hyte/simulator/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Kunta tai hyvinvointialue").select_option(label="Mikkeli")
    expect(page.locator("#id_v-O2")).to_have_value(f"{data.values['491']['O2']:g}".replace(".", ","))
    before = page.locator("#partners-eur").inner_text()
    page.locator("#id_v-O2").fill("150")
    with page.expect_response(lambda r: "/hyte/simulator/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Laske").click()
    expect(page.locator("#id_v-O2-error")).to_contain_text("0–100")
    page.locator("#id_v-O2").fill("0")
    with page.expect_response(lambda r: "/hyte/simulator/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Laske").click()
    expect(page.locator("#partners-eur")).not_to_have_text(before)
    mikkeli = page.get_by_role("table").locator("tbody tr").filter(has=page.get_by_role("rowheader", name="Mikkeli"))
    expect(mikkeli).to_contain_text("muutettu")
    expect(page.get_by_text("VNA 1393/2022 3 § 5 mom").first).to_be_visible()
    assert axe_violations(page) == []


def test_hyte_pages_keep_the_content_security_policy(browser, live_server, funding_world):
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/regions/etela-savo/hyte/?year=2024")
    page.locator("[data-chart='hyte-chart'] svg").wait_for()
    _login(page)
    page.locator("#id_v-O2").fill("5")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Laske").click()
    expect(page.locator("#result-title")).to_be_visible()
    context.close()
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []
