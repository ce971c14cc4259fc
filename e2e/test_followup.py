"""Follow-up in Chromium: an organisation editor reports a yes/no metric with a link as evidence, the
working group's coordinator approves it, the dashboard card shows it; another organisation's editor cannot
change it (HTTP 403, nothing changed). axe-core on the follow-up pages."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from tilannekuva.followup.models import Report
from tilannekuva.followup.services import open_period
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind

from .conftest import axe_violations

pytestmark = pytest.mark.e2e

YES_NO_KEY = "laaja-hyvinvointikertomus-ja-suunnitelma"
MINUTES = "https://www.mikkeli.fi/paatoksenteko/poytakirjat/2025-hyvinvointikertomus"


@pytest.fixture
def followup_world(e2e_world, django_user_model):
    region = Region.objects.get(slug="etela-savo")
    make = django_user_model.objects.create_user
    admin = make("e2e-admin", password="e2e-admin-password-1")
    RegionRole.objects.create(user=admin, region=region, role=RoleKind.ADMIN)
    for username, name in (("e2e-mikkeli", "Mikkeli"), ("e2e-juva", "Juva")):
        editor = make(username, password=f"{username}-password-1")
        organisation = Organisation.objects.get(kind="municipality", name=name)
        RegionRole.objects.create(user=editor, region=region, role=RoleKind.EDITOR, organisation=organisation)
    coordinator = make("e2e-hyte", password="e2e-hyte-password-1")
    RegionRole.objects.create(user=coordinator, region=region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma")
    period = open_period(region=region, year=2025, deadline=datetime.date(2026, 3, 31), user=admin)
    return period.tasks.get(metric__key=YES_NO_KEY, organisation__area__code="491")  # Mikkeli's own report


def log_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Kirjaudu").click()
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(f"{username}-password-1")
    page.get_by_role("button", name="Kirjaudu").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()


def test_report_approve_and_see_it_on_the_dashboard(page, followup_world):
    task = followup_world
    log_in(page, "e2e-mikkeli")
    expect(page).to_have_url(re.compile(r"/regions/etela-savo/followup/mine/$"))  # sign-in lands on the tasks
    expect(page.get_by_role("link", name="Omat tehtävät")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Laaja valtuustokauden hyvinvointikertomus ja suunnitelma").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laaja valtuustokauden hyvinvointikertomus")
    page.get_by_role("radio", name="Kyllä").check()
    page.get_by_label("Näyttö: linkki").fill(MINUTES)
    page.get_by_label("Kommentti").fill("Valtuusto hyväksyi 12.5.2025.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Raportoi").click()
    expect(page.get_by_text("Odottaa hyväksyntää").first).to_be_visible()
    log_out(page)

    log_in(page, "e2e-hyte")
    page.goto(f"/regions/etela-savo/followup/tasks/{task.pk}/")
    page.get_by_role("radio", name="Hyväksy").check()
    page.get_by_role("button", name="Tallenna päätös").click()
    expect(page.get_by_text("Hyväksytty").first).to_be_visible()
    assert axe_violations(page) == []
    log_out(page)

    page.goto("/regions/etela-savo/dashboard/?year=2025")
    card = page.locator(f"#card-{YES_NO_KEY}")
    expect(card).to_contain_text("1 / 11")  # each municipality reports its own: one of eleven said yes
    expect(card).to_contain_text("Vaatii huomiota")


def test_another_organisations_editor_gets_403_and_nothing_changes(page, followup_world, live_server):
    task = followup_world
    log_in(page, "e2e-mikkeli")
    page.goto(f"/regions/etela-savo/followup/tasks/{task.pk}/")
    page.get_by_role("radio", name="Kyllä").check()
    page.get_by_label("Näyttö: linkki").fill(MINUTES)
    page.get_by_role("button", name="Raportoi").click()
    log_out(page)

    log_in(page, "e2e-juva")
    page.goto(f"/regions/etela-savo/followup/tasks/{task.pk}/")
    expect(page.get_by_role("button", name="Raportoi")).to_have_count(0)  # no form for another organisation
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}/regions/etela-savo/followup/tasks/{task.pk}/report/",
        form={"value_yes": "no", "evidence_url": MINUTES, "csrfmiddlewaretoken": csrf},
        headers={"Referer": live_server.url, "X-CSRFToken": csrf},
    )
    assert response.status == 403
    assert list(Report.objects.filter(task=task).values_list("value_yes", flat=True)) == [True]
