"""The audit trail app: records changes to strategies, regions and roles through model signals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tilannekuva.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import signals

        signals.connect()
