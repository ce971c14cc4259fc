"""The grant pages × roles: the public form works without an account, the drafting of priorities is the HYTE
group's, reviews are the reviewers', decisions and exports the funder's; refusals change nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tilannekuva.grants import scoring, services
from tilannekuva.grants.models import Application, Priority, PriorityStatus, Review, RoundReviewer
from tilannekuva.regions.models import Area

from .conftest import YEAR, application_fields, close

ROLES = ["anonymous", "dave", "bob", "carol", "erkki", "hanna", "kaisa", "rami", "alice"]


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    """Pages in English, the source language, so that messages can be asserted."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


def refused(response, who):
    return response.status_code == (302 if who == "anonymous" else 403)


def form_data(grant_round, **overrides):
    priority = grant_round.principles.priorities.filter(status=PriorityStatus.ACCEPTED).order_by("position").first()
    mikkeli = Area.objects.get(kind="municipality", code="491")
    data = {
        "association": "Savon Nuoret ry",
        "business_id": "1234567-1",
        "email": "hakija@example.invalid",
        "contact_person": "Sanna Savolainen",
        "signatory": "Pekka Puheenjohtaja",
        "iban": "FI21 1234 5600 0007 85",
        "privacy_notice": "on",
        "activity": "Nuorten olohuone",
        "description": "Kohtaamispaikka.",
        "target_groups": ["young"],
        "priorities": [str(priority.pk)],
        "municipalities": [str(mikkeli.pk)],
        "total_budget": "12 500,00",
        "amount_applied": "4 000",
    }
    data.update(overrides)
    return data


# --- public ----------------------------------------------------------------------------------------------------


def test_public_pages_answer_anyone(client, grant_round, application):
    for name, args in [
        ("grants:index", ["etela-savo"]),
        ("grants:round", ["etela-savo", grant_round.pk]),
        ("grants:apply", ["etela-savo", grant_round.pk]),
        ("grants:report", ["etela-savo"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_an_association_applies_without_an_account_and_sees_its_application(
    client, grant_round, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(grant_round, attachments=[SimpleUploadedFile("budjetti.csv", b"rivi;summa\n")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:apply", args=["etela-savo", grant_round.pk]), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.total_budget, application.amount_applied) == (Decimal("12500"), Decimal("4000"))
    assert len(mail.outbox) == 1
    link = response["Location"]
    assert link in mail.outbox[0].body
    page = client.get(link)
    assert page.status_code == 200 and "Savon Nuoret ry" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert client.get(link[:-2] + "xx/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("business_id", "1234567-2", "not a valid business id"),
        ("amount_applied", "12x", "is not an amount in euros"),
        ("email", "not-an-email", "valid email"),
        ("target_groups", [], "required"),
        ("iban", "FI21 1234 5600 0007 86", "not a valid IBAN"),
        ("contact_person", "", "Name the association"),
        ("signatory", " ", "Name the person with signing authority"),
        ("privacy_notice", "", "read the privacy notice"),
    ],
)
def test_a_faulty_form_shows_what_to_fix_and_saves_nothing(client, grant_round, field, value, message):
    response = client.post(
        reverse("grants:apply", args=["etela-savo", grant_round.pk]), form_data(grant_round, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_every_fault_of_the_form_is_shown_at_once(client, grant_round):
    """Issue 17: errors came one stage at a time (four round trips). Form faults and the rules' faults together."""
    data = form_data(
        grant_round,
        email="not-an-email",
        business_id="1234567-2",
        iban="FI00 1234",
        contact_person="",
        signatory="",
        privacy_notice="",
        total_budget="1000",
        amount_applied="2000",
    )
    response = client.post(reverse("grants:apply", args=["etela-savo", grant_round.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and not Application.objects.exists()
    for message in (
        "valid email",
        "not a valid business id",
        "not a valid IBAN",
        "Name the association",
        "signing authority",
        "privacy notice",
        "cannot be more than the activity",
    ):
        assert message in page, message


def test_a_closed_round_takes_no_applications(client, grant_round):
    grant_round.closes_on = grant_round.opens_on
    grant_round.save()
    page = client.get(reverse("grants:apply", args=["etela-savo", grant_round.pk]))
    assert "not open" in page.content.decode()
    response = client.post(reverse("grants:apply", args=["etela-savo", grant_round.pk]), form_data(grant_round))
    assert response.status_code == 403 and not Application.objects.exists()


def test_a_round_of_unpublished_principles_is_not_public(client, grant_round):
    grant_round.principles.status = "draft"
    grant_round.principles.save()
    assert client.get(reverse("grants:round", args=["etela-savo", grant_round.pk])).status_code == 404


# --- priorities ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_only_the_hyte_group_and_administrators_draft_priorities(client, people, region, who):
    login(client, people, who)
    response = client.post(
        reverse("grants:priority_add", args=["etela-savo", YEAR]),
        {"title": "Osallisuus", "description": "", "weight": 2},
    )
    added = Priority.objects.filter(title="Osallisuus").exists()
    if who in ("kaisa", "alice"):
        assert response.status_code == 302 and added
    else:
        assert refused(response, who) and not added


def test_the_group_edits_and_publishes_the_priorities(client, people, region):
    client.force_login(people["kaisa"])
    principles = services.principles_of(region, YEAR)
    priority = services.add_priority(
        principles=principles, user=people["kaisa"], title="Luonnos", description="", weight=1
    )
    client.post(reverse("grants:propose", args=["etela-savo", YEAR]))
    prefix = f"p{priority.pk}"
    client.post(
        reverse("grants:priority_edit", args=["etela-savo", priority.pk]),
        {
            f"{prefix}-status": "accepted",
            f"{prefix}-weight": 4,
            f"{prefix}-title": "Mielenterveys",
            f"{prefix}-description": "",
        },
    )
    priority.refresh_from_db()
    assert (priority.title, priority.weight) == ("Mielenterveys", 4)
    page = client.get(reverse("grants:priorities", args=["etela-savo", YEAR]))
    assert page.status_code == 200 and "Mielenterveys" in page.content.decode()
    response = client.post(reverse("grants:publish", args=["etela-savo", YEAR]), {"reasoning": "Tiedosta."})
    assert response.status_code == 302
    public = client.get(reverse("grants:index", args=["etela-savo"])).content.decode()
    assert "Mielenterveys" in public and "Tiedosta." in public


@pytest.mark.parametrize("who", ["carol", "erkki", "rami"])
def test_others_in_the_region_see_the_draft_but_cannot_publish(client, people, principles, who):
    login(client, people, who)
    assert client.get(reverse("grants:priorities", args=["etela-savo", YEAR])).status_code == 200
    assert client.post(reverse("grants:propose", args=["etela-savo", YEAR])).status_code == 403
    assert not principles.priorities.filter(origin="data").exists()


# --- assessment ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_only_reviewers_and_the_funder_open_the_assessment(client, people, grant_round, application, who):
    login(client, people, who)
    for url in (
        reverse("grants:manage", args=["etela-savo", grant_round.pk]),
        reverse("grants:application", args=["etela-savo", application.pk]),
    ):
        response = client.get(url)
        if who in ("rami", "hanna", "alice"):
            assert response.status_code == 200, url
        else:
            assert refused(response, who), url


def score_data(grant_round, *values):
    criteria = scoring.scored_criteria(grant_round.principles)
    return {f"criterion_{c.pk}": v for c, v in zip(criteria, values, strict=True)} | {"comment": "Hyvä."}


@pytest.mark.parametrize("who", ROLES)
def test_only_named_reviewers_score(client, people, grant_round, application, who):
    login(client, people, who)
    response = client.post(
        reverse("grants:score", args=["etela-savo", application.pk]), score_data(grant_round, 3, 4, 5)
    )
    scored = Review.objects.exists()
    if who == "rami":
        assert response.status_code == 302 and scored
    else:
        assert refused(response, who) and not scored


def test_others_scores_are_hidden_until_ones_own_is_given(client, people, grant_round, application):
    services.score_application(
        application=application,
        user=people["riina"],
        scores={int(k[10:]): 1 for k in score_data(grant_round, 1, 1, 1) if k != "comment"},
    )
    client.force_login(people["rami"])
    url = reverse("grants:application", args=["etela-savo", application.pk])
    before = client.get(url).content.decode()
    assert "riina" not in before and "hidden until you have given yours" in before
    client.post(reverse("grants:score", args=["etela-savo", application.pk]), score_data(grant_round, 5, 5, 5))
    after = client.get(url).content.decode()
    assert "riina" in after and "Weighted score" in after


@pytest.mark.parametrize("who", ROLES)
def test_only_the_funder_and_administrators_name_reviewers(client, people, grant_round, who):
    login(client, people, who)
    response = client.post(
        reverse("grants:reviewers", args=["etela-savo", grant_round.pk]), {"reviewer": people["carol"].pk}
    )
    named = RoundReviewer.objects.filter(round=grant_round, user=people["carol"]).exists()
    if who in ("hanna", "alice"):
        assert response.status_code == 302 and named
    else:
        assert refused(response, who) and not named


@pytest.mark.parametrize("who", ROLES)
def test_only_the_funder_and_administrators_decide(client, people, grant_round, application, who):
    close(grant_round)
    login(client, people, who)
    response = client.post(
        reverse("grants:decide", args=["etela-savo", grant_round.pk]), {f"amount_{application.pk}": "3 000"}
    )
    application.refresh_from_db()
    if who in ("hanna", "alice"):
        assert response.status_code == 302 and application.granted_amount == Decimal("3000")
    else:
        assert refused(response, who) and application.granted_amount is None


def test_a_decision_over_the_budget_changes_nothing(client, people, grant_round):
    first = services.submit_application(**application_fields(grant_round, amount_applied=Decimal("6000"))).application
    second = services.submit_application(
        **application_fields(
            grant_round, association="Toinen ry", total_budget=Decimal("9000"), amount_applied=Decimal("6000")
        )
    ).application
    close(grant_round)
    client.force_login(people["hanna"])
    response = client.post(
        reverse("grants:decide", args=["etela-savo", grant_round.pk]),
        {f"amount_{first.pk}": "6000", f"amount_{second.pk}": "6000"},
        follow=True,
    )
    assert "more than the budget" in response.content.decode()
    assert not Application.objects.filter(granted_amount__isnull=False).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_decisions_export_for_the_case_management_system(client, people, grant_round, application, fmt):
    services.record_decisions(
        grant_round=close(grant_round), user=people["hanna"], amounts={application.pk: Decimal("2500")}
    )
    url = reverse("grants:export", args=["etela-savo", grant_round.pk, fmt])
    client.force_login(people["rami"])
    assert client.get(url).status_code == 403
    client.force_login(people["hanna"])
    response = client.get(url)
    assert response.status_code == 200
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("round_id;round;funder") and "2500.00" in lines[1] and "1234567-1" in lines[1]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        assert sheet.cell(row=2, column=header.index("granted_eur") + 1).value == 2500


def test_attachments_are_for_the_assessment_only(client, people, grant_round, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("liite.pdf", b"%PDF-1.7 liite")
    application = services.submit_application(**application_fields(grant_round, attachments=[pdf])).application
    url = reverse("grants:attachment", args=["etela-savo", application.attachments.get().pk])
    client.force_login(people["carol"])
    assert client.get(url).status_code == 403
    client.force_login(people["rami"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


# --- transparency ----------------------------------------------------------------------------------------------


def test_the_yearly_report_shows_the_money_by_priority_municipality_target_group_and_funder(
    client, people, grant_round, application
):
    services.record_decisions(
        grant_round=close(grant_round), user=people["hanna"], amounts={application.pk: Decimal("4000")}
    )
    page = client.get(reverse("grants:report", args=["etela-savo"]) + f"?year={YEAR}").content.decode()
    for text in (
        "By priority",
        "By municipality",
        "By target group",
        "By funder",
        "Nuorten mielenterveys",
        "Mikkeli",
        "Young people",
        "Eloisa",
    ):
        assert text in page, text
    assert "4\u00a0000\u00a0€" in page or "4,000\u00a0€" in page


def test_the_overlap_view_shows_an_association_with_several_funders(client, people, grant_round, principles, region):
    from tilannekuva.grants.models import GrantRound
    from tilannekuva.regions.models import Organisation

    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    other = GrantRound.objects.create(
        principles=principles,
        funder=mikkeli,
        title="Mikkeli",
        opens_on=grant_round.opens_on,
        closes_on=grant_round.closes_on,
        budget=Decimal("1000"),
    )
    services.submit_application(**application_fields(grant_round))
    services.submit_application(**application_fields(other, amount_applied=Decimal("900")))
    client.force_login(people["carol"])
    page = client.get(reverse("grants:overlap", args=["etela-savo"])).content.decode()
    assert "Savon Nuoret ry" in page and "Mikkeli" in page
    client.force_login(people["dave"])
    assert client.get(reverse("grants:overlap", args=["etela-savo"])).status_code == 403


def test_region_administrators_keep_criteria_and_rounds_in_the_admin(client, people, grant_round):
    client.force_login(people["alice"])
    for url in (
        reverse("admin:grants_grantround_changelist"),
        reverse("admin:grants_grantround_add"),
        reverse("admin:grants_grantround_change", args=[grant_round.pk]),
        reverse("admin:grants_principles_change", args=[grant_round.principles.pk]),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(people["bob"])  # Pohjois-Savo's administrator
    assert client.get(reverse("admin:grants_grantround_change", args=[grant_round.pk])).status_code in (302, 403)


def test_a_reviewer_sees_the_ranking_only_after_scoring_every_application(client, people, grant_round, application):
    services.score_application(
        application=application,
        user=people["riina"],
        scores=dict.fromkeys([c.pk for c in scoring.scored_criteria(grant_round.principles)], 1),
    )
    url = reverse("grants:manage", args=["etela-savo", grant_round.pk])
    client.force_login(people["rami"])
    before = client.get(url).content.decode()
    assert "Applications to score" in before and "Weighted score" not in before
    client.post(reverse("grants:score", args=["etela-savo", application.pk]), score_data(grant_round, 5, 5, 5))
    after = client.get(url).content.decode()
    assert "Ranking and allocation proposal" in after and "Weighted score" in after
    client.force_login(people["hanna"])  # the funder's editor, not a reviewer
    assert "Ranking and allocation proposal" in client.get(url).content.decode()


def test_scores_are_rounded_to_one_decimal_not_cut_off():
    from django.utils import translation

    from tilannekuva.grants.templatetags.grants import decimal1

    with translation.override("fi"):
        assert decimal1(11 / 3) == "3,7"
        assert decimal1(82) == "82,0"


def test_decisions_in_an_open_round_are_refused_until_an_audited_early_close(client, people, grant_round, application):
    """Issue 17: a round decides after it closes. While it takes applications the decision is refused with a
    message; an explicit early close (with its reason, in the audit trail) ends the period, then it may decide."""
    from tilannekuva.audit.models import AuditEntry

    client.force_login(people["hanna"])
    decide = reverse("grants:decide", args=["etela-savo", grant_round.pk])
    page = client.post(decide, {f"amount_{application.pk}": "3 000"}, follow=True).content.decode()
    assert "decisions are recorded after it closes" in page
    application.refresh_from_db()
    assert application.decided_at is None and application.status == "received"
    close_url = reverse("grants:close", args=["etela-savo", grant_round.pk])
    assert "Write why the round is closed early" in client.post(close_url, {"reason": " "}, follow=True).text
    grant_round.refresh_from_db()
    assert grant_round.closes_on >= datetime.date.today()
    client.post(close_url, {"reason": "Määräraha päätettävä ennen vuodenvaihdetta"})
    grant_round.refresh_from_db()
    assert grant_round.closes_on < datetime.date.today()
    assert AuditEntry.objects.filter(note__startswith="Closed early: Määräraha", object_id=str(grant_round.pk)).exists()
    assert client.post(decide, {f"amount_{application.pk}": "3 000"}).status_code == 302
    application.refresh_from_db()
    assert application.granted_amount == Decimal("3000")


def test_the_ranking_flags_unequal_reviews_and_a_proposal_short_of_the_amount(client, people, grant_round):
    from .test_services import scores_for

    first = services.submit_application(**application_fields(grant_round, amount_applied=Decimal("6000"))).application
    second = services.submit_application(
        **application_fields(grant_round, association="Toinen ry", amount_applied=Decimal("5000"))
    ).application
    for who in ("rami", "riina"):
        services.score_application(application=first, user=people[who], scores=scores_for(grant_round, 5, 5, 5))
    services.score_application(application=second, user=people["rami"], scores=scores_for(grant_round, 5, 5, 4))
    client.force_login(people["hanna"])
    page = client.get(reverse("grants:manage", args=["etela-savo", grant_round.pk])).text
    assert "Unequal reviews" in page and "from 1 to 2 reviews" in page
    assert "no partial grant is proposed" in page  # 10 000 € budget: 6 000 € fits, 5 000 € does not
    assert Application.objects.filter(pk=second.pk, granted_amount__isnull=True).exists()


def test_a_reviewer_declares_a_conflict_of_interest_and_is_excluded(client, people, grant_round, application):
    from .test_services import scores_for

    client.force_login(people["rami"])
    page = reverse("grants:application", args=["etela-savo", application.pk])
    assert "Declare a conflict of interest" in client.get(page).text
    url = reverse("grants:conflict", args=["etela-savo", application.pk])
    client.post(url, {"reason": "Yhdistyksen hallituksen jäsen"})
    shown = client.get(page).text
    assert "You declared a conflict of interest" in shown and 'name="reason"' not in shown
    with translation.override("en"), pytest.raises(services.GrantError, match="conflict of interest"):
        services.score_application(
            application=application, user=people["rami"], scores=scores_for(grant_round, 5, 5, 5)
        )
    services.score_application(application=application, user=people["riina"], scores=scores_for(grant_round, 3, 3, 3))
    assert Review.objects.filter(application=application).count() == 1  # the score comes from riina alone
    client.force_login(people["carol"])  # not a reviewer
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_applications_and_their_upload_volume_are_limited_per_address(client, grant_round, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GRANT_APPLICATIONS_PER_ADDRESS, settings.GRANT_UPLOAD_MB_PER_ADDRESS = 2, 1
    url = reverse("grants:apply", args=["etela-savo", grant_round.pk])
    assert client.post(url, form_data(grant_round, email="")).status_code == 400  # returned: not an application
    answers = [client.post(url, form_data(grant_round, activity=f"Toiminta {n}")).status_code for n in range(3)]
    assert answers == [302, 302, 429]
    assert Application.objects.filter(round=grant_round).count() == 2
    # From another address: a body over the megabytes of the hour is refused before it is read.
    big = SimpleUploadedFile("liite.csv", b"x" * (1024 * 1024 + 1))
    refused = client.post(url, form_data(grant_round, attachments=[big]), REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert Application.objects.filter(round=grant_round).count() == 2
