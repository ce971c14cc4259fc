"""Every survey view × every role, the respondent's form without JavaScript, and refusals that change nothing."""

import pytest
from django.urls import reverse

from tilannekuva.regions.models import Organisation
from tilannekuva.surveys import services
from tilannekuva.surveys.models import Answer, Invitation, Moderation, Response, Survey, SurveyStatus

from .conftest import partner_answers


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    """Pages open in Finnish; these tests read them in English, the source language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


ROLES = ["anonymous", "dave", "bob", "carol", "erkki", "kaisa", "alice"]
IN_REGION = {"carol", "erkki", "kaisa", "alice"}


def login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


def form_data(nps="9", scale="8", text=""):
    data = {f"q-q{n}": scale for n in range(1, 6)}
    return {**data, "q-nps": nps, "q-q6": text}


def invitation_token(survey, people):
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    return services.create_invitations(survey=survey, organisations=[mikkeli], user=people["alice"])[0].token


@pytest.mark.parametrize("who", ROLES)
def test_results_need_a_role_in_the_region(client, people, answered, who):
    login(client, people, who)
    response = client.get(reverse("surveys:results", args=["etela-savo", answered.pk]))
    assert response.status_code == (302 if who == "anonymous" else 200 if who in IN_REGION else 403)
    if response.status_code == 200:
        assert "NPS (1–10)" in response.text and "n = 10" in response.text


@pytest.mark.parametrize("who", ROLES)
def test_only_administrators_create_surveys(client, people, region, who):
    login(client, people, who)
    response = client.post(
        reverse("surveys:create", args=["etela-savo"]), {"template": "partner-survey", "year": "2024"}
    )
    created = Survey.objects.filter(region=region, year=2024).exists()
    if who == "alice":
        assert response.status_code == 302 and created
    else:
        assert response.status_code == (302 if who == "anonymous" else 403) and not created


@pytest.mark.parametrize("who", ROLES)
def test_only_administrators_open_invite_and_export(client, people, survey, who):
    login(client, people, who)
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    base = ["etela-savo", survey.pk]
    statuses = [
        client.post(reverse("surveys:status", args=base), {"status": "closed"}).status_code,
        client.post(
            reverse("surveys:invite", args=base),
            {"organisations": [mikkeli.pk], "per_organisation": 2, "output": "csv"},
        ).status_code,
        client.post(reverse("surveys:open_link", args=base)).status_code,
        client.get(reverse("surveys:export_answers", args=[*base, "csv"])).status_code,
        client.get(reverse("surveys:manage", args=base)).status_code,
    ]
    survey.refresh_from_db()
    if who == "alice":
        assert statuses == [302, 200, 302, 200, 200]
        assert survey.status == SurveyStatus.CLOSED and Invitation.objects.count() == 2 and survey.open_key
    else:
        assert set(statuses) == {302 if who == "anonymous" else 403}
        assert survey.status == SurveyStatus.OPEN and Invitation.objects.count() == 0 and not survey.open_key


def test_invitation_links_come_once_as_csv(client, people, survey):
    client.force_login(people["alice"])
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    response = client.post(
        reverse("surveys:invite", args=["etela-savo", survey.pk]),
        {"organisations": [mikkeli.pk], "per_organisation": 3, "output": "csv"},
    )
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4 and lines[1].startswith("Mikkeli;Municipality;http://testserver/surveys/answer/")
    token = lines[1].rsplit("/answer/", 1)[1].strip("/")
    assert Invitation.objects.filter(token_hash=token).count() == 0  # only the hash is kept
    assert client.get(f"/surveys/answer/{token}/").status_code == 200


@pytest.mark.parametrize("who", ROLES)
def test_moderation_is_for_administrators_and_coordinators(client, people, answered, who):
    answer = Answer.objects.filter(question__key="q6").exclude(text="").first()
    assert answer is not None
    login(client, people, who)
    response = client.post(
        reverse("surveys:moderate", args=["etela-savo", answered.pk, answer.pk]), {"decision": "publish"}
    )
    published = Answer.objects.get(pk=answer.pk).moderation == Moderation.PUBLISHED
    if who in ("alice", "kaisa"):
        assert response.status_code == 302 and published
    else:
        assert response.status_code in (302, 403) and not published


def test_the_respondent_answers_through_the_token_and_a_second_submit_keeps_the_typed_answers(client, people, survey):
    token = invitation_token(survey, people)
    url = reverse("surveys:respond", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "<fieldset" in page.text and "<legend" in page.text and "Would you recommend our partnership?" in page.text
    assert "<script" not in page.text
    first = client.post(url, form_data(nps="10", text="Enemmän yhteisiä tilaisuuksia"))
    assert first.status_code == 302 and first["Location"] == reverse("surveys:thanks", args=[survey.pk])
    second = client.post(url, form_data(nps="3", text="Toinen yritys"))
    assert second.status_code == 409
    assert "already been used" in second.text and "Toinen yritys" in second.text
    assert Response.objects.count() == 1 and Answer.objects.get(question__key="nps").number == 10
    assert "already used" in client.get(url).text


def test_a_missing_required_answer_is_named_and_linked_and_nothing_is_saved(client, people, survey):
    token = invitation_token(survey, people)
    data = form_data()
    del data["q-q3"]
    response = client.post(reverse("surveys:respond", args=[token]), data)
    assert response.status_code == 400
    assert 'href="#id_q-q3-label"' in response.text
    assert 'aria-describedby="id_q-q3-error id_q-q3-help"' in response.text
    assert Response.objects.count() == 0 and Invitation.objects.get().used_at is None


def test_an_unknown_token_is_404_and_a_closed_survey_says_so(client, people, survey):
    assert client.get("/surveys/answer/not-a-token/").status_code == 404
    token = invitation_token(survey, people)
    services.set_status(survey=survey, status=SurveyStatus.CLOSED, user=people["alice"])
    response = client.post(reverse("surveys:respond", args=[token]), form_data())
    assert response.status_code == 410 and Response.objects.count() == 0


def test_the_open_link_asks_the_kind_of_organisation(client, people, survey):
    services.enable_open_link(survey=survey, user=people["alice"])
    url = reverse("surveys:open", args=[survey.open_key])
    assert "What kind of organisation" in client.get(url).text
    response = client.post(url, {**form_data(), "organisation_kind": "regional_council"})
    assert response.status_code == 302
    assert Response.objects.get().organisation_kind == "regional_council"


def test_the_form_is_in_swedish_for_a_swedish_visitor(client, people, survey, settings):
    token = invitation_token(survey, people)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    page = client.get(reverse("surveys:respond", args=[token]))
    assert "Skulle du rekommendera vårt partnerskap?" in page.text


def test_results_download_applies_the_same_rules(client, people, closed):
    answered = closed
    client.force_login(people["carol"])
    response = client.get(reverse("surveys:export_results", args=["etela-savo", answered.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "nps;" in text and ";NPS (1–10);10;40;" in text
    assert "Regional council;hidden" in text
    assert response["Cache-Control"] == "no-store"  # a private download: kept by no browser or proxy
    assert client.get(reverse("surveys:export_results", args=["etela-savo", answered.pk, "pdf"])).status_code == 404


def test_the_preview_shows_the_form_without_a_send_button(client, people, survey):
    client.force_login(people["alice"])
    page = client.get(reverse("surveys:preview", args=["etela-savo", survey.pk]))
    assert page.status_code == 200 and "Preview" in page.text and "Send the answers" not in page.text


def test_a_survey_under_the_threshold_shows_no_figures(client, people, survey):
    for score in (10, 9, 2):
        services.submit_response(survey=survey, values=partner_answers(score))
    client.force_login(people["carol"])
    page = client.get(reverse("surveys:results", args=["etela-savo", survey.pk]))
    assert "at least 5 answers (now n = 3)" in page.text and 'id="nps-nps"' not in page.text


def test_the_builder_in_the_administration_is_scoped_to_the_regions_administrators(client, people, survey):
    question = survey.questions.get(key="nps")
    pages = [
        reverse("admin:surveys_survey_changelist"),
        reverse("admin:surveys_survey_change", args=[survey.pk]),
        reverse("admin:surveys_question_change", args=[question.pk]),
    ]
    client.force_login(people["alice"])
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    assert "Suosittelisitko kumppanuuttamme?" in client.get(pages[1]).text
    client.force_login(people["bob"])  # Pohjois-Savo's administrator
    assert client.get(pages[0]).status_code == 200 and "Kumppanuuskysely" not in client.get(pages[0]).text
    assert [client.get(url).status_code for url in pages[1:]] in ([302, 302], [403, 403])


def test_choice_and_wellbeing_results_render(client, people, region):
    admin = people["alice"]
    participation = services.create_survey(
        region=region, template="strategy-participation-survey", year=2024, user=admin
    )
    services.set_status(survey=participation, status=SurveyStatus.OPEN, user=admin)
    for index in range(5):
        services.submit_response(
            survey=participation,
            values={"group": "resident", "priorities": ["access", "costs"][: index % 2 + 1], "participation": 4},
        )
    client.force_login(people["carol"])
    page = client.get(reverse("surveys:results", args=["etela-savo", participation.pk]))
    assert page.status_code == 200
    assert "Availability and accessibility of services" in page.text and "40.0" in page.text
    assert "4 – Agree" in page.text
    resident = services.create_survey(region=region, template="resident-wellbeing-survey", year=2024, user=admin)
    services.set_status(survey=resident, status=SurveyStatus.OPEN, user=admin)
    for value in (3, 4, 4, 5, 3, 4, 4, 5, 3, 4):
        services.submit_response(survey=resident, values={f"eurohis-{n}": value for n in range(1, 9)})
    page = client.get(reverse("surveys:results", args=["etela-savo", resident.pk]))
    assert "Quality of life (EUROHIS-QOL 8)" in page.text and "3.90" in page.text


def test_the_differencing_attack_through_the_open_link_fails(client, people, survey, settings):
    """Issue 17's attack: a group under the threshold (one real answer of kind "other") is lifted over it with
    known answers added through the open link, and the breakdown read and subtracted. The open link takes a
    limited number of answers per address (here 2 an hour); while the survey is open its results are preliminary
    and carry no breakdown, and nothing public shows them; once closed, no answer can be added, so two views never
    differ."""
    settings.SURVEY_OPEN_ANSWERS_PER_ADDRESS = 2
    services.enable_open_link(survey=survey, user=people["alice"])
    services.submit_response(survey=survey, values=partner_answers(2), organisation_kind="other")  # the real one
    for score in (9, 9, 8, 9, 10):
        services.submit_response(survey=survey, values=partner_answers(score), organisation_kind="municipality")
    url = reverse("surveys:open", args=[survey.open_key])
    codes = [client.post(url, {**form_data(nps="10"), "organisation_kind": "other"}).status_code for _n in range(4)]
    assert codes == [302, 302, 429, 429]
    refused = client.post(url, {**form_data(nps="10"), "organisation_kind": "other"})
    assert "Too many submissions" in refused.text and int(refused["Retry-After"]) > 0
    assert Response.objects.filter(survey=survey, organisation_kind="other").count() == 3  # still under 5
    # From other addresses the group passes 5, yet the live view shows no breakdown, only "preliminary".
    for address in ("192.0.2.7", "192.0.2.8"):
        client.post(url, {**form_data(nps="10"), "organisation_kind": "other"}, REMOTE_ADDR=address)
    assert Response.objects.filter(survey=survey, organisation_kind="other").count() == 5
    client.force_login(people["carol"])  # a viewer of the region
    page = client.get(reverse("surveys:results", args=["etela-savo", survey.pk])).text
    assert "Preliminary results" in page and "By kind of organisation" not in page
    assert client.get(reverse("surveys:public_results", args=["etela-savo", survey.pk])).status_code == 404
    with pytest.raises(services.SurveyError):
        services.publish_results(survey=survey, publish=True, user=people["alice"])
    services.set_status(survey=survey, status=SurveyStatus.CLOSED, user=people["alice"])
    first = client.get(reverse("surveys:results", args=["etela-savo", survey.pk])).text
    assert "By kind of organisation" in first and "Preliminary results" not in first
    closed = client.post(url, {**form_data(nps="1"), "organisation_kind": "other"}, REMOTE_ADDR="192.0.2.99")
    assert closed.status_code == 410
    assert Response.objects.filter(survey=survey).count() == 10


def test_the_open_link_takes_a_limited_number_of_answers_per_address_and_per_link(client, people, survey, settings):
    settings.SURVEY_OPEN_ANSWERS_PER_ADDRESS, settings.SURVEY_OPEN_ANSWERS_PER_LINK = 2, 3
    services.enable_open_link(survey=survey, user=people["alice"])
    url = reverse("surveys:open", args=[survey.open_key])
    data = {**form_data(), "organisation_kind": "regional_council"}
    assert client.post(url, {"organisation_kind": "regional_council"}).status_code == 400  # returned: not counted
    answers = [client.post(url, data).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    refused = client.post(url, data)
    assert int(refused["Retry-After"]) > 0 and "Too many submissions" in refused.text
    # Another address may answer once more; then the link has taken its limit for the hour.
    elsewhere = [client.post(url, data, REMOTE_ADDR="198.51.100.9").status_code for _ in range(2)]
    assert elsewhere == [302, 429]
    assert Response.objects.filter(survey=survey).count() == 3


def test_the_2025_survey_offers_no_invitation_to_pertunmaa(client, people, survey):
    """Pertunmaa merged into Mäntyharju on 1.1.2025: the survey of 2025 invites the members of 2025 only."""
    client.force_login(people["alice"])
    pertunmaa = Organisation.objects.get(kind="municipality", area__code="588")
    page = client.get(reverse("surveys:manage", args=["etela-savo", survey.pk])).content.decode()
    assert f'value="{pertunmaa.pk}"' not in page
    response = client.post(
        reverse("surveys:invite", args=["etela-savo", survey.pk]),
        {"organisations": [pertunmaa.pk], "per_organisation": 1, "output": "csv"},
    )
    assert not Invitation.objects.filter(organisation=pertunmaa).exists()
    assert response.status_code in (200, 302, 400)
