from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tilannekuva.reports"
    verbose_name = _("Reports and open data")

    def ready(self) -> None:
        from tilannekuva.core.jobs import JobKind, register_job_kind
        from tilannekuva.databank.exports import ExtraExport, register_export

        from . import static_site
        from .models import ReportBuild
        from .tasks import run_report_build

        register_job_kind("report", JobKind(model=ReportBuild, task=run_report_build))

        register_export(
            "site",
            ExtraExport(
                help="The public dashboards, metric pages and strategy pages as static files (relative links).",
                add_arguments=static_site.add_arguments,
                handle=static_site.handle,
            ),
        )
