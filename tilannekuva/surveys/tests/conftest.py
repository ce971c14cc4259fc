"""The survey test world: Etelä-Savo's partner survey of 2025 created from the shipped template and open, an
editor of Mikkeli and the HYTE working group's coordinator (besides alice, bob, carol and dave of the root
conftest)."""

import pytest
from django.utils import translation

from tilannekuva.regions.models import Organisation, OrganisationKind, Region, RegionRole, RoleKind
from tilannekuva.surveys.models import Survey, SurveyStatus
from tilannekuva.surveys.services import create_survey, publish_results, set_status, submit_response

YEAR = 2025


@pytest.fixture
def region(world) -> Region:
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def people(users, region, django_user_model):
    make = django_user_model.objects.create_user
    erkki = make("erkki", password="erkki-password-1")
    mikkeli = Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, area__code="491")
    RegionRole.objects.create(user=erkki, region=region, role=RoleKind.EDITOR, organisation=mikkeli)
    kaisa = make("kaisa", password="kaisa-password-1")
    RegionRole.objects.create(user=kaisa, region=region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma")
    return {**users, "erkki": erkki, "kaisa": kaisa}


@pytest.fixture
def survey(people, region) -> Survey:
    created = create_survey(region=region, template="partner-survey", year=YEAR, user=people["alice"])
    return set_status(survey=created, status=SurveyStatus.OPEN, user=people["alice"])


def partner_answers(nps: int, scale: int = 7, text: str = "") -> dict:
    return {"nps": nps, "q1": scale, "q2": scale, "q3": scale, "q4": scale, "q5": scale, "q6": text}


@pytest.fixture
def answered(survey):
    """Ten answers on the open survey: municipalities 5, the county 3, the regional council 2."""
    kinds = ["municipality"] * 5 + ["wellbeing_services_county"] * 3 + ["regional_council"] * 2
    scores = [10, 10, 9, 9, 9, 8, 7, 6, 10, 3]
    for index, (kind, score) in enumerate(zip(kinds, scores, strict=True)):
        submit_response(
            survey=survey,
            values=partner_answers(score, scale=(index % 10) + 1, text=f"Ehdotus {index}" if index < 3 else ""),
            organisation_kind=kind,
        )
    return survey


def close_and_publish(survey: Survey, user, *, publish: bool = True) -> Survey:
    """Results reach the dashboard and the public only once the survey is closed and its results published."""
    set_status(survey=survey, status=SurveyStatus.CLOSED, user=user)
    return publish_results(survey=survey, publish=True, user=user) if publish else survey


@pytest.fixture
def closed(answered, people):
    """The ten answers, the survey closed (not published): final results with the breakdowns."""
    return close_and_publish(answered, people["alice"], publish=False)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language; the Finnish ones are the translators' work."""
    with translation.override("en"):
        yield
