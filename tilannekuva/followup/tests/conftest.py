"""The follow-up test world: Etelä-Savo's period of 2025 open, an editor of Mikkeli, an editor of Juva, the county's
editor, and the coordinator of the HYTE working group (besides alice, bob, carol and dave of the root conftest)."""

import datetime

import pytest
from django.utils import translation

from tilannekuva.followup.models import ReportingPeriod, Task
from tilannekuva.followup.services import open_period
from tilannekuva.regions.models import Organisation, OrganisationKind, Region, RegionRole, RoleKind

YEAR = 2025
YES_NO_KEY = "vuosittainen-hyvinvointiraportti"  # one shared figure of the HYTE working group, yes/no
OWN_KEY = "laaja-hyvinvointikertomus-ja-suunnitelma"  # yes/no, each municipality reports its own


def organisation(kind: str, code: str | None = None) -> Organisation:
    found = Organisation.objects.filter(kind=kind)
    if code:
        found = found.filter(area__code=code)
    return found.get()


@pytest.fixture
def region(world) -> Region:
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def people(users, region, django_user_model):
    make = django_user_model.objects.create_user
    erkki = make("erkki", password="erkki-password-1", email="erkki@mikkeli.invalid")
    RegionRole.objects.create(
        user=erkki, region=region, role=RoleKind.EDITOR, organisation=organisation(OrganisationKind.MUNICIPALITY, "491")
    )
    jaana = make("jaana", password="jaana-password-1", email="jaana@juva.invalid")
    RegionRole.objects.create(
        user=jaana, region=region, role=RoleKind.EDITOR, organisation=organisation(OrganisationKind.MUNICIPALITY, "178")
    )
    hanna = make("hanna", password="hanna-password-1", email="hanna@eloisa.invalid")
    RegionRole.objects.create(
        user=hanna,
        region=region,
        role=RoleKind.EDITOR,
        organisation=Organisation.objects.get(name="Etelä-Savon hyvinvointialue"),
    )
    kaisa = make("kaisa", password="kaisa-password-1", email="kaisa@eloisa.invalid")
    RegionRole.objects.create(user=kaisa, region=region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma")
    return {**users, "erkki": erkki, "jaana": jaana, "hanna": hanna, "kaisa": kaisa}


@pytest.fixture
def period(people, region) -> ReportingPeriod:
    return open_period(region=region, year=YEAR, deadline=datetime.date(2026, 3, 31), user=people["alice"])


@pytest.fixture
def yes_no_task(period) -> Task:
    return period.tasks.get(metric__key=YES_NO_KEY)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language; the Finnish ones are the translators' work."""
    with translation.override("en"):
        yield
