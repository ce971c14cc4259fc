"""An import killed with SIGKILL half-way (after its rows were written, before the commit) leaves the previous
data as it was, and the next run completes: for the command, and for a background job whose worker died.

Real processes on a database of their own, of the kind the tests run on: a SQLite file (a killed writer leaves a
hot journal that the next connection rolls back), or PostgreSQL (the server aborts the dead connection's
transaction); a copy of the run's test world."""

import functools
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
import pytest
from django.conf import settings

V1 = "indicator;area;year;value\nsynthetic-crash;491;2023;1\nsynthetic-crash;178;2023;2\n"
V2 = (
    "indicator;area;year;value\nsynthetic-crash;491;2023;10\nsynthetic-crash;178;2023;20\nsynthetic-crash;491;2024;30\n"
)

# Runs a `tilannekuva` command whose observation writer kills its own process once the rows are written.
DIE_HALF_WAY = """
import os, signal, sys
import django
django.setup()
from tilannekuva.databank import services
real = services.write_observations
def write_then_die(rows, *, run):
    real(rows, run=run)
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)
services.write_observations = write_then_die
from django.core.management import call_command
call_command(*sys.argv[1:], skip_checks=True)
"""


@pytest.fixture(scope="module")
def database(world_copy, tmp_path_factory):
    """A database of the tests' own kind (an SQLite file, or a PostgreSQL database beside the test database) that
    holds the run's test world (conftest.py: migrated, with the areas and strategies), for real processes."""
    directory = tmp_path_factory.mktemp("crash")
    target = dj_database_url.parse(world_copy)
    if target["ENGINE"] == "django.db.backends.postgresql":
        server: dict[str, Any] = {"host": target["HOST"], "port": target["PORT"] or 5432, "user": target["USER"]}
        if target["PASSWORD"]:
            server["password"] = target["PASSWORD"]
        connect = functools.partial(psycopg.connect, dbname=target["NAME"], **server)
    else:
        connect = functools.partial(sqlite3.connect, target["NAME"])
    env = {**os.environ, "DATABASE_URL": world_copy, "DJANGO_SETTINGS_MODULE": "tilannekuva.settings"}
    env.pop("TILANNEKUVA_PROFILE", None)
    return directory, connect, env


def command(env: dict[str, str], *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    tilannekuva = Path(sys.executable).with_name("tilannekuva")
    done = subprocess.run(
        [str(tilannekuva), arguments[0], "--skip-checks", *arguments[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert not check or done.returncode == 0, done.stderr
    return done


def python(env: dict[str, str], code: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def query(connect, sql: str) -> list[tuple]:
    db = connect()
    try:
        return list(db.execute(sql).fetchall())
    finally:
        db.close()


def values(connect) -> dict[tuple[str, int], float]:
    rows = query(
        connect,
        "SELECT a.code, o.year, o.value FROM databank_observation o "
        "JOIN databank_indicator i ON i.id = o.indicator_id JOIN regions_area a ON a.id = o.area_id "
        "WHERE i.external_id = 'synthetic-crash'",
    )
    return {(code, year): value for code, year, value in rows}


def jobs(connect) -> list[tuple[str, int]]:
    return [tuple(row) for row in query(connect, "SELECT status, attempts FROM databank_backgroundimport ORDER BY id")]


def runs(connect) -> list[tuple[str, str]]:
    return [tuple(row) for row in query(connect, "SELECT status, errors FROM databank_importrun ORDER BY id")]


FIRST = {("491", 2023): 1.0, ("178", 2023): 2.0}
SECOND = {("491", 2023): 10.0, ("178", 2023): 20.0, ("491", 2024): 30.0}


def test_sigkill_half_way_keeps_the_previous_data_and_the_next_run_completes(database):
    directory, connect, env = database
    first, second = directory / "synthetic-v1.csv", directory / "synthetic-v2.csv"
    first.write_text(V1, encoding="utf-8")
    second.write_text(V2, encoding="utf-8")
    command(env, "import", "file", str(first))
    assert values(connect) == FIRST

    killed = python(env, DIE_HALF_WAY, "import", "file", str(second))
    assert killed.returncode == -signal.SIGKILL
    assert values(connect) == FIRST  # the killed transaction was rolled back
    assert runs(connect)[-1][0] == "running"  # the killed process could not record its end

    done = command(env, "import", "file", str(second))
    assert "1 added, 2 changed" in done.stdout
    assert values(connect) == SECOND
    # The next import marked the killed process's run failed, with the reason.
    status, errors = runs(connect)[-2]
    assert status == "failed" and "stopped during the run" in errors


def test_a_background_import_whose_worker_was_killed_is_run_again_by_the_next_worker(database):
    directory, connect, env = database
    third = directory / "synthetic-v3.csv"
    third.write_text(V2.replace(";10\n", ";11\n"), encoding="utf-8")
    before = values(connect)
    command(env, "import", "--background", "file", str(third))

    killed = python(env, DIE_HALF_WAY, "worker", "--batch", "--no-startup-delay")
    assert killed.returncode == -signal.SIGKILL
    assert jobs(connect)[-1] == ("running", 1)
    assert values(connect) == before

    command(env, "worker", "--batch", "--no-startup-delay")
    assert jobs(connect)[-1] == ("succeeded", 2)
    assert [status for status, _errors in runs(connect)[-2:]] == ["failed", "succeeded"]
    assert values(connect)[("491", 2023)] == 11.0
    shown = command(env, "import_jobs")
    assert "attempt 2" in shown.stdout
