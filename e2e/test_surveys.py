"""Surveys in Chromium on a phone-sized window: a partner answers seed 000's partner survey through an
invitation token, a second submission of the same invitation (from a second tab) is refused with what was typed
kept, and the results page shows the NPS on the seed's 1–10 scale with n. axe-core on every page."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind
from tilannekuva.surveys.models import Response
from tilannekuva.surveys.services import create_invitations, create_survey, set_status, submit_response

from .conftest import axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def survey_world(e2e_world, django_user_model):
    region = Region.objects.get(slug="etela-savo")
    make = django_user_model.objects.create_user
    admin = make("e2e-admin", password="e2e-admin-password-1")
    RegionRole.objects.create(user=admin, region=region, role=RoleKind.ADMIN)
    viewer = make("e2e-katselija", password="e2e-katselija-password-1")
    RegionRole.objects.create(user=viewer, region=region, role=RoleKind.VIEWER)
    survey = create_survey(region=region, template="partner-survey", year=2025, user=admin)
    set_status(survey=survey, status="open", user=admin)
    # Four earlier answers (SYNTHETIC, made here) so that the fifth reaches the threshold of five.
    for score in (10, 9, 7, 4):
        values = {"nps": score, **{f"q{n}": 7 for n in range(1, 6)}}
        submit_response(survey=survey, values=values, organisation_kind="municipality")
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    [issued] = create_invitations(survey=survey, organisations=[mikkeli], user=admin)
    return survey, issued.token


def phone_page(browser: Browser, base_url: str) -> Page:
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale="fi-FI", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def answer(page: Page, *, nps: str, text: str) -> None:
    page.get_by_role("group", name=re.compile("Suosittelisitko kumppanuuttamme")).get_by_text(nps, exact=True).click()
    for question in ("Kykenemmekö", "Jaammeko", "Toimimmeko", "Onko yhteistyömme", "Miten arvioisin"):
        page.get_by_role("group", name=re.compile(question)).get_by_text("8", exact=True).click()
    page.get_by_label("Miten parantaisit kumppanuuttamme?").fill(text)


@pytest.fixture
def phone(browser, live_server):
    """Phone-sized pages; their contexts are closed after the test, so the live server stops cleanly."""
    pages: list[Page] = []

    def open_page() -> Page:
        pages.append(phone_page(browser, live_server.url))
        return pages[-1]

    yield open_page
    for page in pages:
        page.context.close()


def test_a_partner_answers_once_on_a_phone_and_the_results_show_nps_with_n(phone, survey_world):
    survey, token = survey_world
    url = f"/surveys/answer/{token}/"
    first = phone()
    second = first.context.new_page()  # the same invitation open in a second tab
    first.goto(url)
    second.goto(url)
    expect(first.get_by_role("heading", level=1)).to_have_text("Kumppanuuskysely")
    assert first.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    answer(first, nps="10", text="Yhteiset tilaisuudet useammin")
    assert axe_violations(first) == []
    first.get_by_role("button", name="Lähetä vastaukset").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Kiitos vastauksistasi")
    assert axe_violations(first) == []

    answer(second, nps="3", text="Toinen yritys samalla linkillä")
    second.get_by_role("button", name="Lähetä vastaukset").click()
    expect(second.get_by_role("alert")).to_contain_text("Tällä kutsulla on jo vastattu")
    expect(second.get_by_label("Miten parantaisit kumppanuuttamme?")).to_have_value("Toinen yritys samalla linkillä")
    assert axe_violations(second) == []
    assert Response.objects.filter(survey=survey).count() == 5

    results = phone()
    results.goto("/accounts/login/")
    results.get_by_label("Käyttäjätunnus").fill("e2e-katselija")
    results.get_by_label("Salasana").fill("e2e-katselija-password-1")
    results.get_by_role("button", name="Kirjaudu").click()
    results.goto(f"/regions/etela-savo/surveys/{survey.pk}/results/")
    nps = results.locator("section").filter(has=results.get_by_role("heading", name=re.compile("Suosittelisitko")))
    expect(nps).to_contain_text("NPS (1–10)")
    expect(nps.locator("#nps-nps")).to_have_text("40")  # promoters 10, 9, 10; passive 7; detractor 4: (3 − 1)/5
    expect(nps).to_contain_text("n = 5")
    assert axe_violations(results) == []


def test_an_administrator_creates_opens_and_invites_with_the_builder(page, survey_world):
    page.goto("/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill("e2e-admin")
    page.get_by_label("Salasana").fill("e2e-admin-password-1")
    page.get_by_role("button", name="Kirjaudu").click()
    page.goto("/regions/etela-savo/surveys/")
    assert axe_violations(page) == []
    page.get_by_label("Asukkaiden elämänlaatu (EUROHIS-QOL 8)").check()
    page.get_by_label("Vuosi").fill("2024")
    page.get_by_role("button", name="Luo kysely").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Asukkaiden elämänlaatukysely 2024")
    expect(page.get_by_role("table", name="Kyselyn kysymykset järjestyksessä")).to_contain_text("eurohis-8")
    assert axe_violations(page) == []
    page.get_by_label("Tila").select_option("open")
    page.get_by_role("button", name="Tallenna tila").click()
    expect(page.get_by_text("Tila tallennettu: Avoinna.")).to_be_visible()
    page.get_by_label("Mikkeli").check()
    page.get_by_label("sivulla, kerran").check()
    page.get_by_role("button", name="Luo kutsut").click()
    link = page.get_by_role("link", name=re.compile(r"surveys.answer"))
    expect(link).to_have_count(1)
    assert axe_violations(page) == []
    link.click()
    expect(page.get_by_role("group", name=re.compile("Millaiseksi arvioitte elämänlaatunne"))).to_contain_text(
        "Erittäin hyvä"
    )


def test_an_administrator_publishes_the_results_and_anyone_reads_them(page, browser, live_server, survey_world):
    survey, _token = survey_world
    values = {"nps": 9, **{f"q{n}": 8 for n in range(1, 6)}, "q6": "Odottaa moderointia"}
    submit_response(survey=survey, values=values, organisation_kind="municipality")  # the fifth, SYNTHETIC
    public_url = f"/regions/etela-savo/surveys/{survey.pk}/public/"
    page.goto("/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill("e2e-admin")
    page.get_by_label("Salasana").fill("e2e-admin-password-1")
    page.get_by_role("button", name="Kirjaudu").click()
    page.goto(f"/regions/etela-savo/surveys/{survey.pk}/")
    expect(page.get_by_role("button", name="Julkaise tulokset")).to_have_count(0)  # only a closed survey's
    page.locator("#status-title + form").get_by_label("Tila").select_option("closed")
    page.get_by_role("button", name="Tallenna tila").click()
    page.get_by_role("button", name="Julkaise tulokset").click()
    expect(page.get_by_text("Tulokset ovat julkisia.")).to_be_visible()
    assert axe_violations(page) == []

    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fi-FI")
    try:
        public = context.new_page()
        public.goto(public_url)
        expect(public.get_by_role("heading", level=1)).to_have_text("Kumppanuuskysely 2025")
        nps = public.locator("section").filter(has=public.get_by_role("heading", name=re.compile("Suosittelisitko")))
        expect(nps).to_contain_text("NPS (1–10)")
        expect(nps).to_contain_text("n = 5")
        expect(public.get_by_text("Odottaa moderointia")).to_have_count(0)  # not approved: not public
        assert axe_violations(public) == []
    finally:
        context.close()
