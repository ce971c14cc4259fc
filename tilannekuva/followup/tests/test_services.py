"""Reporting periods, reports with evidence, approvals, the dashboard's approved values, and reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tilannekuva.dashboard.selectors import dashboard
from tilannekuva.dashboard.status import Status
from tilannekuva.followup import services
from tilannekuva.followup.models import Report, ReportStatus, Task, TaskStatus
from tilannekuva.followup.services import FollowupError, open_period, review_report, submit_report
from tilannekuva.regions.models import Region, RegionRole
from tilannekuva.strategy.models import BindingType, Metric

from .conftest import YEAR, YES_NO_KEY

MINUTES = "https://www.mikkeli.fi/paatoksenteko/poytakirjat/2025-hyvinvointikertomus"


def manual_metrics(region) -> list[Metric]:
    return list(Metric.objects.filter(version__strategy__region=region, binding_type=BindingType.MANUAL))


def test_opening_a_period_makes_a_task_of_every_manual_metric(period, region):
    metrics = manual_metrics(region)
    own = {m.key: 11 for m in metrics if getattr(m.typed_binding, "reporter", "") == "municipality"}
    assert len(own) == 2  # "(kunnat)" and every municipality's welfare report
    assert period.tasks.count() == len(metrics) - len(own) + sum(own.values())
    task = period.tasks.get(metric__key=YES_NO_KEY)
    assert task.group_key == "hyte-tyoryhma" and task.organisation is None and task.status == TaskStatus.OPEN


def test_a_period_is_opened_once_and_only_by_an_administrator(period, region, people):
    with pytest.raises(FollowupError, match="already open"):
        open_period(region=region, year=YEAR, deadline=datetime.date(2026, 3, 31), user=people["alice"])
    with pytest.raises(PermissionDenied):
        open_period(region=region, year=2026, deadline=datetime.date(2027, 3, 31), user=people["kaisa"])


def test_a_region_without_a_strategy_has_no_period_to_open(region, people):
    elsewhere = Region.objects.create(slug="ei-strategiaa", name="Ei strategiaa", area=region.area)
    RegionRole.objects.create(user=people["alice"], region=elsewhere, role="admin")
    with pytest.raises(FollowupError, match="no strategy to follow up"):
        open_period(region=elsewhere, year=YEAR, deadline=datetime.date(2026, 3, 31), user=people["alice"])


def test_an_editor_reports_yes_with_a_link_and_claims_the_task(yes_no_task, people):
    report = submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES, comment="Kv 12.5.")
    yes_no_task.refresh_from_db()
    assert yes_no_task.organisation is not None and yes_no_task.organisation.name == "Mikkeli"
    assert yes_no_task.status == TaskStatus.SUBMITTED
    assert report.status == ReportStatus.SUBMITTED and report.display_value in ("Yes", "Kyllä")


def test_a_yes_no_answer_needs_evidence(yes_no_task, people):
    with pytest.raises(FollowupError, match="evidence") as failure:
        submit_report(task=yes_no_task, user=people["erkki"], yes=True)
    assert failure.value.field == "evidence_url"
    assert not Report.objects.exists()


def test_an_editor_of_another_organisation_cannot_change_a_claimed_task(yes_no_task, people):
    submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    with pytest.raises(PermissionDenied):
        submit_report(task=yes_no_task, user=people["jaana"], yes=False, evidence_url=MINUTES)
    assert Report.objects.count() == 1
    current = Task.objects.get(pk=yes_no_task.pk).current
    assert current is not None and current.value_yes is True


@pytest.mark.parametrize("who", ["carol", "kaisa", "bob", "dave"])
def test_only_editors_and_administrators_report(yes_no_task, people, who):
    with pytest.raises(PermissionDenied):
        submit_report(task=yes_no_task, user=people[who], yes=True, evidence_url=MINUTES)


def test_the_coordinator_approves_and_the_dashboard_shows_yes(yes_no_task, people, region):
    report = submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    review_report(report=report, user=people["kaisa"], approve=True)
    yes_no_task.refresh_from_db()
    assert yes_no_task.status == TaskStatus.APPROVED
    board = dashboard(region=region, year=YEAR)
    card = next(c for c in board.cards if c.metric.key == YES_NO_KEY)
    assert card.latest == (YEAR, 1.0) and card.ready and card.status == Status.ON_TRACK


def test_an_unapproved_report_is_not_on_the_dashboard(yes_no_task, people, region):
    submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    card = next(c for c in dashboard(region=region, year=YEAR).cards if c.metric.key == YES_NO_KEY)
    assert card.status == Status.NO_DATA


def test_a_coordinator_of_another_group_and_the_reporter_cannot_approve(yes_no_task, people, region):
    report = submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    with pytest.raises(PermissionDenied):
        review_report(report=report, user=people["erkki"], approve=True)
    other = people["kaisa"].region_roles.get()
    other.group_key = "elinvoima-tyoryhma"
    other.save()
    with pytest.raises(PermissionDenied):
        review_report(report=report, user=people["kaisa"], approve=True)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_returning_needs_a_comment_and_the_editor_corrects(yes_no_task, people):
    report = submit_report(task=yes_no_task, user=people["erkki"], yes=False, evidence_url=MINUTES)
    with pytest.raises(FollowupError, match="correcting"):
        review_report(report=report, user=people["kaisa"], approve=False)
    review_report(report=report, user=people["kaisa"], approve=False, comment="Linkki ei avaudu.")
    assert Task.objects.get(pk=yes_no_task.pk).status == TaskStatus.RETURNED
    corrected = submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    assert Task.objects.get(pk=yes_no_task.pk).current == corrected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("poytakirja.exe", b"MZ\x90\x00", "not accepted"),
        ("poytakirja.pdf", b"<html>not a pdf</html>", "does not match"),
    ],
)
def test_an_evidence_file_of_a_wrong_type_is_refused(yes_no_task, people, name, content, message):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(FollowupError, match=message) as failure:
        submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_file=upload)
    assert failure.value.field == "evidence_file"
    assert not Report.objects.exists()


@override_settings(FOLLOWUP_MAX_UPLOAD_MB=1)
def test_an_evidence_file_over_the_limit_is_refused(yes_no_task, people):
    upload = SimpleUploadedFile("poytakirja.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(FollowupError, match="the limit is 1 MB"):
        submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_file=upload)
    assert not Report.objects.exists()


def test_a_pdf_is_kept_as_evidence(yes_no_task, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("poytakirja.pdf", b"%PDF-1.7\nminutes")
    report = submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_file=upload)
    assert report.evidence_file.name.endswith("poytakirja.pdf")
    assert (tmp_path / report.evidence_file.name).read_bytes().startswith(b"%PDF")


def test_numbers_are_checked_against_the_metric_kind(period, people):
    share = period.tasks.filter(metric__kind="percent", organisation__name="Mikkeli").first()
    assert share is not None
    with pytest.raises(FollowupError, match="between 0 and 100") as failure:
        submit_report(task=share, user=people["erkki"], number=140.0)
    assert failure.value.field == "value_number"
    with pytest.raises(FollowupError, match="number"):
        submit_report(task=share, user=people["erkki"], number=None)


def test_completeness_per_organisation_and_group(yes_no_task, period, people):
    submit_report(task=yes_no_task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    by_organisation, by_group = services.completeness(period)
    mikkeli = next(c for c in by_organisation if c.label == "Mikkeli")
    assert mikkeli.submitted == 1
    hyte = next(c for c in by_group if c.label == "Hyvinvoinnin ja terveyden edistäminen")
    assert hyte.total >= 3 and hyte.submitted == 1


def test_reminders_go_to_editors_and_coordinators_before_the_deadline(period, people):
    assert services.send_reminders(period=period, today=datetime.date(2026, 1, 1)) == 0  # too early
    sent = services.send_reminders(period=period, today=datetime.date(2026, 3, 20))
    addresses = {message.to[0] for message in mail.outbox}
    assert sent == len(mail.outbox) >= 3
    assert {"erkki@mikkeli.invalid", "jaana@juva.invalid", "kaisa@eloisa.invalid"} <= addresses
    assert "31.03.2026" in mail.outbox[0].subject
    assert services.send_reminders(period=period, today=datetime.date(2026, 3, 20)) == 0  # once a day


def test_the_remind_command_reports_what_it_sent(period, people):
    from io import StringIO

    from django.core.management import call_command

    period.deadline = datetime.date.today() + datetime.timedelta(days=3)
    period.save()
    out = StringIO()
    call_command("followup", "remind", "--region", "etela-savo", stdout=out)
    assert "reminders sent" in out.getvalue() and len(mail.outbox) >= 3
