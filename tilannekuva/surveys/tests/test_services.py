"""Building surveys from the shipped templates, answering exactly once per invitation, results and the
dashboard's survey metrics."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tilannekuva.dashboard.models import CacheGeneration
from tilannekuva.dashboard.providers import data_for
from tilannekuva.dashboard.status import Status, assess
from tilannekuva.regions.models import Organisation, Region
from tilannekuva.strategy.bindings import SurveyBinding
from tilannekuva.strategy.models import BindingType, Metric
from tilannekuva.strategy.selectors import version_in_force
from tilannekuva.surveys import selectors, services
from tilannekuva.surveys.models import Answer, Invitation, Moderation, QuestionKind, Response, SurveyStatus, token_hash

from .conftest import YEAR, close_and_publish, partner_answers


def test_the_partner_template_is_the_seeds_survey(survey):
    questions = {q.key: q for q in survey.questions.all()}
    assert list(questions) == ["nps", "q1", "q2", "q3", "q4", "q5", "q6"]
    nps = questions["nps"]
    assert (nps.kind, nps.scale_min, nps.scale_max, nps.text_fi) == ("nps", 1, 10, "Suosittelisitko kumppanuuttamme?")
    assert questions["q1"].text_fi == "Kykenemmekö yhdessä uudistumaan?"
    assert questions["q5"].text_fi == "Miten arvioisin omaa onnistumistani kumppanina?"
    assert all(questions[k].kind == "scale_1_10" and questions[k].scale == list(range(1, 11)) for k in ("q1", "q5"))
    assert (questions["q6"].kind, questions["q6"].required) == ("text", False)
    assert survey.anonymous and survey.min_group_size == 5 and survey.status == SurveyStatus.OPEN


def test_the_compass_survey_asks_about_each_main_goal_then_each_interface_and_its_actions(people, world):
    region = Region.objects.get(slug="pohjois-savo")
    survey = services.create_survey(region=region, template="compass-survey", year=2025, user=people["bob"])
    version = version_in_force(region, 2025)
    assert version is not None
    goals = list(version.goals.filter(level="main_goal").order_by("position"))
    interfaces = list(version.goals.filter(level="focus_area").order_by("position"))
    sections = list(survey.sections.all())
    assert [s.title_fi for s in sections[:4]] == [g.title for g in goals]
    assert [s.title_fi for s in sections[4:]] == [f"{i.code}. {i.title}" for i in interfaces]
    keys = set(survey.questions.values_list("key", flat=True))
    assert {f"goal-{g.key}" for g in goals} | {f"interface-{i.key}" for i in interfaces} <= keys
    assert {f"action-{a.key}" for a in version.actions.all()} <= keys  # every action of the version in force
    labels = [c.text_fi for c in survey.questions.get(key=f"goal-{goals[0].key}").choices.all()]
    assert labels[0] == "Ei lainkaan" and len(labels) == 5
    immigration = survey.questions.get(key="interface-kotoutuminen-yhdyspinta")
    assert immigration.kind == QuestionKind.SCALE_1_5 and immigration.section.title_fi.startswith("d. ")
    action = survey.questions.get(key="action-d-tyovoiman-tarpeiden-ennakointi")
    assert action.text_fi.startswith("Työvoiman tarpeiden ennakkoinnin") and action.section == immigration.section
    assert action.help_fi == "Miten toimenpide on edennyt kuluneen vuoden aikana?"


def test_the_compass_results_answer_the_four_compass_metrics_as_numbers(people, world):
    region = Region.objects.get(slug="pohjois-savo")
    survey = services.create_survey(region=region, template="compass-survey", year=2025, user=people["bob"])
    services.set_status(survey=survey, status=SurveyStatus.OPEN, user=people["bob"])
    questions = {q.key: q for q in survey.questions.all()}
    scores = {
        "hyte": [4, 4, 3, 5, 4],
        "sivistys-sote": [3, 3, 3, 3, 3],
        "tyollisyys": [2, 3, 2, 3, 2],
        "kotoutuminen": [1, 2, 2, 1, 4],
    }
    for n in range(5):
        cleaned = {questions[f"interface-{name}-yhdyspinta"]: values[n] for name, values in scores.items()}
        services.write_response(survey=survey, cleaned=cleaned, organisation_kind="municipality", import_key=f"r{n}")
    close_and_publish(survey, people["bob"])
    version = version_in_force(region, 2025)
    assert version is not None
    bound = {
        m: b
        for m in version.metrics.filter(binding_type=BindingType.SURVEY)
        if isinstance(b := m.typed_binding, SurveyBinding) and b.survey == "compass-survey"
    }
    compass = list(bound)
    assert len(compass) == 4 and {m.kind for m in compass} == {"scale_1_5"}
    found = data_for(compass, region=region)
    by_interface = {bound[m].question: found[m.pk].values[2025] for m in compass}
    assert by_interface == {
        "interface-hyte-yhdyspinta": 4.0,
        "interface-sivistys-sote-yhdyspinta": 3.0,
        "interface-tyollisyys-yhdyspinta": 2.4,
        "interface-kotoutuminen-yhdyspinta": 2.0,
    }


def test_a_long_strategy_key_gives_a_question_key_within_the_limit():
    key = services._question_key("action", "a" * 80)
    assert len(key) == 80 and key != services._question_key("action", "a" * 79 + "b")


def test_the_resident_survey_is_eurohis_qol_8_with_a_threshold_of_ten(people, region):
    survey = services.create_survey(
        region=region, template="resident-wellbeing-survey", year=2025, user=people["alice"]
    )
    items = list(survey.questions.all())
    assert [q.key for q in items] == [f"eurohis-{n}" for n in range(1, 9)]
    assert all(q.scale == [1, 2, 3, 4, 5] and q.choices.count() == 5 for q in items)
    assert items[0].text_en == "How would you rate your quality of life?"
    assert survey.min_group_size == 10 and survey.distribution == "open_link"


def test_the_participation_survey_asks_residents_and_staff(people, region):
    survey = services.create_survey(
        region=region, template="strategy-participation-survey", year=2025, user=people["alice"]
    )
    group = survey.questions.get(key="group")
    assert [c.value for c in group.choices.all()] == ["resident", "staff", "decision-maker", "stakeholder"]
    assert survey.questions.get(key="priorities").kind == QuestionKind.MULTIPLE


def test_only_the_regions_administrators_create_surveys(people, region):
    for who in ("bob", "carol", "erkki", "kaisa", "dave"):
        with pytest.raises(PermissionDenied):
            services.create_survey(region=region, template="partner-survey", year=2025, user=people[who])


def test_the_same_survey_twice_in_a_year_is_refused(survey, people, region):
    with pytest.raises(services.SurveyError, match="already has the survey partner-survey of 2025"):
        services.create_survey(region=region, template="partner-survey", year=YEAR, user=people["alice"])


def test_an_invitation_answers_once_and_a_second_submission_is_refused(survey, people):
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    [issued] = services.create_invitations(survey=survey, organisations=[mikkeli], user=people["alice"])
    assert Invitation.objects.get().token_hash == token_hash(issued.token) != issued.token
    invitation = services.invitation_for(issued.token)
    services.submit_response(survey=survey, values=partner_answers(10), invitation=invitation)
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(survey=survey, values=partner_answers(3), invitation=invitation)
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__key="nps").number == 10


def test_an_anonymous_answer_keeps_the_kind_of_organisation_but_not_the_invitation(survey, people):
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    [issued] = services.create_invitations(survey=survey, organisations=[mikkeli], user=people["alice"])
    response = services.submit_response(
        survey=survey, values=partner_answers(9), invitation=services.invitation_for(issued.token)
    )
    assert (response.organisation, response.invitation, response.organisation_kind) == (None, None, "municipality")


def test_a_named_survey_keeps_the_organisation(survey, people):
    survey.anonymous = False
    survey.save()
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    [issued] = services.create_invitations(survey=survey, organisations=[mikkeli], user=people["alice"])
    response = services.submit_response(
        survey=survey, values=partner_answers(9), invitation=services.invitation_for(issued.token)
    )
    assert response.organisation == mikkeli and response.invitation is not None


def test_answers_are_checked_against_the_scale_and_required_questions(survey):
    with pytest.raises(services.SurveyError) as error:
        services.submit_response(survey=survey, values={**partner_answers(9), "nps": 0})
    assert error.value.field == "nps"  # 0 is not on the seed's 1–10 scale
    with pytest.raises(services.SurveyError) as error:
        services.submit_response(survey=survey, values={**partner_answers(9), "q3": None})
    assert error.value.field == "q3"
    assert Response.objects.count() == 0


def test_a_closed_or_not_yet_open_survey_takes_no_answers(survey, people):
    services.set_status(survey=survey, status=SurveyStatus.CLOSED, user=people["alice"])
    with pytest.raises(services.SurveyError, match="not open"):
        services.submit_response(survey=survey, values=partner_answers(9))
    survey.status = SurveyStatus.OPEN
    survey.opens_on = timezone.localdate() + datetime.timedelta(days=1)
    assert not services.is_accepting(survey)


def test_results_show_nps_with_n_and_hide_small_kinds_with_their_complement(answered):
    assert selectors.survey_results(answered).by_kind == []  # open: preliminary, no breakdown
    assert selectors.survey_results(answered).preliminary
    services.set_status(survey=answered, status=SurveyStatus.CLOSED, user=answered.created_by)
    found = selectors.survey_results(answered)
    assert found.shown and found.n == 10
    nps = found.questions[0].nps
    assert nps is not None
    # 10,10,9,9,9,10 promoters (6), 8,7 passives, 6,3 detractors (2): (6 − 2) / 10 = 40
    assert (nps.n, nps.promoters, nps.passives, nps.detractors, nps.score) == (10, 6, 2, 2, 40)
    assert nps.label == "NPS (1–10)"
    kinds = {g.label: g for g in found.by_kind}
    assert not kinds["Municipality"].hidden and kinds["Municipality"].n == 5
    assert kinds["Wellbeing services county"].hidden and kinds["Regional council"].hidden
    assert not (kinds["Wellbeing services county"].complementary or kinds["Regional council"].complementary)


def test_results_of_a_survey_under_the_threshold_are_not_computed(survey):
    for score in (10, 9, 2, 8):
        services.submit_response(survey=survey, values=partner_answers(score))
    found = selectors.survey_results(survey)
    assert (found.shown, found.n) == (False, 4)
    assert all(item.nps is None and item.summary is None for item in found.questions)


def test_open_answers_are_listed_to_moderators_and_published_only_when_approved(answered, people):
    moderator_view = selectors.survey_results(answered, moderator=True).questions[-1]
    public_view = selectors.survey_results(answered).questions[-1]
    assert len(moderator_view.open_answers) == 3 and public_view.open_answers == []
    services.moderate(answer=moderator_view.open_answers[0], publish=True, user=people["kaisa"])
    assert [a.text for a in selectors.survey_results(answered).questions[-1].open_answers] == ["Ehdotus 0"]
    with pytest.raises(PermissionDenied):
        services.moderate(answer=moderator_view.open_answers[1], publish=True, user=people["erkki"])
    assert Answer.objects.filter(moderation=Moderation.PUBLISHED).count() == 1


def test_the_nps_card_is_on_track_above_60_and_a_response_expires_the_dashboard(
    survey, people, django_capture_on_commit_callbacks
):
    metric = Metric.objects.get(key="kumppanuuden-suositteluindeksi-nps", version__strategy__region__slug="etela-savo")
    with django_capture_on_commit_callbacks(execute=True):
        for score in (10, 10, 9, 9, 8, 10, 10):  # 6 promoters, 1 passive: 86
            services.submit_response(survey=survey, values=partner_answers(score))
    assert CacheGeneration.objects.get(key="dashboard").value >= 1
    close_and_publish(survey, people["alice"])
    data = data_for([metric], region=survey.region)[metric.pk]
    assert data.values == {YEAR: 86.0}
    assert "n = 7" in data.source_label and "NPS (1–10)" in data.source_label
    assert assess(metric, [v for _y, v in data.up_to(YEAR)]).status == Status.ON_TRACK


def test_self_assessment_metrics_get_the_mean_and_the_open_question_a_count(answered, people):
    close_and_publish(answered, people["alice"])
    metrics = list(
        Metric.objects.filter(
            key__in=["kumppanuuden-itsearviointi-q1", "kumppanuuden-itsearviointi-q6"],
            version__strategy__region__slug="etela-savo",
        )
    )
    found = data_for(metrics, region=answered.region)
    by_key = {m.key: found[m.pk] for m in metrics}
    assert by_key["kumppanuuden-itsearviointi-q1"].values == {YEAR: 5.5}  # 1..10
    assert by_key["kumppanuuden-itsearviointi-q6"].texts == {YEAR: "3 open answers, 0 published"}


def test_the_resident_metric_gets_the_eurohis_score(people, region):
    survey = services.create_survey(
        region=region, template="resident-wellbeing-survey", year=2024, user=people["alice"]
    )
    services.set_status(survey=survey, status=SurveyStatus.OPEN, user=people["alice"])
    for value in (3, 4, 4, 5, 3, 4, 4, 5, 3, 4):
        services.submit_response(survey=survey, values={f"eurohis-{n}": value for n in range(1, 9)})
    close_and_publish(survey, people["alice"])
    metric = Metric.objects.get(key="asukkaiden-kokema-elamanlaatu", version__strategy__region__slug="etela-savo")
    assert data_for([metric], region=region)[metric.pk].values == {2024: pytest.approx(3.9)}


def test_a_submission_takes_a_bounded_number_of_queries(survey):
    with CaptureQueriesContext(connection) as queries:
        services.submit_response(survey=survey, values=partner_answers(9, text="Hyvä"))
    assert len(queries) <= 10


def test_an_organisations_own_figure_is_given_only_for_a_group_of_five_or_more(survey, people):
    """Every provider answers per municipality: a named (not anonymous) survey gives a municipality its own NPS
    where at least five of its people answered; four are never broken down."""
    survey.anonymous = False
    survey.save(update_fields=["anonymous"])
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    juva = Organisation.objects.get(kind="municipality", area__code="178")
    issued = services.create_invitations(
        survey=survey, organisations=[mikkeli, juva], per_organisation=5, user=people["alice"]
    )
    for number, invitation in enumerate(issued):
        if invitation.invitation.organisation == juva and number % 5 == 4:
            continue  # Juva: four answers only
        services.submit_response(survey=survey, values=partner_answers(10), invitation=invitation.invitation)
    close_and_publish(survey, people["alice"])  # only published results reach the card
    metric = Metric.objects.get(key="kumppanuuden-suositteluindeksi-nps", version__strategy__region__slug="etela-savo")
    data = data_for([metric], region=survey.region)[metric.pk]
    assert mikkeli.area is not None and juva.area is not None
    assert data.area_value(mikkeli.area, YEAR) == 100.0
    assert data.area_value(juva.area, YEAR) is None
