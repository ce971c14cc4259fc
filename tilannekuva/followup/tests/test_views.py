"""Every follow-up view × every role: who may see, report, approve and open; refusals change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tilannekuva.followup.models import Report, ReportingPeriod, TaskStatus
from tilannekuva.followup.services import submit_report

from .test_services import MINUTES

ROLES = ["anonymous", "dave", "bob", "carol", "erkki", "jaana", "kaisa", "alice"]
INTERNAL = {"carol", "erkki", "jaana", "kaisa", "alice"}  # a role in Etelä-Savo


def login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


def expected_for_page(who: str) -> int:
    if who == "anonymous":
        return 302
    return 200 if who in INTERNAL else 403


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", ["overview", "mine", "task"])
def test_pages_need_a_role_in_the_region(client, people, yes_no_task, who, name):
    login(client, people, who)
    args = ["etela-savo", yes_no_task.pk] if name == "task" else ["etela-savo"]
    response = client.get(reverse(f"followup:{name}", args=args))
    assert response.status_code == expected_for_page(who)
    if who == "anonymous":
        assert "login" in response["Location"]


@pytest.mark.parametrize("who", ROLES)
def test_only_editors_and_administrators_report(client, people, yes_no_task, who):
    login(client, people, who)
    response = client.post(
        reverse("followup:report", args=["etela-savo", yes_no_task.pk]),
        {"value_yes": "yes", "evidence_url": MINUTES},
    )
    reported = Report.objects.filter(task=yes_no_task).exists()
    if who in ("erkki", "jaana", "alice"):
        assert response.status_code == 302 and reported
    else:
        assert response.status_code in (302, 403) and not reported
        assert response.status_code == (302 if who == "anonymous" else 403)


@pytest.mark.parametrize("who", ROLES)
def test_only_the_groups_coordinator_and_administrators_approve(client, people, yes_no_task, who):
    report = submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    login(client, people, who)
    response = client.post(reverse("followup:review", args=["etela-savo", yes_no_task.pk]), {"decision": "approve"})
    approved = Report.objects.get(pk=report.pk).task.status == TaskStatus.APPROVED
    if who in ("kaisa", "alice"):
        assert response.status_code == 302 and approved
    else:
        assert response.status_code == (302 if who == "anonymous" else 403) and not approved


@pytest.mark.parametrize("who", ROLES)
def test_only_administrators_open_a_period(client, people, period, who):
    login(client, people, who)
    response = client.post(reverse("followup:open", args=["etela-savo"]), {"year": "2026", "deadline": "31.3.2027"})
    opened = ReportingPeriod.objects.filter(region__slug="etela-savo", year=2026).exists()
    assert opened == (who == "alice")
    assert response.status_code == (302 if who in ("alice", "anonymous") else 403)


def test_editor_of_another_organisation_gets_403_and_nothing_changes(client, people, yes_no_task):
    submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    client.force_login(people["jaana"])
    response = client.post(
        reverse("followup:report", args=["etela-savo", yes_no_task.pk]), {"value_yes": "no", "evidence_url": MINUTES}
    )
    assert response.status_code == 403
    assert list(Report.objects.filter(task=yes_no_task).values_list("value_yes", flat=True)) == [True]


def test_a_bad_report_names_the_field_and_writes_nothing(client, people, yes_no_task):
    client.force_login(people["erkki"])
    response = client.post(
        reverse("followup:report", args=["etela-savo", yes_no_task.pk]),
        {"value_yes": "yes", "evidence_file": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "not accepted" in response.content.decode() or "ei hyväksytä" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("bob", 403), ("carol", 200), ("erkki", 200)])
def test_evidence_files_are_internal(client, people, yes_no_task, settings, tmp_path, who, expected):
    settings.MEDIA_ROOT = tmp_path
    report = submit_report(
        task=yes_no_task,
        user=people["erkki"],
        yes=True,
        evidence_file=SimpleUploadedFile("poytakirja.pdf", b"%PDF-1.7 minutes"),
    )
    login(client, people, who)
    response = client.get(reverse("followup:evidence", args=["etela-savo", report.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_my_tasks_lists_what_to_report_and_what_to_approve(client, people, yes_no_task):
    submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    client.force_login(people["kaisa"])
    page = client.get(reverse("followup:mine", args=["etela-savo"])).content.decode()
    assert reverse("followup:task", args=["etela-savo", yes_no_task.pk]) in page
    client.force_login(people["jaana"])
    page = client.get(reverse("followup:mine", args=["etela-savo"])).content.decode()
    assert reverse("followup:task", args=["etela-savo", yes_no_task.pk]) not in page  # claimed by Mikkeli
