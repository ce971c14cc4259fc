"""Projects are kept in the administration, limited to the administrator's own regions; every save and delete of
a project and of its milestones, funding and risks is recorded in the audit trail."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from tilannekuva.audit.services import snapshot
from tilannekuva.regions.permissions import RegionScopedAdmin, RegionScopedInline

from .models import Funding, Milestone, Project, Risk
from .services import record_admin_change


class MilestoneInline(RegionScopedInline, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due", "done_on"]


class FundingInline(RegionScopedInline, admin.TabularInline):
    model = Funding
    extra = 0
    fields = ["funder", "amount", "confirmed", "note"]


class RiskInline(RegionScopedInline, admin.StackedInline):
    model = Risk
    extra = 0
    fields = ["title", ("likelihood", "impact"), "measures", "owner", "status"]


def _before(obj: Model) -> dict[str, Any] | None:
    if obj.pk is None:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(stored) if stored is not None else None


@admin.register(Project)
class ProjectAdmin(RegionScopedAdmin):
    list_display = ["name", "region", "status", "starts_on", "ends_on", "budget", "demo"]
    list_filter = ["region", "status"]
    search_fields = ["name"]
    fields = [
        "region",
        "name",
        "description",
        ("goal_key", "action_key"),
        "group_key",
        "lead",
        ("starts_on", "ends_on"),
        "budget",
        "status",
        "source",
        "demo",
    ]
    inlines = [MilestoneInline, FundingInline, RiskInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _before(obj)
        super().save_model(request, obj, form, change)
        record_admin_change(user=request.user, obj=obj, before=before)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_admin_change(user=request.user, obj=obj, before=None, deleted=True)
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        befores = {f.instance.pk: _before(f.instance) for f in formset.forms if f.instance.pk}
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_admin_change(user=request.user, obj=obj, before=None, deleted=True)
            obj.delete()
        for obj in instances:
            before = befores.get(obj.pk) if obj.pk else None
            obj.save()
            record_admin_change(user=request.user, obj=obj, before=before)
        formset.save_m2m()
