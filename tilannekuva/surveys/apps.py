from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "tilannekuva.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from . import providers  # noqa: F401 - survey metrics on the dashboard, and what expires its cache
