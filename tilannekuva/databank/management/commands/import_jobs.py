"""`tilannekuva import_jobs [ID] [--follow]`: the background imports and their progress."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.core import jobs
from tilannekuva.core.models import JobStatus
from tilannekuva.databank.models import BackgroundImport


def describe(job: BackgroundImport) -> str:
    return jobs.describe(job, result=f"import run {job.import_run_id}" if job.import_run_id else "")


def follow(job_id: int, *, stdout: Any, interval: float = 2.0) -> BackgroundImport:
    """Print the job's progress whenever it changes, until it has ended; fail the command if the import did."""
    job = jobs.follow(BackgroundImport, job_id, stdout=stdout, line=describe, interval=interval)
    if job.status == JobStatus.FAILED:
        raise CommandError(job.output or job.progress)
    if job.output:
        stdout.write(job.output)
    assert isinstance(job, BackgroundImport)
    return job


class Command(BaseCommand):
    help = "List the background imports with their progress, or show one (--follow: until it ends)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", nargs="?", type=int, help="the id of one background import")
        parser.add_argument("--follow", action="store_true", help="show the progress until the import ends")
        parser.add_argument("--limit", type=int, default=20, help="how many imports to list (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"] is None:
            for job in BackgroundImport.objects.select_related("import_run")[: options["limit"]]:
                self.stdout.write(describe(job))
            return
        if not BackgroundImport.objects.filter(pk=options["job"]).exists():
            raise CommandError(f"no background import {options['job']}")
        if options["follow"]:
            follow(options["job"], stdout=self.stdout)
        else:
            job = BackgroundImport.objects.get(pk=options["job"])
            self.stdout.write(describe(job))
            if job.output:
                self.stdout.write(job.output)
