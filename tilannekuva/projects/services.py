"""Writes of the projects: a progress report from the administrators or the responsible group's coordinators, and
the audit trail of the changes made in the administration (project, milestones, funding, risks)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from tilannekuva.audit.services import diff, record, snapshot
from tilannekuva.regions.permissions import can_coordinate

from .models import ProgressReport, Project


class ProjectError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


def may_report(user: Any, project: Project) -> bool:
    return can_coordinate(user, region=project.region, group_key=project.group_key)


@transaction.atomic
def add_progress_report(
    *,
    project: Project,
    user: Any,
    text: str,
    status_after: str,
    written_on: datetime.date,
    spent: Decimal | None = None,
) -> ProgressReport:
    """A progress report; the project takes the report's status. Spending above the budget is refused."""
    project = Project.objects.select_for_update().select_related("region").get(pk=project.pk)
    if not may_report(user, project):
        raise PermissionDenied
    if not text.strip():
        raise ProjectError(_("Write what has happened."), field="text")
    if spent is not None and project.budget is not None and spent > project.budget:
        raise ProjectError(
            _("%(spent)s € spent is more than the budget of %(budget)s €.")
            % {"spent": spent, "budget": project.budget},
            field="spent",
        )
    report = ProgressReport.objects.create(
        project=project, written_on=written_on, text=text.strip(), spent=spent, status_after=status_after, author=user
    )
    changes = {}
    if project.status != status_after:
        changes["status"] = [project.status, status_after]
        project.status = status_after
        project.save(update_fields=["status", "updated_at"])
    record(actor=user, obj=report, action="created", region=project.region, changes=changes, note=text.strip()[:500])
    return report


def record_admin_change(*, user: Any, obj: models.Model, before: dict[str, Any] | None, deleted: bool = False) -> None:
    """The audit entry of a change made in the administration: created, changed (field by field) or deleted."""
    if deleted:
        record(actor=user, obj=obj, action="deleted")
        return
    if before is None:
        record(actor=user, obj=obj, action="created")
        return
    changes = diff(before, snapshot(obj))
    if changes:
        record(actor=user, obj=obj, action="changed", changes=changes)
