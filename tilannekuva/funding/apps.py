from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "tilannekuva.funding"
    verbose_name = _("HYTE coefficient and vitality index")

    def ready(self) -> None:
        from . import providers  # noqa: F401 - the dashboard's values of computed metrics
