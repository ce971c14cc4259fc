"""Publishing a survey's results: only the region's administrators publish and withdraw (audited); the public
results page answers anyone who may see the dashboard, with the same suppression, only approved open answers, and
404 for a survey that is not published."""

import pytest
from django.urls import reverse
from django.utils import translation

from tilannekuva.audit.models import AuditEntry
from tilannekuva.dashboard.providers import data_for
from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import Metric
from tilannekuva.surveys import services
from tilannekuva.surveys.models import Answer, Survey, SurveyStatus

from .conftest import YEAR, partner_answers

ROLES = ["anonymous", "dave", "bob", "carol", "erkki", "kaisa", "alice"]


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def public_url(survey: Survey) -> str:
    return reverse("surveys:public_results", args=[survey.region.slug, survey.pk])


def publish(survey: Survey, people, *, approve: int = 1) -> Survey:
    for answer in Answer.objects.filter(response__survey=survey).exclude(text="").order_by("pk")[:approve]:
        services.moderate(answer=answer, publish=True, user=people["alice"])
    if survey.status != SurveyStatus.CLOSED:
        services.set_status(survey=survey, status=SurveyStatus.CLOSED, user=people["alice"])
    return services.publish_results(survey=survey, publish=True, user=people["alice"])


@pytest.mark.parametrize("who", ROLES)
def test_only_administrators_publish_and_withdraw_the_results(client, people, closed, who):
    answered = closed
    if who != "anonymous":
        client.force_login(people[who])
    url = reverse("surveys:publish", args=["etela-savo", answered.pk])
    response = client.post(url, {"decision": "publish"})
    answered.refresh_from_db()
    if who == "alice":
        assert response.status_code == 302 and answered.results_published
        entry = AuditEntry.objects.filter(object_id=str(answered.pk), note="Results published").get()
        assert "results_published_at" in entry.changes
        client.post(url, {"decision": "withdraw"})
        answered.refresh_from_db()
        assert not answered.results_published
        assert client.get(public_url(answered)).status_code == 404
    else:
        assert response.status_code == (302 if who == "anonymous" else 403) and not answered.results_published


def test_publishing_needs_csrf_and_a_decision(client, people, answered):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(people["alice"])
    url = reverse("surveys:publish", args=["etela-savo", answered.pk])
    assert csrf_client.post(url, {"decision": "publish"}).status_code == 403
    client.force_login(people["alice"])
    client.post(url, {"decision": "maybe"})
    answered.refresh_from_db()
    assert not answered.results_published


def test_a_draft_is_not_published(people, region):
    draft = services.create_survey(region=region, template="partner-survey", year=2023, user=people["alice"])
    with pytest.raises(services.SurveyError):
        services.publish_results(survey=draft, publish=True, user=people["alice"])


def test_an_open_survey_is_not_published_and_a_published_one_is_not_reopened(client, people, answered):
    with pytest.raises(services.SurveyError, match="Close the survey"):
        services.publish_results(survey=answered, publish=True, user=people["alice"])
    client.force_login(people["alice"])
    client.post(reverse("surveys:publish", args=["etela-savo", answered.pk]), {"decision": "publish"})
    answered.refresh_from_db()
    assert not answered.results_published
    publish(answered, people)
    with translation.override("en"), pytest.raises(services.SurveyError, match="withdraw them"):
        services.set_status(survey=answered, status=SurveyStatus.OPEN, user=people["alice"])
    assert Survey.objects.get(pk=answered.pk).status == SurveyStatus.CLOSED


@pytest.mark.parametrize("who", ["anonymous", "dave", "alice"])
def test_an_unpublished_survey_has_no_public_page(client, people, answered, who):
    if who != "anonymous":
        client.force_login(people[who])
    assert client.get(public_url(answered)).status_code == 404


def test_the_public_page_shows_the_published_results_with_the_same_rules(client, people, answered):
    publish(answered, people, approve=1)
    response = client.get(public_url(answered))
    page = response.text
    assert response.status_code == 200
    assert "NPS (1–10)" in page and "n = 10" in page
    assert "Ehdotus 0" in page  # approved
    assert "Ehdotus 1" not in page and "Ehdotus 2" not in page  # waiting for moderation
    assert "Hidden: fewer than 5 respondents" in page  # the county (3) and the council (2)
    assert 'name="decision"' not in page  # no moderation forms in public
    assert reverse("reports:api_survey_results", args=[answered.pk]) in page


def test_the_public_page_follows_the_dashboards_visibility(client, people, answered):
    publish(answered, people)
    Region.objects.filter(slug="etela-savo").update(dashboard_public=False)
    assert client.get(public_url(answered)).status_code == 404  # as the API answers
    client.force_login(people["dave"])
    assert client.get(public_url(answered)).status_code == 404
    client.force_login(people["carol"])
    assert client.get(public_url(answered)).status_code == 200


def test_the_public_page_says_demo_data_and_compares_only_published_years(client, people, answered, region):
    earlier = services.create_survey(region=region, template="partner-survey", year=YEAR - 1, user=people["alice"])
    services.set_status(survey=earlier, status=SurveyStatus.OPEN, user=people["alice"])
    for score in (9, 9, 8, 7, 10):
        services.submit_response(survey=earlier, values=partner_answers(score), organisation_kind="municipality")
    Survey.objects.filter(pk=answered.pk).update(demo=True)
    publish(Survey.objects.get(pk=answered.pk), people)
    page = client.get(public_url(answered)).text
    assert "Demo data (synthetic)" in page
    assert public_url(earlier) not in page and "Year over year" not in page
    publish(earlier, people)
    page = client.get(public_url(answered)).text
    assert public_url(earlier) in page
    assert reverse("surveys:results", args=[region.slug, earlier.pk]) not in page


def test_the_nps_card_shows_only_published_results_and_links_to_them(people, answered, region):
    """An open survey's live figures feed no card (the public dashboard, its metric page and CSV, the API): the
    card appears once the closed survey's results are published."""
    metric = Metric.objects.get(key="kumppanuuden-suositteluindeksi-nps", version__strategy__region=region)
    assert metric.pk not in data_for([metric], region=region)
    services.set_status(survey=answered, status=SurveyStatus.CLOSED, user=people["alice"])
    assert metric.pk not in data_for([metric], region=region)
    publish(answered, people)
    assert data_for([metric], region=region)[metric.pk].detail_url == public_url(answered)


def test_the_manage_page_offers_publishing(client, people, answered):
    client.force_login(people["alice"])
    page = client.get(reverse("surveys:manage", args=["etela-savo", answered.pk])).text
    assert 'value="publish"' not in page and "Close the survey before publishing" in page
    services.set_status(survey=answered, status=SurveyStatus.CLOSED, user=people["alice"])
    page = client.get(reverse("surveys:manage", args=["etela-savo", answered.pk])).text
    assert reverse("surveys:publish", args=["etela-savo", answered.pk]) in page and 'value="publish"' in page


def test_a_survey_published_while_open_in_an_older_database_stays_private(client, people, answered, region):
    from django.utils import timezone

    Survey.objects.filter(pk=answered.pk).update(results_published_at=timezone.now())  # as before issue 17
    metric = Metric.objects.get(key="kumppanuuden-suositteluindeksi-nps", version__strategy__region=region)
    assert metric.pk not in data_for([metric], region=region)
    assert client.get(public_url(answered)).status_code == 404
    assert client.get(reverse("reports:api_survey_results", args=[answered.pk])).status_code == 404
