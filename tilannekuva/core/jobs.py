"""Background jobs of every kind: queued as django-tasks tasks (database backend), run by `tilannekuva worker`.

A kind of job is a model derived from BackgroundJob (tilannekuva.core.models) and the task that runs one,
registered with `register_job_kind` in its app's AppConfig.ready() (the data bank's imports, the reports app's
builds), so that this module knows no app. A task calls `execute_job(model, id, work)`, which claims the job,
keeps its heartbeat and progress, and records the outcome; `recover_interrupted` covers every kind. Records of
runs made by a process (an import's ImportRun, `register_run_record`) whose process died while "running" are
marked failed by `fail_dead_runs` when a worker or an import starts.

A job whose worker died is run again by the next worker that looks (`recover_interrupted`), up to
IMPORT_MAX_ATTEMPTS times in all (the setting's name is older than the other kinds):

- on the worker's own machine, a job is dead when its process is gone (checked by process id);
- from another machine, when its heartbeat (every HEARTBEAT_SECONDS) is older than IMPORT_STALE_SECONDS.

The heartbeat is written by a thread with its own database connection. On SQLite a job's transaction (an
import's) holds the database's one write lock, so there the heartbeat waits until the job ends: SQLite is for
one machine, where the process check decides.
"""

import io
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5.0


@dataclass(frozen=True)
class JobKind:
    """A kind of background job: its model (derived from BackgroundJob) and the django-tasks task that runs one
    (called with the job's id)."""

    model: type[BackgroundJob]
    task: Any


JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(name: str, kind: JobKind) -> None:
    JOB_KINDS[name] = kind


def kind_of(model: type[BackgroundJob]) -> JobKind:
    for kind in JOB_KINDS.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not a registered kind of background job")


class JobFailed(Exception):
    """The work of a job failed in a way it can tell: the message is the job's result; `fields` are kept too."""

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.fields = fields


def queue(job: BackgroundJob) -> None:
    """Queue the task of a recorded job (of any registered kind)."""
    result = kind_of(type(job)).task.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Output(io.StringIO):
    """What the job's work writes for the command line, kept with the job."""


class _ProgressLog(logging.Handler):
    """The log lines during the job (an outside service's retries, a slow step) become its progress text."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.latest = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.latest = record.getMessage()[:500]


class JobContext:
    """What a job's work gets: `output` for its command-line text, `progress(text)` for the step it is at."""

    def __init__(self, model: type[BackgroundJob], job_id: int, log: _ProgressLog) -> None:
        self.output = _Output()
        self._model, self._job_id, self._log = model, job_id, log

    def progress(self, text: str) -> None:
        """Shown at once where the database allows (outside a transaction that holds SQLite's write lock)."""
        self._log.latest = text[:500]
        with suppress(DatabaseError):
            self._model._default_manager.filter(pk=self._job_id, status=JobStatus.RUNNING).update(
                progress=self._log.latest, heartbeat_at=timezone.now()
            )


@contextmanager
def _heartbeat(model: type[BackgroundJob], job_id: int, log: _ProgressLog) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
                if log.latest:
                    fields["progress"] = log.latest
                # On SQLite this waits for the job's write transaction and may give up: the process check covers it.
                with suppress(DatabaseError):
                    model._default_manager.filter(pk=job_id, status=JobStatus.RUNNING).update(**fields)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"{model.__name__.lower()}-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_SECONDS * 2)


def execute_job(
    model: type[BackgroundJob],
    job_id: int,
    work: Callable[[Any, JobContext], tuple[str, dict[str, Any]]],
    *,
    failure: str,
    log_from: str = "tilannekuva",
) -> BackgroundJob | None:
    """Run one job of any kind (called by its task): claim it, run `work(job, context)` with a heartbeat, and
    record the outcome. `work` returns its summary and the fields to keep, or raises JobFailed; any other error
    is recorded as `failure` with the error. Returns the finished job, or None when it did not run."""
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None  # running elsewhere or already done (a recovery queues a job again only once it is dead)
        now = timezone.now()
        job.status, job.attempts, job.worker = JobStatus.RUNNING, job.attempts + 1, this_worker()
        job.started_at = job.heartbeat_at = now
        job.progress = f"running (attempt {job.attempts})"
        job.save(update_fields=["status", "attempts", "worker", "started_at", "heartbeat_at", "progress"])
    log = _ProgressLog()
    context = JobContext(model, job.pk, log)
    work_logger = logging.getLogger(log_from)
    work_logger.addHandler(log)
    status, message, fields = JobStatus.FAILED, "", dict[str, Any]()
    try:
        with _heartbeat(model, job.pk, log):
            message, fields = work(job, context)
        status = JobStatus.SUCCEEDED
    except JobFailed as exc:
        message, fields = str(exc), exc.fields
    except Exception as exc:
        logger.exception("background job %s %s failed", model.__name__, job.pk)
        message = f"{failure} ({exc.__class__.__name__}: {exc})"
    finally:
        work_logger.removeHandler(log)
    fields = {
        "status": status,
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "progress": message.splitlines()[0][:500] if message else "",
        "output": (context.output.getvalue() + "\n" + message).strip(),
        **fields,
    }
    model._default_manager.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    return job


def _process_alive(worker: str) -> bool | None:
    """Whether the process `host:pid` still runs: None when it ran on another machine (this one cannot tell)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive(worker: str, heartbeat_at: Any, now: Any) -> bool:
    alive = _process_alive(worker)
    if alive is not None:
        return alive
    stale = timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    return heartbeat_at is not None and now - heartbeat_at < stale


def recover_interrupted() -> list[BackgroundJob]:
    """Queue again the running jobs (of every kind) whose worker died, or fail them after IMPORT_MAX_ATTEMPTS.
    Returns them."""
    recovered: list[BackgroundJob] = []
    for kind in JOB_KINDS.values():
        recovered.extend(_recover(kind.model))
    return recovered


def _recover(model: type[BackgroundJob]) -> list[BackgroundJob]:
    now = timezone.now()
    recovered = []
    for job in model._default_manager.filter(status=JobStatus.RUNNING):
        if _alive(job.worker, job.heartbeat_at, now):
            continue
        with transaction.atomic():
            claimed = model._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
                status=JobStatus.QUEUED if job.attempts < settings.IMPORT_MAX_ATTEMPTS else JobStatus.FAILED
            )
            if not claimed:
                continue  # another worker recovered it first
            _close_task_result(job.task_id)
            job.refresh_from_db()
            if job.status == JobStatus.QUEUED:
                job.progress = f"the worker stopped during attempt {job.attempts}; queued again"
                job.save(update_fields=["progress"])
                queue(job)
            else:
                job.progress = f"the worker stopped during each of {job.attempts} attempts; given up"
                job.finished_at = now
                job.save(update_fields=["progress", "finished_at"])
        logger.warning("background job %s %s: %s", model.__name__, job.pk, job.progress)
        recovered.append(job)
    return recovered


@dataclass(frozen=True)
class RunRecord:
    """A kind of record of one run made by a process (the data bank's ImportRun): while the process works, its
    `status` is `running` and its `worker` names the process (`this_worker()`). A process killed (`kill -9`, a
    crash, a restart of the machine) cannot mark its own run; `fail_dead_runs` does, with `errors` saying so."""

    model: Any
    running: str
    failed: str


RUN_RECORDS: list[RunRecord] = []


def register_run_record(record: RunRecord) -> None:
    RUN_RECORDS.append(record)


def fail_dead_runs() -> list[Any]:
    """Mark failed the runs still `running` whose process on this machine is gone (each machine's worker marks
    its own when it starts: another machine's process cannot be checked from here). Returns them."""
    failed = []
    now = timezone.now()
    for record in RUN_RECORDS:
        manager = record.model._default_manager
        for run in manager.filter(status=record.running).exclude(worker=""):
            if _process_alive(run.worker) is not False:
                continue
            message = (
                f"the process {run.worker} stopped during the run (killed, crashed or restarted); its transaction "
                "was rolled back, so nothing of it was kept"
            )
            if manager.filter(pk=run.pk, status=record.running).update(
                status=record.failed, finished_at=now, errors=message
            ):
                run.status, run.errors = record.failed, message
                logger.warning("%s %s: %s", record.model.__name__, run.pk, message)
                failed.append(run)
    return failed


def _close_task_result(task_id: str) -> None:
    """The dead worker's task result stays RUNNING forever otherwise."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="builtins.SystemExit"
    )


def previous_duration(job: BackgroundJob) -> timedelta | None:
    """How long the last finished run of the same work took: the yardstick for a running one's progress."""
    previous = (
        type(job)
        ._default_manager.filter(**job.same_work(), status=JobStatus.SUCCEEDED, started_at__isnull=False)
        .exclude(pk=job.pk)
        .order_by("-finished_at")
        .first()
    )
    if previous is None or previous.finished_at is None or previous.started_at is None:
        return None
    return previous.finished_at - previous.started_at


def share_done(job: BackgroundJob, *, now: Any = None) -> int | None:
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


def describe(job: BackgroundJob, *, result: str = "") -> str:
    """One line for the command line: `[id] command: status (attempt, time taken, estimate, result) progress`."""
    share = share_done(job)
    elapsed = ""
    if job.started_at is not None:
        seconds = int(((job.finished_at or timezone.now()) - job.started_at).total_seconds())
        elapsed = f", {seconds // 60} min {seconds % 60} s"
    estimate = f", about {share} %" if share is not None and job.status == JobStatus.RUNNING else ""
    result = f", {result}" if result else ""
    return (
        f"[{job.pk}] {job.command_line}: {job.get_status_display()}"
        f" (attempt {job.attempts}{elapsed}{estimate}{result}) {job.progress}"
    ).rstrip()


def follow(
    model: type[BackgroundJob],
    job_id: int,
    *,
    stdout: Any,
    line: Callable[[Any], str],
    interval: float = 2.0,
) -> BackgroundJob:
    """Print the job's line whenever it changes, until the job has ended; then its output. Returns the job (the
    caller fails the command when the job failed)."""
    shown = ""
    while True:
        job = model._default_manager.get(pk=job_id)
        current = line(job)
        if current != shown:
            stdout.write(current)
            shown = current
        if not job.active:
            return job
        time.sleep(interval)
