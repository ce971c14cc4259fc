"""Grants in Chromium: an association applies through the public form without an account (a wrong business id
is refused with a clear message, then corrected), gets its private page and the confirmation e-mail; a reviewer
signs in, sees that another reviewer's scores are hidden, scores the application and then sees the weighted
score. axe-core on the public form and on the review page."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tilannekuva.grants import scoring, services
from tilannekuva.grants.models import Application, GrantRound, Review, RoundReviewer
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def grants_world(e2e_world, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    region = Region.objects.get(slug="etela-savo")
    make = django_user_model.objects.create_user
    admin = make("e2e-admin", password="e2e-admin-password-1")
    RegionRole.objects.create(user=admin, region=region, role=RoleKind.ADMIN)
    principles = services.principles_of(region, datetime.date.today().year)
    services.add_priority(principles=principles, user=admin, title="Nuorten mielenterveys", description="", weight=3)
    services.add_priority(principles=principles, user=admin, title="Ikäihmisten liikunta", description="", weight=1)
    services.publish(principles=principles, user=admin, reasoning="Hyvinvointitiedosta nousevat painopisteet.")
    today = datetime.date.today()
    grant_round = GrantRound.objects.create(
        principles=principles,
        funder=Organisation.objects.get(name="Etelä-Savon hyvinvointialue"),
        title="Hyvinvointialueen järjestöavustukset",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        budget=Decimal("10000"),
    )
    for username in ("e2e-arvioija", "e2e-toinen"):
        reviewer = make(username, password=f"{username}-password-1")
        RegionRole.objects.create(user=reviewer, region=region, role=RoleKind.VIEWER)
        RoundReviewer.objects.create(round=grant_round, user=reviewer, named_by=admin)
    return grant_round


def log_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Kirjaudu").click()
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(f"{username}-password-1")
    page.get_by_role("button", name="Kirjaudu").click()


def test_an_association_applies_and_a_reviewer_scores(page, grants_world, django_user_model):
    grant_round = grants_world
    page.goto("/regions/etela-savo/grants/")
    page.get_by_role("link", name="Hyvinvointialueen järjestöavustukset").click()
    page.get_by_role("link", name="Hae avustusta", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avustushakemus")
    assert axe_violations(page) == []

    page.get_by_role("textbox", name="Yhdistys").fill("Savon Nuoret ry")
    page.get_by_label("Y-tunnus").fill("1234567-2")
    page.get_by_label("Sähköposti").fill("hakija@example.invalid")
    page.get_by_label("Yhteyshenkilö").fill("Sanna Savolainen")
    page.get_by_label("Nimenkirjoitusoikeudellinen henkilö").fill("Pekka Puheenjohtaja")
    page.get_by_label("Tilinumero (IBAN)").fill("FI21 1234 5600 0007 85")
    page.get_by_label("Olen lukenut tietosuojaselosteen").check()
    page.get_by_label("Toiminnan nimi").fill("Nuorten olohuone")
    page.get_by_label("Mitä toiminta on").fill("Matalan kynnyksen kohtaamispaikka nuorille.")
    page.get_by_role("group", name="Kohderyhmät").get_by_label("Nuoret", exact=True).check()
    page.get_by_role("group", name="Painopisteet").get_by_label("Nuorten mielenterveys").check()
    page.get_by_role("group", name="Kunnat").get_by_label("Mikkeli").check()
    page.get_by_label("Toiminnan talousarvio (€)").fill("12 500")
    page.get_by_label("Haettava summa (€)").fill("4 000,50")
    page.get_by_label("Liitteet").set_input_files(
        files=[{"name": "suunnitelma.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 suunnitelma"}]
    )
    page.get_by_role("button", name="Lähetä hakemus").click()
    expect(page.locator("#id_business_id_error")).to_contain_text("ei ole kelvollinen y-tunnus")
    assert not Application.objects.exists()
    assert axe_violations(page) == []

    page.get_by_label("Y-tunnus").fill("1234567-1")
    page.get_by_label("Liitteet").set_input_files(
        files=[{"name": "suunnitelma.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 suunnitelma"}]
    )
    page.get_by_role("button", name="Lähetä hakemus").click()
    expect(page.get_by_text("Hakemuksesi on vastaanotettu")).to_be_visible()
    expect(page.get_by_text("Vastaanotettu, arvioitavana")).to_be_visible()
    expect(page.get_by_text("4 000,50 €")).to_be_visible()
    application = Application.objects.get()
    assert application.attachments.count() == 1
    assert len(mail.outbox) == 1 and page.url in mail.outbox[0].body

    other = django_user_model.objects.get(username="e2e-toinen")
    services.score_application(
        application=application, user=other, scores={c.pk: 2 for c in scoring.scored_criteria(grant_round.principles)}
    )
    log_in(page, "e2e-arvioija")
    page.goto(f"/regions/etela-savo/grants/rounds/{grant_round.pk}/manage/")
    page.get_by_role("link", name="Savon Nuoret ry: Nuorten olohuone").click()
    expect(page.get_by_text("1 muu arvioija on pisteyttänyt tämän hakemuksen")).to_be_visible()
    expect(page.get_by_text("e2e-toinen")).to_have_count(0)
    assert axe_violations(page) == []
    for criterion in scoring.scored_criteria(grant_round.principles):
        page.get_by_role("group", name=criterion.title).get_by_label("4", exact=True).check()
    page.get_by_label("Kommentti").fill("Selkeä suunnitelma.")
    page.get_by_role("button", name="Tallenna pisteeni").click()
    expect(page.get_by_text("Pisteesi on tallennettu")).to_be_visible()
    expect(page.get_by_role("heading", name="e2e-toinen")).to_be_visible()
    expect(page.get_by_role("heading", name="Painotettu pistemäärä")).to_be_visible()
    assert Review.objects.filter(application=application).count() == 2
    assert axe_violations(page) == []
