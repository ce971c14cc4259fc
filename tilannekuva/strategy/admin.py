"""Admin pages for strategy content: region administrators edit their own region's strategy only."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tilannekuva.regions.permissions import RegionScopedAdmin, RegionScopedInline, administered_regions

from .models import (
    Action,
    Goal,
    Group,
    Metric,
    Partner,
    ProcessEvent,
    ProcessPhase,
    Strategy,
    StrategyVersion,
    Value,
)

VERSION_REGION = "version__strategy__region"


class VersionScopedAdmin(RegionScopedAdmin):
    region_lookup = VERSION_REGION
    list_filter = ["version__strategy__region", "version__year"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Choices in foreign keys (version, goal, group, ...) are limited to the user's own regions.
        if not request.user.is_superuser and db_field.related_model is not None:
            related = db_field.related_model
            if related is StrategyVersion:
                kwargs["queryset"] = StrategyVersion.objects.filter(
                    strategy__region__in=administered_regions(request.user)
                )
            elif hasattr(related, "version"):
                kwargs["queryset"] = related.objects.filter(
                    **{f"{VERSION_REGION}__in": administered_regions(request.user)}
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ValueInline(RegionScopedInline, admin.TabularInline):
    model = Value
    extra = 0


class PartnerInline(RegionScopedInline, admin.TabularInline):
    model = Partner
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(Strategy)
class StrategyAdmin(RegionScopedAdmin):
    list_display = ["__str__", "region", "kind"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(StrategyVersion)
class StrategyVersionAdmin(RegionScopedAdmin):
    region_lookup = "strategy__region"
    list_display = ["name", "year", "status", "strategy"]
    list_filter = ["strategy__region", "status"]
    inlines = [ValueInline, PartnerInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("strategy__region")


@admin.register(Goal)
class GoalAdmin(VersionScopedAdmin):
    list_display = ["title", "level", "key", "version"]
    list_filter = [*VersionScopedAdmin.list_filter, "level"]
    search_fields = ["title", "key"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["contributes_to"]


@admin.register(Metric)
class MetricAdmin(VersionScopedAdmin):
    list_display = ["title", "kind", "frequency", "binding_type", "version"]
    list_filter = [*VersionScopedAdmin.list_filter, "kind", "binding_type"]
    search_fields = ["name", "description", "key"]
    raw_id_fields = ["goal", "action"]


@admin.register(Action)
class ActionAdmin(VersionScopedAdmin):
    list_display = ["title", "status", "goal", "version"]
    list_filter = [*VersionScopedAdmin.list_filter, "status"]
    search_fields = ["title", "responsible", "key"]
    raw_id_fields = ["goal"]


@admin.register(Group)
class GroupAdmin(VersionScopedAdmin):
    list_display = ["name", "kind", "area", "parent", "in_responsibility_table", "version"]
    search_fields = ["name", "key"]
    filter_horizontal = ["member_organisations"]
    raw_id_fields = ["area"]


class ProcessEventInline(RegionScopedInline, admin.TabularInline):
    model = ProcessEvent
    extra = 0


@admin.register(ProcessPhase)
class ProcessPhaseAdmin(VersionScopedAdmin):
    list_display = ["name", "status", "start", "end", "version"]
    inlines = [ProcessEventInline]
