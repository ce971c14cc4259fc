"""The grants test world: Etelä-Savo's published principles of 2026 with two priorities, the county's open round,
and people: kaisa coordinates the HYTE group, hanna edits for the county (the funder), erkki edits for Mikkeli,
rami and riina are the round's reviewers (besides alice, bob, carol and dave of the root conftest)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tilannekuva.grants import services
from tilannekuva.grants.models import GrantRound, Principles, PriorityStatus, RoundReviewer
from tilannekuva.regions.models import Area, Organisation, OrganisationKind, Region, RegionRole, RoleKind

YEAR = 2026
TODAY = datetime.date.today()
VALID_BUSINESS_ID = "1234567-1"  # made up, with the right check digit
VALID_IBAN = "FI21 1234 5600 0007 85"  # the banks' published example account, with the right check digits


@pytest.fixture
def region(world) -> Region:
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def county() -> Organisation:
    return Organisation.objects.get(name="Etelä-Savon hyvinvointialue")


@pytest.fixture
def people(users, region, county, django_user_model):
    make = django_user_model.objects.create_user
    mikkeli = Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, area__code="491")
    erkki = make("erkki", password="erkki-password-1")
    RegionRole.objects.create(user=erkki, region=region, role=RoleKind.EDITOR, organisation=mikkeli)
    hanna = make("hanna", password="hanna-password-1")
    RegionRole.objects.create(user=hanna, region=region, role=RoleKind.EDITOR, organisation=county)
    kaisa = make("kaisa", password="kaisa-password-1")
    RegionRole.objects.create(user=kaisa, region=region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma")
    rami = make("rami", password="rami-password-12")
    RegionRole.objects.create(user=rami, region=region, role=RoleKind.VIEWER)
    riina = make("riina", password="riina-password-1")
    RegionRole.objects.create(user=riina, region=region, role=RoleKind.VIEWER)
    return {**users, "erkki": erkki, "hanna": hanna, "kaisa": kaisa, "rami": rami, "riina": riina}


@pytest.fixture
def principles(people, region) -> Principles:
    principles = services.principles_of(region, YEAR)
    kaisa = people["kaisa"]
    services.add_priority(principles=principles, user=kaisa, title="Nuorten mielenterveys", description="", weight=3)
    services.add_priority(principles=principles, user=kaisa, title="Ikäihmisten liikunta", description="", weight=1)
    return services.publish(principles=principles, user=kaisa, reasoning="Tiedosta nousevat painopisteet.")


@pytest.fixture
def grant_round(principles, county, people) -> GrantRound:
    grant_round = GrantRound.objects.create(
        principles=principles,
        funder=county,
        title="Hyvinvointialueen järjestöavustukset 2026",
        opens_on=TODAY - datetime.timedelta(days=10),
        closes_on=TODAY + datetime.timedelta(days=20),
        budget=Decimal("10000"),
        max_grant=Decimal("6000"),
        min_score=40,
    )
    for who in ("rami", "riina"):
        RoundReviewer.objects.create(round=grant_round, user=people[who])
    return grant_round


def application_fields(grant_round: GrantRound, **overrides):
    priorities = list(grant_round.principles.priorities.filter(status=PriorityStatus.ACCEPTED).order_by("position"))
    fields = {
        "grant_round": grant_round,
        "association": "Savon Nuoret ry",
        "business_id": VALID_BUSINESS_ID,
        "email": "hakija@example.invalid",
        "contact_person": "Sanna Savolainen",
        "signatory": "Pekka Puheenjohtaja",
        "iban": VALID_IBAN,
        "privacy_notice": True,
        "activity": "Nuorten olohuone",
        "description": "Matalan kynnyksen kohtaamispaikka.",
        "target_groups": ["young"],
        "priorities": priorities[:1],
        "municipalities": [Area.objects.get(kind="municipality", code="491")],
        "total_budget": Decimal("8000"),
        "amount_applied": Decimal("4000"),
        "today": TODAY,
    }
    fields.update(overrides)
    return fields


def close(grant_round: GrantRound) -> GrantRound:
    """The application period over (yesterday was its last day): decisions may be recorded."""
    GrantRound.objects.filter(pk=grant_round.pk).update(closes_on=TODAY - datetime.timedelta(days=1))
    grant_round.refresh_from_db()
    return grant_round


@pytest.fixture
def application(grant_round):
    return services.submit_application(**application_fields(grant_round)).application


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield
