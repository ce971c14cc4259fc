"""Admin pages for the data bank. National data: editable by superusers (and staff given the model rights)."""

from django.contrib import admin

from .models import ImportRun, Indicator, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "licence"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["title_fi", "source", "external_id", "unit", "data_updated", "vintage"]
    list_filter = ["source"]
    search_fields = ["title_fi", "title_sv", "title_en", "external_id"]
    readonly_fields = ["metadata"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "source", "status", "rows_added", "rows_changed", "rows_unchanged"]
    list_filter = ["source", "status"]
    readonly_fields = [f.name for f in ImportRun._meta.fields if f.name != "raw_payload"]
    exclude = ["raw_payload"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]  # runs come from imports only
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
