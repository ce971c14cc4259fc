from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "tilannekuva.dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from . import (
            providers,  # noqa: F401 - registers the data bank's provider
            signals,  # noqa: F401 - invalidates cached pages when what they show changes
        )
