"""Reads for the follow-up pages: a region's periods and tasks, a user's own tasks, a task with its history."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tilannekuva.regions.models import Region, RegionRole, RoleKind
from tilannekuva.regions.permissions import (
    can_coordinate,
    can_report,
    groups_coordinated,
    is_region_admin,
    organisations_edited,
)

from .models import PeriodStatus, Report, ReportingPeriod, ReportStatus, Task, TaskStatus
from .services import group_organisations


class NotFound(LookupError):
    """No such region, period or task."""


def tasks_of(period: ReportingPeriod) -> QuerySet[Task]:
    return period.tasks.select_related("metric__goal", "metric__responsible", "organisation").prefetch_related(
        Prefetch("reports", queryset=Report.objects.select_related("submitted_by", "organisation"))
    )


def period_of(region: Region, year: int | None) -> ReportingPeriod | None:
    periods = ReportingPeriod.objects.filter(region=region)
    if year is not None:
        return periods.filter(year=year).first()
    return periods.filter(status=PeriodStatus.OPEN).order_by("-year").first() or periods.order_by("-year").first()


@dataclass
class MyTasks:
    to_report: list[Task]
    to_review: list[Task]


def my_tasks(user: Any, region: Region) -> MyTasks:
    """An editor's tasks (their organisations' and the shared ones nobody has claimed) and a coordinator's or an
    administrator's tasks waiting for approval, in the open periods."""
    open_tasks = Task.objects.filter(period__region=region, period__status=PeriodStatus.OPEN).select_related(
        "metric__goal", "organisation", "period"
    )
    admin = is_region_admin(user, region)
    edited = organisations_edited(user, region)
    to_report: list[Task] = []
    if edited or admin:
        # The same rule as regions.permissions.can_report, asked once for all the tasks.
        reportable = open_tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.RETURNED, TaskStatus.SUBMITTED])
        to_report = [
            t
            for t in reportable.filter(Q(organisation_id__in=edited) | Q(organisation=None)).select_related(
                "metric__version", "metric__responsible", "metric__goal__responsible"
            )
            if t.organisation_id or admin or set(edited) & group_organisations(t)
        ]
        to_report.sort(key=urgency)
    waiting = open_tasks.filter(status=TaskStatus.SUBMITTED)
    if not admin:
        waiting = waiting.filter(group_key__in=groups_coordinated(user, region))
    to_review = [t for t in waiting if (r := t.current) is not None and r.submitted_by_id != user.pk]
    return MyTasks(to_report=to_report, to_review=to_review)


def is_overdue(task: Task) -> bool:
    return task.status in (TaskStatus.OPEN, TaskStatus.RETURNED) and task.period.deadline < timezone.localdate()


def urgency(task: Task) -> tuple[int, object]:
    """Returned tasks first (they need action), then overdue ones, then the open, then those waiting."""
    rank = 0 if task.status == TaskStatus.RETURNED else 1 if is_overdue(task) else 2
    if task.status == TaskStatus.SUBMITTED:
        rank = 3
    return (rank, task.period.deadline)


def landing_region(user: Any) -> Region | None:
    """Where a signed-in editor, coordinator or administrator has work: the first of their regions with an open
    follow-up period (None: no such region, they land on the front page)."""
    roles = RegionRole.objects.filter(
        user=user, role__in=[RoleKind.EDITOR, RoleKind.COORDINATOR, RoleKind.ADMIN]
    ).values("region")
    open_periods = ReportingPeriod.objects.filter(region__in=roles, status=PeriodStatus.OPEN)
    return Region.objects.filter(pk__in=open_periods.values("region")).order_by("name").first()


@dataclass
class TaskPage:
    task: Task
    history: list[Report]
    may_report: bool
    may_review: bool

    @property
    def current(self) -> Report | None:
        return self.history[0] if self.history else None


def task_page(*, region: Region, pk: int, user: Any) -> TaskPage:
    task = (
        Task.objects.select_related("period__region", "metric__goal", "metric__responsible", "organisation")
        .filter(pk=pk, period__region=region)
        .first()
    )
    if task is None:
        raise NotFound(f"no task {pk} in {region}")
    history = list(task.reports.select_related("submitted_by", "reviewed_by", "organisation"))
    current = history[0] if history else None
    period_open = task.period.status == PeriodStatus.OPEN
    may_report = period_open and can_report(user, region=region, organisation_id=task.organisation_id)
    if may_report and task.organisation_id is None and not is_region_admin(user, region):
        may_report = bool(set(organisations_edited(user, region)) & group_organisations(task))  # the group's own
    may_review = (
        period_open
        and current is not None
        and current.status == ReportStatus.SUBMITTED
        and can_coordinate(user, region=region, group_key=task.group_key)
        and (current.submitted_by_id != user.pk or is_region_admin(user, region))
    )
    return TaskPage(task=task, history=history, may_report=may_report, may_review=may_review)
