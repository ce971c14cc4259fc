"""The partnership's structures in Chromium, on a laptop (1366 px) and a phone (390 px), each page without
axe-core (WCAG 2.1 AA) violations: Pohjois-Savo's counterpart matrix and its metric on the dashboard, Etelä-Savo's
partnership tables under their seutukunnat with a theme group and an example agreement for each."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tilannekuva.cooperation import demo
from tilannekuva.dashboard.selectors import default_year
from tilannekuva.regions.models import Region, RegionRole, RoleKind

from .conftest import axe_violations

pytestmark = pytest.mark.e2e

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def structures_world(e2e_world, django_user_model):
    list(demo.load_demo_data(password="x"))  # Pohjois-Savo's pairs from seed 001, Etelä-Savo's example agreements
    admin = django_user_model.objects.create_user("e2e-ps-admin", password="e2e-ps-admin-password-1")
    RegionRole.objects.create(user=admin, region=Region.objects.get(slug="pohjois-savo"), role=RoleKind.ADMIN)
    admin = django_user_model.objects.create_user("e2e-es-admin", password="e2e-es-admin-password-1")
    RegionRole.objects.create(user=admin, region=Region.objects.get(slug="etela-savo"), role=RoleKind.ADMIN)


@pytest.fixture
def sized_page(browser: Browser, live_server, structures_world):
    contexts = []

    def open_page(size: str) -> Page:
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, locale="fi-FI", viewport=SIZES[size], is_mobile=size == "phone"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def fits(page: Page) -> bool:
    """No sideways scroll: measured against the viewport's width, since a phone browser widens its layout
    viewport (window.innerWidth) to whatever overflows."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    return bool(page.evaluate("(width) => document.documentElement.scrollWidth <= width + 1", width))


@pytest.mark.parametrize("size", list(SIZES))
def test_the_counterpart_matrix_shows_the_gaps_and_the_dashboard_card_agrees(sized_page, size):
    page = sized_page(size)
    page.goto("/regions/pohjois-savo/counterparts/")
    matrix = page.locator("table.matrix")
    expect(matrix.locator("thead th")).to_have_text(
        ["Yhdyspinta", "Johdon taso", "Yhdyspintataso", "Arjen taso", "Osallistumisen taso", "Yhteystiedot löytyvät"]
    )
    employment = matrix.locator("tbody tr").nth(2)
    expect(employment.locator("th")).to_contain_text("c. Työllisyyden edistämisen")
    expect(employment.locator("td").nth(1)).to_contain_text("Työikäisten sosiaalipalvelut: ✔ Pari löytyy")
    expect(employment.locator("td").nth(1)).to_contain_text("Työllisyyspalvelut: ○ Puuttuu")
    expect(employment.locator("td").nth(4)).to_have_text("○ Ei")
    answer = page.locator("#answers-title + ul li")
    expect(answer).to_contain_text("Yhteystiedot löytyvät / ei löydy")
    expect(answer).to_contain_text("Ei")
    assert fits(page)
    assert axe_violations(page) == []

    answer.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yhteystiedot löytyvät / ei löydy")
    expect(page.locator("main")).to_contain_text("Näyttö: Vastinpari löytyy 2/8 kohdasta")
    expect(page.locator("main")).to_contain_text("Puuttuu: Yhdyspintataso (Työllisyyspalvelut)")
    assert fits(page)
    assert axe_violations(page) == []

    page.goto(f"/regions/pohjois-savo/dashboard/?year={default_year()}")
    page.locator("details.focus-area:has(#card-c-vastinparit-m1) > summary").click()  # the goals open on demand
    card = page.locator("#card-c-vastinparit-m1")
    expect(card.locator(".card-value .value")).to_have_text("Ei")
    expect(card).to_contain_text("Vastinpari löytyy 2/8 kohdasta")
    card.get_by_role("link", name="Vastinparimatriisi").click()
    expect(page).to_have_url(re.compile(r"/regions/pohjois-savo/counterparts/#interface-tyollisyys-yhdyspinta$"))


def test_an_administrator_fills_a_gap_in_the_matrix_on_a_phone(sized_page):
    page = sized_page("phone")
    page.goto("/accounts/login/?next=/regions/pohjois-savo/counterparts/")
    page.fill("#id_username", "e2e-ps-admin")
    page.fill("#id_password", "e2e-ps-admin-password-1")
    page.click("form.login-form button[type=submit]")
    expect(page.get_by_role("heading", name="Lisää vastinpari")).to_be_visible()
    page.locator("#id_interface_key").select_option("tyollisyys-yhdyspinta")
    page.locator("#id_level_key").select_option("yhdyspintataso")
    page.locator("#id_client_path_key").select_option("tyollisyyspalvelut")
    page.locator("#id_first_role").fill("kunnan työllisyyspalvelujen yhteyshenkilö")
    page.locator("#id_second_organisation").select_option(label="PSHVA")
    page.locator("#id_second_role").fill("työllisyyspalvelujen yhteyshenkilö hyvinvointialueella")
    page.locator("#id_valid_from").fill(str(default_year()))
    assert axe_violations(page) == []
    page.locator("form.bind-form button[type=submit]").click()
    employment = page.locator("table.matrix tbody tr").nth(2)
    expect(employment.locator("td").nth(1)).to_contain_text("Työllisyyspalvelut: ✔ Pari löytyy")
    expect(page.get_by_text("kunnan työllisyyspalvelujen yhteyshenkilö", exact=True)).to_be_visible()
    assert fits(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("size", list(SIZES))
def test_the_partnership_tables_sit_under_their_seutukunnat_with_an_example_agreement_each(sized_page, size):
    page = sized_page(size)
    page.goto("/regions/etela-savo/groups/")
    by_area = page.locator("section[aria-labelledby=areas-title]")
    for seutukunta, table in (("Mikkeli", "Mikkelin"), ("Savonlinna", "Savonlinnan"), ("Pieksämäki", "Pieksämäen")):
        heading = by_area.get_by_role("heading", name=re.compile(rf"^{seutukunta} \("))
        expect(heading).to_be_visible()
        expect(heading.locator("xpath=following-sibling::ul[1]")).to_contain_text(f"Kumppanuuspöytä – {table} seutu")
    mikkeli = by_area.locator("#area-mikkeli-seutukunta + ul")
    expect(mikkeli.locator("li li")).to_contain_text("Teemaryhmä: kuntien sote-palvelujen hankintamenettelyt")
    assert fits(page)
    assert axe_violations(page) == []

    by_area.get_by_role("link", name="Kumppanuuspöytä – Savonlinnan seutu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kumppanuuspöytä – Savonlinnan seutu")
    expect(page.locator("main")).to_contain_text("S11557")
    expect(page.locator("main")).to_contain_text("Mikkelin ammattikorkeakoulu Oy")
    expect(page.locator("main")).to_contain_text("2189312-7")
    agreements = page.locator("section[aria-labelledby=agreements-title]")
    expect(agreements).to_contain_text("Savonlinnan seudun kumppanuuspöydän yhteistyösopimus (esimerkki)")
    expect(agreements).to_contain_text("Esimerkki: demoaineistoa, ei todellinen sopimus")
    assert fits(page)
    assert axe_violations(page) == []

    page.goto("/regions/etela-savo/agreements/")
    expect(page.locator("article.agreement")).to_have_count(3)
    expect(page.locator("article.agreement .demo-tag")).to_have_count(3)
    expect(page.get_by_role("heading", level=2, name=re.compile("^Mikkeli"))).to_be_visible()
    assert fits(page)
    assert axe_violations(page) == []


def test_an_administrator_adds_an_agreement_with_its_document(sized_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    page = sized_page("laptop")
    page.goto("/accounts/login/?next=/regions/etela-savo/agreements/")
    page.fill("#id_username", "e2e-es-admin")
    page.fill("#id_password", "e2e-es-admin-password-1")
    page.click("form.login-form button[type=submit]")
    expect(page.get_by_role("heading", name="Lisää sopimus")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("#id_kind").select_option("cooperation_agreement")
    page.locator("#id_title").fill("Hyte-yhteistyösopimus Mikkelin seudulla")
    page.locator("#id_parties").get_by_label("Mikkeli", exact=True).check()
    page.locator("#id_parties").get_by_label("Eloisa", exact=True).check()
    page.locator("#id_status").select_option("signed")
    page.locator("#id_signed_on").fill("2025-02-03")
    document = tmp_path / "sopimus.pdf"
    document.write_bytes(b"%PDF-1.4 hyte-yhteistyosopimus")
    page.locator("#id_document").set_input_files(str(document))
    page.locator("form.bind-form button[type=submit]").click()
    added = page.locator("article.agreement", has_text="Hyte-yhteistyösopimus Mikkelin seudulla")
    expect(added).to_contain_text("Voimassa")
    expect(added.get_by_role("link", name="Lataa asiakirja")).to_be_visible()
    expect(added.locator(".demo-tag")).to_have_count(0)
    assert axe_violations(page) == []
