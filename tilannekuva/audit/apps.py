"""The audit trail app: records changes to strategies, regions and roles through model signals, and every other
admin write from the admin's log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tilannekuva.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import admin_writes, signals

        signals.connect()
        admin_writes.connect()
