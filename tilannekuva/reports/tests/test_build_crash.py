"""A background report build whose worker is killed with SIGKILL while it writes the report is run again by the
next worker, and completes: real processes on a database of their own (the data bank's crash-test database, a copy
of the test world with Etelä-Savo's strategy)."""

import signal
from pathlib import Path

from tilannekuva.databank.tests.test_crash import command, database, python, query  # noqa: F401 - the fixture

# Runs a `tilannekuva` command whose report writer kills its own process (HTML: no PDF engine, a fast test).
DIE_WHILE_WRITING = """
import os, signal, sys
import django
django.setup()
from tilannekuva.reports import rendering
def die(report, body, **options):
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)
rendering.render_document = die
from django.core.management import call_command
call_command(*sys.argv[1:], skip_checks=True)
"""


def test_a_report_build_whose_worker_was_killed_is_built_by_the_next_worker(database):  # noqa: F811
    directory, connect, env = database
    env = {**env, "MEDIA_ROOT": str(directory / "media")}  # the database holds the world: Etelä-Savo's strategy
    command(env, "report", "build", "etela-savo", "--year", "2024", "--format", "html", "--background")

    killed = python(env, DIE_WHILE_WRITING, "worker", "--batch", "--no-startup-delay")
    assert killed.returncode == -signal.SIGKILL
    builds = "SELECT status, attempts, file FROM reports_reportbuild ORDER BY id"
    assert query(connect, builds)[-1] == ("running", 1, "")

    command(env, "worker", "--batch", "--no-startup-delay")
    status, attempts, name = query(connect, builds)[-1]
    assert (status, attempts) == ("succeeded", 2)
    assert (Path(env["MEDIA_ROOT"]) / name).read_bytes().startswith(b"<!doctype html>")
    assert "attempt 2" in command(env, "report", "jobs").stdout
