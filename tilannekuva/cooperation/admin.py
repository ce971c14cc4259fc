"""Admin pages for co-operation records, limited to the administrator's own regions."""

from django.contrib import admin

from tilannekuva.regions.permissions import RegionScopedAdmin

from .models import CounterpartPair, Meeting, ProgressNote


@admin.register(Meeting)
class MeetingAdmin(RegionScopedAdmin):
    list_display = ["title", "group_key", "date", "region"]
    list_filter = ["region"]


@admin.register(CounterpartPair)
class CounterpartPairAdmin(RegionScopedAdmin):
    list_display = ["interface_key", "municipality", "county", "contact_role", "region"]
    list_filter = ["region"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(RegionScopedAdmin):
    region_lookup = "action__version__strategy__region"
    list_display = ["action", "written_at", "status_after"]
    raw_id_fields = ["action"]
