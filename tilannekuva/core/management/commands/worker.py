"""`tilannekuva worker`: the background worker (django-tasks' `db_worker`) with crash recovery of its jobs.

Before it takes its first task, and every RECOVERY_SECONDS while it runs, it queues again the background jobs
(imports, report builds: every registered kind) whose worker died (tilannekuva.core.jobs.recover_interrupted), and
marks failed the import runs left "running" by a process of this machine that was killed (fail_dead_runs).
Every option of `db_worker` applies.
"""

import logging
import threading
from typing import Any

from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from tilannekuva.core import jobs

logger = logging.getLogger(__name__)
RECOVERY_SECONDS = 30.0


def recover() -> None:
    try:
        for job in jobs.recover_interrupted():
            logger.warning("background job %s %s: %s", type(job).__name__, job.pk, job.progress)
        jobs.fail_dead_runs()  # runs left "running" by a process that was killed: failed, with the reason
    except DatabaseError as exc:  # the database is busy or away: the next round tries again
        logger.warning("recovery of interrupted background jobs skipped: %s", exc)


class Command(DatabaseWorkerCommand):
    help = "Run background tasks (imports, report builds); interrupted jobs are run again."

    def handle(self, *args: Any, **options: Any) -> None:
        recover()
        stop = threading.Event()

        def keep_recovering() -> None:
            while not stop.wait(RECOVERY_SECONDS):
                recover()
                connection.close()

        threading.Thread(target=keep_recovering, name="job-recovery", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
