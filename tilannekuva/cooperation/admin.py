"""Admin pages for co-operation records, limited to the administrator's own regions."""

from django.contrib import admin

from tilannekuva.regions.permissions import RegionScopedAdmin

from .models import Agreement, CounterpartPair, Meeting, ProgressNote


@admin.register(Meeting)
class MeetingAdmin(RegionScopedAdmin):
    list_display = ["title", "group_key", "date", "region"]
    list_filter = ["region"]


@admin.register(CounterpartPair)
class CounterpartPairAdmin(RegionScopedAdmin):
    list_display = [
        "interface_key",
        "level_key",
        "client_path_key",
        "first_side",
        "first_role",
        "second_role",
        "region",
    ]
    list_filter = ["region", "interface_key", "level_key"]
    raw_id_fields = ["area", "first_organisation", "second_organisation"]


@admin.register(Agreement)
class AgreementAdmin(RegionScopedAdmin):
    list_display = ["title", "kind", "status", "signed_on", "area", "demo", "region"]
    list_filter = ["region", "kind", "status", "demo"]
    raw_id_fields = ["area"]
    filter_horizontal = ["parties"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(RegionScopedAdmin):
    region_lookup = "action__version__strategy__region"
    list_display = ["action", "written_at", "status_after"]
    raw_id_fields = ["action"]
