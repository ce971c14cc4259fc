"""Follow-up: opening a reporting period, reporting a value with its evidence, approving or returning it, and
reminding those whose tasks are still open. Each function checks who may do it and runs in one transaction."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.core.uploads import DocumentRefused, check_document
from tilannekuva.regions.models import Organisation, OrganisationKind, Region, RegionRole, RoleKind
from tilannekuva.regions.permissions import can_coordinate, can_report, is_region_admin, organisations_edited
from tilannekuva.regions.selectors import organisations_in
from tilannekuva.strategy.bindings import (
    REPORTER_COUNCIL,
    REPORTER_COUNTY,
    REPORTER_GROUP,
    REPORTER_MUNICIPALITY,
    ManualBinding,
)
from tilannekuva.strategy.models import BindingType, MeasureKind, Metric
from tilannekuva.strategy.selectors import version_in_force

from .models import PeriodStatus, Report, ReportingPeriod, ReportStatus, Task, TaskStatus

NUMBER_KINDS = {
    MeasureKind.NUMBER,
    MeasureKind.INDEX,
    MeasureKind.PERCENT,
    MeasureKind.COUNT,
    MeasureKind.NPS,
    MeasureKind.SCALE_1_10,
    MeasureKind.SCALE_1_5,
    MeasureKind.EURO,
    MeasureKind.EURO_PER_RESIDENT,
}
RANGES = {
    MeasureKind.PERCENT: (0.0, 100.0),
    MeasureKind.NPS: (-100.0, 100.0),
    MeasureKind.SCALE_1_10: (1.0, 10.0),
    MeasureKind.SCALE_1_5: (1.0, 5.0),
    MeasureKind.COUNT: (0.0, float("inf")),
}
SUMMED_KINDS = {MeasureKind.COUNT, MeasureKind.EURO}


class FollowupError(Exception):
    """The request cannot be carried out; `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


def group_key_of(metric: Metric) -> str:
    group = metric.responsible or metric.goal.responsible
    return group.key if group else ""


def members_in(organisations: list[Organisation], *, region: Region, year: int) -> list[Organisation]:
    """The organisations that are members in `year` (regions.selectors.organisations_in)."""
    return organisations_in(organisations, area=region.area, year=year)


def reporters_of(metric: Metric, partners: list[Organisation]) -> list[Organisation] | None:
    """The organisations that each report the metric for themselves (one task each), or None for one shared
    task of the responsible group. `partners` are the strategy's partners that are members in the year."""
    binding = metric.typed_binding
    kind = binding.reporter_kind if isinstance(binding, ManualBinding) else REPORTER_GROUP
    if kind == REPORTER_MUNICIPALITY:
        return [o for o in partners if o.kind == OrganisationKind.MUNICIPALITY]
    if kind == REPORTER_COUNTY:
        return [o for o in partners if o.kind == OrganisationKind.WELLBEING_SERVICES_COUNTY]
    if kind == REPORTER_COUNCIL:
        return [o for o in partners if o.kind == OrganisationKind.REGIONAL_COUNCIL]
    return partners if metric.per_organisation else None


def group_organisations(task: Task) -> set[int]:
    """Who may claim a shared task: the responsible group's member organisations where the strategy lists
    them, else the partners; only those that are members in the period's year."""
    metric, period = task.metric, task.period
    group = metric.responsible or metric.goal.responsible
    listed = list(group.member_organisations.all()) if group is not None else []
    if not listed:
        listed = [p.organisation for p in metric.version.partners.select_related("organisation")]
    return {o.pk for o in members_in(listed, region=period.region, year=period.year)}


@transaction.atomic
def open_period(*, region: Region, year: int, deadline: datetime.date, user: Any) -> ReportingPeriod:
    """Open the follow-up of `year`: every metric reported by hand becomes a task for its responsible group,
    one per organisation where each reports its own (the binding's `reporter`), for the organisations that are
    members in `year`."""
    if not is_region_admin(user, region):
        raise PermissionDenied
    if ReportingPeriod.objects.filter(region=region, year=year).exists():
        raise FollowupError(_("The follow-up of %(year)s is already open.") % {"year": year}, field="year")
    version = version_in_force(region, year)
    if version is None:
        raise FollowupError(_("The region has no strategy to follow up."), field="year")
    period = ReportingPeriod.objects.create(region=region, year=year, deadline=deadline, opened_by=user)
    listed = [p.organisation for p in version.partners.select_related("organisation").order_by("position")]
    partners = members_in(listed, region=region, year=year)
    metrics = version.metrics.filter(binding_type=BindingType.MANUAL).select_related("responsible", "goal__responsible")
    tasks = []
    for metric in metrics:
        key = group_key_of(metric)
        reporters = reporters_of(metric, partners)
        if reporters is None:
            tasks.append(Task(period=period, metric=metric, group_key=key))
        else:
            tasks += [Task(period=period, metric=metric, organisation=o, group_key=key) for o in reporters]
    Task.objects.bulk_create(tasks)
    record(actor=user, obj=period, action="opened", region=region, note=_("%(count)s tasks") % {"count": len(tasks)})
    return period


def reporting_organisation(user: Any, task: Task, chosen: Organisation | None = None) -> Organisation | None:
    """Whose report this is: the task's own organisation, or for a shared task not yet claimed, the editor's,
    which must be one of the responsible group's organisations (an editor never claims another's task)."""
    if task.organisation_id:
        return task.organisation
    region = task.period.region
    allowed = group_organisations(task)
    edited = [pk for pk in organisations_edited(user, region) if pk in allowed]
    if chosen is not None:
        if chosen.pk not in allowed or (chosen.pk not in edited and not is_region_admin(user, region)):
            raise PermissionDenied
        return chosen
    if len(edited) == 1:
        return Organisation.objects.get(pk=edited[0])
    if len(edited) > 1:
        raise FollowupError(_("Choose the organisation you report for."), field="organisation")
    if organisations_edited(user, region) and not is_region_admin(user, region):
        raise PermissionDenied  # the editor's organisations are not the responsible group's
    return None  # an administrator without an organisation reports for the partnership


def clean_value(metric: Metric, *, number: float | None, yes: bool | None, text: str) -> dict[str, Any]:
    """The value fields of a report, checked against the metric's kind; a fault names its field."""
    if metric.kind == MeasureKind.YES_NO:
        if yes is None:
            raise FollowupError(_("Answer yes or no."), field="value_yes")
        return {"value_yes": yes, "value_number": None, "value_text": text}
    if metric.kind in NUMBER_KINDS:
        if number is None:
            raise FollowupError(_("Give the value as a number."), field="value_number")
        low, high = RANGES.get(MeasureKind(metric.kind), (float("-inf"), float("inf")))
        if not low <= number <= high:
            raise FollowupError(
                _("The value must be between %(low)s and %(high)s.") % {"low": f"{low:g}", "high": f"{high:g}"},
                field="value_number",
            )
        if metric.kind == MeasureKind.COUNT and not float(number).is_integer():
            raise FollowupError(_("A count is a whole number."), field="value_number")
        return {"value_number": number, "value_yes": None, "value_text": text}
    if not text.strip():
        raise FollowupError(_("Describe the situation in words."), field="value_text")
    return {"value_text": text, "value_number": None, "value_yes": None}


def check_evidence_file(upload: UploadedFile) -> None:
    """The one document check (core.uploads), its refusal naming the evidence file's field."""
    try:
        check_document(upload)
    except DocumentRefused as exc:
        raise FollowupError(str(exc), field="evidence_file") from exc


@transaction.atomic
def submit_report(
    *,
    task: Task,
    user: Any,
    number: float | None = None,
    yes: bool | None = None,
    text: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    comment: str = "",
    organisation: Organisation | None = None,
) -> Report:
    """Report the task's value. Nothing is written unless every field passes."""
    task = Task.objects.select_for_update().select_related("period__region", "metric").get(pk=task.pk)
    region = task.period.region
    if not can_report(user, region=region, organisation_id=task.organisation_id):
        raise PermissionDenied
    if task.period.status != PeriodStatus.OPEN:
        raise FollowupError(_("The follow-up of %(year)s is closed.") % {"year": task.period.year})
    values = clean_value(task.metric, number=number, yes=yes, text=text)
    if evidence_file is not None:
        check_evidence_file(evidence_file)
    if task.metric.kind == MeasureKind.YES_NO and not (evidence_url or evidence_file):
        raise FollowupError(
            _("A yes/no answer needs evidence: a link (e.g. to the council's minutes) or a document."),
            field="evidence_url",
        )
    who = reporting_organisation(user, task, organisation)
    before = task.current
    report = Report.objects.create(
        task=task,
        organisation=who,
        evidence_url=evidence_url,
        comment=comment,
        submitted_by=user,
        **values,
    )
    if evidence_file is not None:
        report.evidence_file.save(evidence_file.name or "evidence", evidence_file, save=True)
    changes: dict[str, list[Any]] = {"value": [before.display_value if before else None, report.display_value]}
    if task.organisation_id is None and who is not None:
        task.organisation = who
        changes["organisation"] = [None, str(who)]
    task.status = TaskStatus.SUBMITTED
    task.save(update_fields=["organisation", "status"])
    # Recorded on the task, so that its page shows the whole story of its reports in one history.
    record(actor=user, obj=task, action="submitted", region=region, changes=changes, note=comment)
    return report


@transaction.atomic
def review_report(*, report: Report, user: Any, approve: bool, comment: str = "") -> Report:
    """Approve the report (its value goes to the dashboard) or return it for correction with a comment."""
    report = Report.objects.select_for_update().select_related("task__period__region").get(pk=report.pk)
    task = report.task
    region = task.period.region
    if not can_coordinate(user, region=region, group_key=task.group_key):
        raise PermissionDenied
    if report.submitted_by_id == getattr(user, "pk", None) and not is_region_admin(user, region):
        raise FollowupError(_("Another person approves a report: not the one who made it."))
    if report.status != ReportStatus.SUBMITTED or report.pk != task.current.pk:  # type: ignore[union-attr]
        raise FollowupError(_("Only the latest report waiting for approval can be reviewed."))
    if not approve and not comment.strip():
        raise FollowupError(_("Say what needs correcting."), field="review_comment")
    report.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = user, timezone.now(), comment
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    task.status = TaskStatus.APPROVED if approve else TaskStatus.RETURNED
    task.save(update_fields=["status"])
    record(
        actor=user,
        obj=task,
        action="approved" if approve else "returned",
        region=region,
        changes={"status": [ReportStatus.SUBMITTED.value, report.status]},
        note=comment,
    )
    return report


@dataclass
class Completeness:
    """How far a period has come, for one organisation or group: tasks by status."""

    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def approved(self) -> int:
        return self.counts[TaskStatus.APPROVED]

    @property
    def submitted(self) -> int:
        return self.counts[TaskStatus.SUBMITTED]

    @property
    def open(self) -> int:
        return self.counts[TaskStatus.OPEN] + self.counts[TaskStatus.RETURNED]

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0


def completeness(period: ReportingPeriod) -> tuple[list[Completeness], list[Completeness]]:
    """Per organisation (unclaimed shared tasks under "not yet claimed") and per responsible group."""
    version = version_in_force(period.region, period.year)
    group_names = {g.key: g.name for g in version.groups.all()} if version else {}
    by_organisation: dict[str, Completeness] = {}
    by_group: dict[str, Completeness] = {}
    for task in period.tasks.select_related("organisation"):
        organisation = str(task.organisation) if task.organisation_id else _("Not yet claimed by an organisation")
        by_organisation.setdefault(organisation, Completeness(organisation)).counts[task.status] += 1
        group = group_names.get(task.group_key, task.group_key or _("No responsible group"))
        by_group.setdefault(group, Completeness(group)).counts[task.status] += 1
    return sorted(by_organisation.values(), key=lambda c: c.label), sorted(by_group.values(), key=lambda c: c.label)


def recipients(task: Task) -> set[str]:
    """Who is reminded of an open task: its organisation's editors (any editor in the region for a task nobody
    has claimed) and the coordinators of its group."""
    roles = RegionRole.objects.filter(region=task.period.region).select_related("user")
    editors = roles.filter(role=RoleKind.EDITOR)
    if task.organisation_id:
        editors = editors.filter(organisation_id=task.organisation_id)
    coordinators = roles.filter(role=RoleKind.COORDINATOR, group_key=task.group_key) if task.group_key else roles.none()
    return {r.user.email for r in [*editors, *coordinators] if r.user.email and r.user.is_active}


def send_reminders(*, period: ReportingPeriod, today: datetime.date, days_before: int = 14) -> int:
    """E-mail everyone with open or returned tasks once the deadline is `days_before` days away or past;
    once a day at most. Returns the number of messages sent."""
    if period.status != PeriodStatus.OPEN or (period.deadline - today).days > days_before:
        return 0
    if period.reminded_on == today:
        return 0
    open_tasks = period.tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.RETURNED]).select_related("metric")
    by_recipient: dict[str, list[Task]] = {}
    for task in open_tasks:
        for address in recipients(task):
            by_recipient.setdefault(address, []).append(task)
    subject = _("Tilannekuva: %(count)s follow-up tasks of %(region)s open, deadline %(deadline)s")
    messages = []
    for address, tasks in sorted(by_recipient.items()):
        lines = [f"- {t.metric.title[:120]}" + (f" ({t.organisation})" if t.organisation_id else "") for t in tasks]
        body = _("These metrics of %(region)s still wait for a reported value for %(year)s:") % {
            "region": period.region.name,
            "year": period.year,
        }
        messages.append(
            (
                subject
                % {"count": len(tasks), "region": period.region.name, "deadline": period.deadline.strftime("%d.%m.%Y")},
                body + "\n\n" + "\n".join(lines) + "\n",
                settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        )
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    period.reminded_on = today
    period.save(update_fields=["reminded_on"])
    return sent
