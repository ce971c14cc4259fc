"""Imported official figures are read-only in the admin: they change only through `tilannekuva funding import`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import EuroFigure, FigureImport, IndicatorFigure


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(FigureImport)
class FigureImportAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "kind", "level", "year", "file_name", "synthetic", "rows_added", "rows_changed"]
    list_filter = ["kind", "level", "year", "synthetic"]


@admin.register(IndicatorFigure)
class IndicatorFigureAdmin(ReadOnlyAdmin):
    list_display = ["year", "level", "area", "indicator", "value", "points", "synthetic"]
    list_filter = ["year", "level", "synthetic"]
    search_fields = ["area__name_fi", "indicator"]


@admin.register(EuroFigure)
class EuroFigureAdmin(ReadOnlyAdmin):
    list_display = ["year", "level", "area", "eur", "residents", "synthetic"]
    list_filter = ["year", "level", "synthetic"]
    search_fields = ["area__name_fi"]
