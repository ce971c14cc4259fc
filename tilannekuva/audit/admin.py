"""The audit trail in Django admin: read-only, for superusers and for region administrators' own regions."""

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.permissions import administered_regions

from .models import AuditEntry

FIELDS = (
    "at",
    "actor",
    "actor_name",
    "region",
    "content_type",
    "object_id",
    "object_repr",
    "action",
    "changes_table",
    "note",
)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "region"]
    list_filter = [
        ("region", admin.RelatedOnlyFieldListFilter),
        "action",
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["object_repr", "object_id", "actor_name", "note"]
    date_hierarchy = "at"
    list_select_related = ["content_type", "region"]
    fields = FIELDS
    readonly_fields = FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(region__in=administered_regions(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or administered_regions(request.user).exists()

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if request.user.is_superuser:
            return True
        regions = administered_regions(request.user)
        if obj is None:
            return regions.exists()
        region_id = getattr(obj, "region_id", None)
        return region_id is not None and regions.filter(pk=region_id).exists()

    # The trail is written by the application only: nobody adds, edits or removes entries by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("changes"))
    def changes_table(self, obj: AuditEntry) -> str:
        changes = obj.field_changes()
        if not changes:
            return "–"
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            ((c.label, c.before_text or "–", c.after_text or "–") for c in changes),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("Field"),
            _("Before"),
            _("After"),
            rows,
        )
