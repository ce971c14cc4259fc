"""The reports app's background task (django-tasks, database backend; run by `tilannekuva worker`)."""

from django_tasks import task

from . import builds


@task()
def run_report_build(build_id: int) -> int | None:
    """One background report build (tilannekuva.reports.builds); returns its id when it ran."""
    build = builds.execute(build_id)
    return build.pk if build is not None else None
