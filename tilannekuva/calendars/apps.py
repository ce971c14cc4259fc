from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "tilannekuva.calendars"
    verbose_name = _("Annual calendar")
