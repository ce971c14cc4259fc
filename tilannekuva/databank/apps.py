from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabankConfig(AppConfig):
    name = "tilannekuva.databank"
    verbose_name = _("Data bank")

    def ready(self) -> None:
        from . import jobs
        from .models import BackgroundImport
        from .tasks import run_background_import

        jobs.register_job_kind("import", jobs.JobKind(model=BackgroundImport, task=run_background_import))
