"""The data bank's background tasks (django-tasks, database backend; run by `tilannekuva worker`)."""

from django_tasks import task

from . import jobs


@task()
def run_background_import(job_id: int) -> int | None:
    """One background import (tilannekuva.databank.jobs, on tilannekuva.core.jobs); returns its import run's id."""
    return jobs.execute(job_id)
