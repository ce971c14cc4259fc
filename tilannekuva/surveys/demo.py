"""The survey part of the demo: Etelä-Savo's partner survey of the last full year, open, with an invitation for
each partner organisation and an open link; it and the year before carry SYNTHETIC answers generated here (with
a fixed seed), marked as demo data in the database and on every page, so that the dashboard's NPS card shows
how it works. The closed year's results are published (public page and open data API), still labelled SYNTHETIC.
Idempotent: a second run changes nothing."""

import datetime
import random
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tilannekuva.dashboard.selectors import default_year
from tilannekuva.regions.models import OrganisationKind, Region
from tilannekuva.regions.selectors import organisations_in
from tilannekuva.strategy.selectors import version_in_force

from . import selectors
from .models import Answer, QuestionKind, Response, ResponseSource, Survey, SurveyStatus
from .services import (
    create_invitations,
    create_survey,
    enable_open_link,
    moderate,
    publish_results,
    set_status,
    write_response,
)

DEMO_REGION = "etela-savo"
TEMPLATE = "partner-survey"
SEED = 20_251_202
# Respondents per organisation kind: every kind is at least five, so the breakdown shows them all.
RESPONDENTS = {
    OrganisationKind.MUNICIPALITY: 14,
    OrganisationKind.WELLBEING_SERVICES_COUNTY: 5,
    OrganisationKind.REGIONAL_COUNCIL: 5,
}
# Weights of the answers 1..10 to the NPS question: the later year a little better than the earlier.
NPS_WEIGHTS = {0: [0, 0, 1, 1, 2, 3, 5, 8, 10, 9], 1: [0, 0, 0, 0, 0, 1, 2, 3, 9, 12]}
SCALE_WEIGHTS = [0, 1, 1, 2, 4, 6, 9, 8, 5, 3]
PUBLISHED_ANSWERS = 2  # of the closed year's open answers
OPEN_ANSWERS = [
    "SYNTEETTINEN DEMOVASTAUS: Yhteisiä kokouskäytäntöjä voisi selkeyttää.",
    "SYNTEETTINEN DEMOVASTAUS: Tiedonkulku hyvinvointialueen ja kuntien välillä on parantunut.",
    "SYNTEETTINEN DEMOVASTAUS: Enemmän yhteisiä työpajoja pienille kunnille.",
]


def load_demo_data(*, password: str) -> Iterator[str]:
    region = Region.objects.filter(slug=DEMO_REGION).first()
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if region is None:
        return
    if admin is None:
        yield "Partner survey not created: the demo has no administrator (--no-admin)."
        return
    year = default_year()
    survey: Survey | None = None
    for offset, status in ((1, SurveyStatus.CLOSED), (0, SurveyStatus.OPEN)):
        survey = Survey.objects.filter(region=region, key=TEMPLATE, year=year - offset).first()
        if survey is None:
            survey = _demo_survey(region, year - offset, status, admin, seed=SEED + offset)
            published = ", results published" if survey.results_published else ""
            answers = survey.responses.count()
            yield f"Partner survey {survey.year}: {answers} SYNTHETIC demo answers, {status}{published}."
        else:
            yield f"Partner survey {survey.year} already there: {survey.responses.count()} answers."
    assert survey is not None
    yield f"Answer it through its open link /surveys/open/{survey.open_key}/; results: /regions/{region.slug}/surveys/"


@transaction.atomic
def _demo_survey(region: Region, year: int, status: str, admin: object, *, seed: int) -> Survey:
    survey = create_survey(region=region, template=TEMPLATE, year=year, user=admin)
    survey.demo = True
    survey.opens_on = datetime.date(year + 1, 1, 15)
    survey.closes_on = datetime.date(year + 1, 12, 31)
    survey.save(update_fields=["demo", "opens_on", "closes_on"])
    set_status(survey=survey, status=SurveyStatus.OPEN, user=admin)
    if status == SurveyStatus.OPEN:
        version = version_in_force(region, year)
        partners = [p.organisation for p in version.partners.select_related("organisation")] if version else []
        partners = organisations_in(partners, area=region.area, year=year)  # members of the survey's year
        create_invitations(survey=survey, organisations=partners, user=admin)
        enable_open_link(survey=survey, user=admin)
    _synthetic_answers(survey, seed=seed, better=status == SurveyStatus.OPEN)
    if status == SurveyStatus.CLOSED:
        set_status(survey=survey, status=SurveyStatus.CLOSED, user=admin)
        # The closed year's results are published: two of its open answers approved, the third left waiting, so
        # that the public page and the API show how only approved answers go out.
        texts = Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.TEXT).exclude(text="")
        for answer in texts.select_related("response__survey__region", "question").order_by("pk")[:PUBLISHED_ANSWERS]:
            moderate(answer=answer, publish=True, user=admin)
        publish_results(survey=survey, publish=True, user=admin)
    return survey


def _synthetic_answers(survey: Survey, *, seed: int, better: bool) -> None:
    """SYNTHETIC answers from a fixed seed: never anyone's real answers."""
    rng = random.Random(seed)
    questions = {q.key: q for q in selectors.questions_of(survey)}
    moment = timezone.make_aware(datetime.datetime(survey.year + 1, 1, 20, 9, 0))
    number = 0
    for kind, count in RESPONDENTS.items():
        for _n in range(count):
            number += 1
            cleaned: dict = {questions["nps"]: rng.choices(range(1, 11), NPS_WEIGHTS[int(better)])[0]}
            for key in ("q1", "q2", "q3", "q4", "q5"):
                cleaned[questions[key]] = rng.choices(range(1, 11), SCALE_WEIGHTS)[0]
            if number <= len(OPEN_ANSWERS):
                cleaned[questions["q6"]] = OPEN_ANSWERS[number - 1]
            write_response(
                survey=survey,
                cleaned=cleaned,
                organisation_kind=kind,
                submitted_at=moment + datetime.timedelta(hours=number * 5),
                source=ResponseSource.DEMO,
                import_key=f"demo-{number}",
            )
    assert Response.objects.filter(survey=survey).count() == sum(RESPONDENTS.values())
