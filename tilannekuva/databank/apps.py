from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabankConfig(AppConfig):
    name = "tilannekuva.databank"
    verbose_name = _("Data bank")
