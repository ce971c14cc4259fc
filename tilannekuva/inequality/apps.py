from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InequalityConfig(AppConfig):
    name = "tilannekuva.inequality"
    verbose_name = _("Inequality")
