from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabankConfig(AppConfig):
    name = "tilannekuva.databank"
    verbose_name = _("Data bank")

    def ready(self) -> None:
        from tilannekuva.core.jobs import JobKind, RunRecord, register_job_kind, register_run_record

        from .models import BackgroundImport, ImportRun, ImportStatus
        from .tasks import run_background_import

        register_job_kind("import", JobKind(model=BackgroundImport, task=run_background_import))
        register_run_record(RunRecord(model=ImportRun, running=ImportStatus.RUNNING, failed=ImportStatus.FAILED))
