from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest

from .models import Area, AreaMembership, Organisation, Region, RegionRole
from .permissions import RegionScopedAdmin, administered_regions


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "kind", "code", "sotkanet_id", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name_fi", "name_sv", "code"]
    readonly_fields = ["kind", "code", "sotkanet_id", "valid_from", "valid_to"]


@admin.register(AreaMembership)
class AreaMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "parent", "valid_from", "valid_to"]
    list_filter = ["parent__kind"]
    search_fields = ["member__name_fi", "parent__name_fi"]
    raw_id_fields = ["member", "parent"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "business_id"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "business_id"]
    raw_id_fields = ["area"]


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    region_lookup = "pk"
    list_display = ["name", "slug", "area", "dashboard_public"]
    raw_id_fields = ["area"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]  # regions come from strategy files
        return request.user.is_superuser


@admin.register(RegionRole)
class RegionRoleAdmin(RegionScopedAdmin):
    list_display = ["user", "region", "role", "organisation", "group_key"]
    list_filter = ["region", "role"]
    raw_id_fields = ["user", "organisation"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """A role goes to a user already in the administrator's regions or to a new account in no region yet
        (never to another region's people): the generic scoping would leave a new account out."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and not request.user.is_superuser:
            mine = Q(region_roles__region__in=administered_regions(request.user)) | Q(region_roles__isnull=True)
            field.queryset = get_user_model().objects.filter(mine, is_active=True).distinct()
        return field
