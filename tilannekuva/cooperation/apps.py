from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "tilannekuva.cooperation"
    verbose_name = _("Co-operation: actions, groups and meetings")

    def ready(self) -> None:
        # Metrics answered from the counterpart pairs and the agreements; changes to them expire the cache.
        from . import providers  # noqa: F401
