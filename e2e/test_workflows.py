"""The partnership's workflows in Chromium at 1366 and 390 px, each page checked with axe-core (WCAG 2.1 AA):
the annual calendar (its public feed parses as iCalendar; an administrator adds an entry) and a statement round
that goes out and comes back (a partner's editor gives a statement with a document, the administrator answers,
closes and approves, and the round is then public with the version); projects and the discussion too."""

import datetime

import icalendar
import pytest
from playwright.sync_api import Page, expect

from tilannekuva.projects.models import Milestone, Project
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind
from tilannekuva.strategy.models import StrategyVersion
from tilannekuva.strategy.versions import copy_version

from .conftest import axe_violations

pytestmark = pytest.mark.e2e

WIDTHS = (1366, 390)


@pytest.fixture
def workflow_world(e2e_world, django_user_model):
    region = Region.objects.get(slug="etela-savo")
    make = django_user_model.objects.create_user
    admin = make("wf-admin", password="wf-admin-password-1")
    RegionRole.objects.create(user=admin, region=region, role=RoleKind.ADMIN)
    editor = make("wf-mikkeli", password="wf-mikkeli-password-1")
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    RegionRole.objects.create(user=editor, region=region, role=RoleKind.EDITOR, organisation=mikkeli)
    if not StrategyVersion.objects.filter(strategy__region=region, year=2026).exists():
        copy_version(version=StrategyVersion.objects.get(strategy__region=region, year=2024), year=2026)
    project = Project.objects.create(
        region=region, name="Tietopankki-hanke", goal_key="yhteisen-tiedon-jakaminen-ja-tilannekuva"
    )
    Milestone.objects.create(project=project, title="Näkymä valmis", due=datetime.date.today())
    return region


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(f"{username}-password-1")
    page.get_by_role("button", name="Kirjaudu").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()


def check_widths(page: Page) -> None:
    """No axe violation and nothing wider than the window, at each width."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert (width, axe_violations(page)) == (width, [])
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"), width
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_annual_calendar_reads_at_both_widths_its_feed_parses_and_an_administrator_adds_an_entry(
    page, live_server, workflow_world
):
    year = datetime.date.today().year
    page.goto(f"/regions/etela-savo/calendar/?year={year}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Vuosikello {year}")
    expect(page.locator("section.calendar-month")).to_have_count(12)
    expect(page.get_by_text("Tietopankki-hanke: Näkymä valmis")).to_be_visible()
    expect(page.get_by_text("Valtionosuuspäätökset kunnille", exact=False).first).to_be_visible()
    check_widths(page)

    feed = page.request.get(f"{live_server.url}/regions/etela-savo/calendar.ics")
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body())
    assert any(str(e["SUMMARY"]) == "Tietopankki-hanke: Näkymä valmis" for e in calendar.events)

    log_in(page, "wf-admin")
    page.goto(f"/regions/etela-savo/calendar/?year={year}")
    page.get_by_role("link", name="Vuosittainen hyvinvointiraportti valtuustolle ja aluevaltuustolle").click()
    page.locator("#id_date").fill(f"{year}-05-20")
    page.locator("#id_source").fill("Valtuuston kokousaikataulu")
    page.get_by_role("button", name="Lisää kalenteriin").click()
    expect(page.get_by_text("Merkintä lisättiin kalenteriin.")).to_be_visible()
    expect(page.locator(".calendar-event", has_text="20.5.")).to_contain_text("Joka vuosi")
    page.get_by_role("button", name="Luo henkilökohtainen tilausosoite").click()
    expect(page.locator("code")).to_contain_text("/calendar/")
    check_widths(page)


def test_a_draft_goes_out_for_statements_and_comes_back_with_the_approved_version(page, workflow_world, tmp_path):
    log_in(page, "wf-admin")
    page.goto("/regions/etela-savo/statements/")
    check_widths(page)
    page.get_by_role("link", name="Lähetä vuoden 2026 luonnos lausunnolle").click()
    check_widths(page)
    page.get_by_label("Otsikko").fill("Kumppanuusstrategia 2026 lausunnolle")
    page.get_by_label("Lausunnot viimeistään").fill((datetime.date.today() + datetime.timedelta(days=20)).isoformat())
    page.get_by_label("Mikkeli").check()
    page.get_by_role("button", name="Lähetä lausunnolle").click()
    expect(page.get_by_text("Luonnos lähetettiin lausunnolle.")).to_be_visible()
    round_url = page.url
    log_out(page)

    log_in(page, "wf-mikkeli")
    page.goto(round_url)
    check_widths(page)
    document = tmp_path / "lausunto.pdf"
    document.write_bytes(b"%PDF-1.7 lausunto")
    page.locator("#id_text").fill("Mikkeli kannattaa luonnosta; mittareita täsmennettävä.")
    page.get_by_label("Asiakirja (valinnainen)").set_input_files(str(document))
    page.get_by_role("button", name="Anna lausunto").click()
    expect(page.get_by_text("Kiitos: lausunto annettiin.")).to_be_visible()
    log_out(page)

    log_in(page, "wf-admin")
    page.goto(round_url)
    page.get_by_role("textbox", name="Vastine").fill("Mittarit täsmennetty.")
    page.get_by_role("button", name="Tallenna vastine").click()
    expect(page.get_by_text("Vastine tallennettiin.")).to_be_visible()
    page.get_by_role("button", name="Sulje kierros").click()
    expect(page.get_by_text("Kierros suljettiin.")).to_be_visible()
    check_widths(page)
    page.goto("/regions/etela-savo/versions/")
    page.get_by_role("button", name="Hyväksy vuoden 2026 luonnos").click()
    log_out(page)

    page.goto(round_url)
    expect(page.get_by_text("Mikkeli kannattaa luonnosta")).to_be_visible()
    expect(page.get_by_text("Mittarit täsmennetty.")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("hyväksyttiin")
    check_widths(page)


def test_projects_and_the_discussion_read_at_both_widths(page, workflow_world):
    page.goto("/regions/etela-savo/projects/")
    page.get_by_role("link", name="Tietopankki-hanke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tietopankki-hanke")
    check_widths(page)
    log_in(page, "wf-mikkeli")
    page.goto("/regions/etela-savo/dashboard/metrics/vammojen-ja-myrkytysten-sairaalahoito/")
    check_widths(page)
    page.get_by_role("link", name="Keskustele mittarista kumppanien kanssa").click()
    page.locator("#id_text").fill("Luku kannattaa verrata maakuntaan.")
    page.get_by_role("button", name="Lähetä kommentti").click()
    expect(page.get_by_text("Kommenttisi lisättiin.")).to_be_visible()
    check_widths(page)
    page.goto("/regions/etela-savo/discussion/")
    check_widths(page)
