"""Imports in the background: queued as django-tasks tasks (database backend), run by `tilannekuva worker`.

A job runs exactly the command's code path (`tilannekuva import SOURCE ...`): one import run in one
transaction, so a worker killed half-way leaves the previous data as it was. A job whose worker died is run
again by the next worker that looks (`recover_interrupted`), up to IMPORT_MAX_ATTEMPTS times in all:

- on the worker's own machine, a job is dead when its process is gone (checked by process id);
- from another machine, when its heartbeat (every HEARTBEAT_SECONDS) is older than IMPORT_STALE_SECONDS.

The heartbeat is written by a thread with its own database connection. On SQLite the import's transaction
holds the database's one write lock, so there the heartbeat waits until the import ends: SQLite is for one
machine, where the process check decides.
"""

import argparse
import io
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import services
from .models import BackgroundImport, JobStatus
from .sources import available

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5.0


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
    _queue(job)
    return job


def _queue(job: BackgroundImport) -> None:
    from .tasks import run_background_import

    result = run_background_import.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Output(io.StringIO):
    """What the source writes for the command line, kept for the job."""


class _ProgressLog(logging.Handler):
    """The data bank's log lines during the job (retries, slow sources) become its progress text."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.latest = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.latest = record.getMessage()[:500]


@contextmanager
def _heartbeat(job_id: int, log: _ProgressLog) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
                if log.latest:
                    fields["progress"] = log.latest
                # On SQLite this waits for the import's transaction and may give up: the process check covers it.
                with suppress(DatabaseError):
                    BackgroundImport.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(**fields)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"import-job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_SECONDS * 2)


def execute(job_id: int) -> int | None:
    """Run one job (called by the task). Returns the import run's id, or None when the job did not run."""
    with transaction.atomic():
        job = BackgroundImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None  # running elsewhere or already done (a recovery queues a job again only once it is dead)
        now = timezone.now()
        job.status, job.attempts, job.worker = JobStatus.RUNNING, job.attempts + 1, this_worker()
        job.started_at = job.heartbeat_at = now
        job.progress = f"running (attempt {job.attempts})"
        job.save(update_fields=["status", "attempts", "worker", "started_at", "heartbeat_at", "progress"])
    output = _Output()
    log = _ProgressLog()
    source_logger = logging.getLogger("tilannekuva.databank")
    source_logger.addHandler(log)
    run = None
    status, message = JobStatus.FAILED, ""
    try:
        with _heartbeat(job.pk, log):
            options = parse(job.source, list(job.arguments))
            run = available()[job.source].run(options, stdout=output)
        status, message = JobStatus.SUCCEEDED, services.run_summary(run)
    except services.ImportFailed as exc:
        run, message = exc.run, str(exc)
    except JobError as exc:
        message = f"the arguments are wrong: {exc}"
    except Exception as exc:
        logger.exception("background import %s failed", job.pk)
        message = f"the import failed and nothing was changed ({exc.__class__.__name__}: {exc})"
    finally:
        source_logger.removeHandler(log)
    BackgroundImport.objects.filter(pk=job.pk).update(
        status=status,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=message.splitlines()[0][:500] if message else "",
        output=(output.getvalue() + "\n" + message).strip(),
        import_run=run,
    )
    return run.pk if run is not None else None


def _alive(worker: str, heartbeat_at: Any, now: Any) -> bool:
    host, _, pid = worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    stale = timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    return heartbeat_at is not None and now - heartbeat_at < stale


def recover_interrupted() -> list[BackgroundImport]:
    """Queue again the running jobs whose worker died (or fail them after IMPORT_MAX_ATTEMPTS). Returns them."""
    now = timezone.now()
    recovered = []
    for job in BackgroundImport.objects.filter(status=JobStatus.RUNNING):
        if _alive(job.worker, job.heartbeat_at, now):
            continue
        with transaction.atomic():
            claimed = BackgroundImport.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
                status=JobStatus.QUEUED if job.attempts < settings.IMPORT_MAX_ATTEMPTS else JobStatus.FAILED
            )
            if not claimed:
                continue  # another worker recovered it first
            _close_task_result(job.task_id)
            job.refresh_from_db()
            if job.status == JobStatus.QUEUED:
                job.progress = f"the worker stopped during attempt {job.attempts}; queued again"
                job.save(update_fields=["progress"])
                _queue(job)
            else:
                job.progress = f"the worker stopped during each of {job.attempts} attempts; given up"
                job.finished_at = now
                job.save(update_fields=["progress", "finished_at"])
        logger.warning("background import %s: %s", job.pk, job.progress)
        recovered.append(job)
    return recovered


def _close_task_result(task_id: str) -> None:
    """The dead worker's task result stays RUNNING forever otherwise."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="builtins.SystemExit"
    )


def previous_duration(job: BackgroundImport) -> timedelta | None:
    """How long the last finished run of the same import took: the yardstick for a running one's progress."""
    previous = (
        BackgroundImport.objects.filter(
            source=job.source, arguments=job.arguments, status=JobStatus.SUCCEEDED, started_at__isnull=False
        )
        .exclude(pk=job.pk)
        .order_by("-finished_at")
        .first()
    )
    if previous is None or previous.finished_at is None or previous.started_at is None:
        return None
    return previous.finished_at - previous.started_at


def share_done(job: BackgroundImport, *, now: Any = None) -> int | None:
    """An estimate in per cent (at most 99 while running), from the previous run's duration; None if unknown."""
    if job.status == JobStatus.SUCCEEDED:
        return 100
    if job.status != JobStatus.RUNNING or job.started_at is None:
        return None
    previous = previous_duration(job)
    if not previous:
        return None
    elapsed = (now or timezone.now()) - job.started_at
    return max(0, min(99, round(100 * elapsed / previous)))
