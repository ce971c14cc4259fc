"""The data bank's kind of background job: an import queued by `tilannekuva import --background ...` or the
imports page, run by `tilannekuva worker` on the machinery of every kind of job (tilannekuva.core.jobs).

An import job runs exactly the command's code path (`tilannekuva import SOURCE ...`): one import run in one
transaction, so a worker killed half-way leaves the previous data as it was, and the job is run again.
"""

import argparse
from typing import Any

from tilannekuva.core.jobs import JobContext, JobFailed, execute_job, queue

from . import services
from .models import BackgroundImport
from .sources import available


class JobError(Exception):
    """The job cannot be queued: the source or its arguments are wrong. The message says which."""


def parse(source: str, arguments: list[str]) -> dict[str, Any]:
    """The options the source's `run` takes, read as `tilannekuva import SOURCE ARGUMENTS` reads them."""
    modules = available()
    if source not in modules:
        raise JobError(f"unknown source {source!r} (known: {', '.join(sorted(modules))})")
    parser = argparse.ArgumentParser(prog=f"tilannekuva import {source}", exit_on_error=False)
    modules[source].add_arguments(parser)
    try:
        namespace, unknown = parser.parse_known_args(arguments)
    except (argparse.ArgumentError, argparse.ArgumentTypeError) as exc:
        raise JobError(str(exc))
    except SystemExit:  # argparse still exits on a missing required argument
        raise JobError(f"the arguments do not suit {source}: {' '.join(arguments) or '(none)'}")
    if unknown:
        raise JobError(f"unknown arguments for {source}: {' '.join(unknown)}")
    return vars(namespace)


def enqueue(*, source: str, arguments: list[str], user: Any = None) -> BackgroundImport:
    """Check the arguments now (so a typo is told at once), record the job and queue its task."""
    parse(source, arguments)
    job = BackgroundImport.objects.create(
        source=source, arguments=arguments, requested_by=user if getattr(user, "pk", None) else None
    )
    queue(job)
    return job


def execute(job_id: int) -> int | None:
    """Run one background import (called by the task). Returns the import run's id, or None when it did not run."""

    def work(job: BackgroundImport, context: JobContext) -> tuple[str, dict[str, Any]]:
        try:
            options = parse(job.source, list(job.arguments))
            run = available()[job.source].run(options, stdout=context.output)
        except services.ImportFailed as exc:
            raise JobFailed(str(exc), import_run=exc.run) from exc
        except JobError as exc:
            raise JobFailed(f"the arguments are wrong: {exc}") from exc
        return services.run_summary(run), {"import_run": run}

    job = execute_job(
        BackgroundImport,
        job_id,
        work,
        failure="the import failed and nothing was changed",
        log_from="tilannekuva.databank",
    )
    return job.import_run_id if isinstance(job, BackgroundImport) else None
