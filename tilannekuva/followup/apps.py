from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "tilannekuva.followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from . import providers  # noqa: F401 - the dashboard's values of metrics reported by hand
