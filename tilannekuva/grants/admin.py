"""Admin pages of the grants, limited to the administrator's own regions: the criteria of a year's principles and
the funders' rounds (priorities are decided on the priorities page, applications come through the public form)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tilannekuva.regions.models import Organisation, OrganisationKind
from tilannekuva.regions.permissions import RegionScopedAdmin, RegionScopedInline, administered_regions

from .models import Criterion, GrantRound, Principles, RoundReviewer

FUNDER_KINDS = [
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.WELLBEING_SERVICES_COUNTY,
    OrganisationKind.REGIONAL_COUNCIL,
]


class CriterionInline(RegionScopedInline, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "title", "description", "weight", "kind"]


@admin.register(Principles)
class PrinciplesAdmin(RegionScopedAdmin):
    list_display = ["region", "year", "status", "group_key"]
    list_filter = ["region", "status"]
    fields = ["region", "year", "group_key", "status", "reasoning", "data_vintage"]
    readonly_fields = ["status", "reasoning", "data_vintage"]
    inlines = [CriterionInline]


class ReviewerInline(RegionScopedInline, admin.TabularInline):
    model = RoundReviewer
    extra = 0
    fields = ["user"]
    raw_id_fields = ["user"]


@admin.register(GrantRound)
class GrantRoundAdmin(RegionScopedAdmin):
    region_lookup = "principles__region"
    list_display = ["title", "funder", "opens_on", "closes_on", "budget", "is_demo"]
    list_filter = ["principles__region", "funder"]
    fields = [
        "principles",
        "funder",
        "title",
        "opens_on",
        "closes_on",
        "budget",
        "max_grant",
        "min_score",
        "eligibility",
        "is_demo",
    ]
    inlines = [ReviewerInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "principles" and not request.user.is_superuser:
            kwargs["queryset"] = Principles.objects.filter(region__in=administered_regions(request.user))
        if db_field.name == "funder":
            kwargs["queryset"] = Organisation.objects.filter(kind__in=FUNDER_KINDS).order_by("kind", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
