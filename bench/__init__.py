"""Benchmarks for Tilannekuva (`make bench`): shared helpers for Django setup, machine facts and recording figures."""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_DOC = ROOT / "docs" / "PERFORMANCE.md"
# The PostgreSQL server the benchmarks make their own databases on.
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def setup_django(*, database_url: str) -> None:
    """Configure Django against `database_url`; settings read DATABASE_URL once, so this must come first."""
    import django
    from django.conf import settings

    if settings.configured:
        configured = settings.DATABASES["default"]
        if configured.get("NAME") != database_url.rsplit("/", 1)[-1]:
            raise RuntimeError(f"Django is already set up against {configured.get('NAME')!r}, not {database_url}")
        return
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilannekuva.settings")
    django.setup()


def machine(*, postgres_version: str) -> dict[str, str]:
    """The facts a reader needs to compare figures between machines."""
    import django

    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8") if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    return {
        "date": date.today().isoformat(),
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
        "cores": str(os.cpu_count() or "unknown"),
        "memory": f"{int(memory.group(1)) / 1024**2:.1f} GiB" if memory else "unknown",
        "kernel": platform.release(),
        "postgresql": postgres_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": _commit(),
    }


def _commit() -> str:
    """The checked-out commit, read from .git without running git (the tree may have uncommitted changes)."""
    git = ROOT / ".git"
    try:
        if git.is_file():  # a worktree: ".git" names its own directory, whose "commondir" holds the refs
            git = (ROOT / git.read_text(encoding="utf-8").split("gitdir:", 1)[1].strip()).resolve()
        ref = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not ref.startswith("ref: "):
            return ref[:12]
        common = (
            (git / (git / "commondir").read_text(encoding="utf-8").strip()) if (git / "commondir").exists() else git
        )
        for base in (git, common.resolve()):
            if (base / ref[5:]).exists():
                return (base / ref[5:]).read_text(encoding="utf-8").strip()[:12]
        packed = (common / "packed-refs").read_text(encoding="utf-8") if (common / "packed-refs").exists() else ""
        return next((line.split()[0][:12] for line in packed.splitlines() if line.endswith(" " + ref[5:])), "unknown")
    except (OSError, IndexError):
        return "unknown"


def record(*, heading: str, marker: str, block: str, intro: str) -> Path:
    """Put `block` between the `marker` comments under `heading` in docs/PERFORMANCE.md.

    Only the text between the markers is replaced, so the hand-written analysis around it survives a rerun;
    a missing section is appended with `intro` before the markers.
    """
    start, end = f"<!-- bench:{marker}:start -->", f"<!-- bench:{marker}:end -->"
    fenced = f"{start}\n{block.strip()}\n{end}"
    text = PERFORMANCE_DOC.read_text(encoding="utf-8") if PERFORMANCE_DOC.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + fenced + after
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n{intro.strip()}\n\n{fenced}\n"
    PERFORMANCE_DOC.write_text(text, encoding="utf-8")
    return PERFORMANCE_DOC


def postgres_server_version(url: str) -> str:
    """`PostgreSQL 15.20` from the server itself (psql on this machine may be another version)."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0].split()[0]}" if row else "PostgreSQL (unknown)"


def postgres_settings(url: str) -> str:
    """The server settings that move import figures most, as one line for the record."""
    import psycopg
    from psycopg import sql

    names = ("shared_buffers", "work_mem", "maintenance_work_mem", "max_wal_size", "synchronous_commit", "fsync")
    shown = []
    with psycopg.connect(url) as conn:
        for name in names:
            row = conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()
            shown.append(f"{name} {row[0] if row else '?'}")
    return ", ".join(shown)


def say(text: str) -> None:
    print(text, flush=True)


def positive(text: str) -> int:
    """An argparse type: a positive whole number, written with or without separators (5_000_000, 5,000,000)."""
    value = int(text.replace("_", "").replace(",", ""))
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def create_database(server_url: str, name: str) -> None:
    """A fresh database of the benchmark's own (an earlier run's is dropped first)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def own_database(name: str, *, keep: bool) -> Iterator[str]:
    """A fresh database `name` of the benchmark's own with Django set up against it (its URL); dropped at the end
    whatever happens, unless `keep` (`--keep-database`). Set the environment the settings read before entering."""
    create_database(SERVER_URL, name)
    database_url = f"{SERVER_URL}/{name}"
    try:
        setup_django(database_url=database_url)
        yield database_url
    finally:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        if not keep:
            drop_database(SERVER_URL, name)


def reachable_server(label: str) -> str | None:
    """The benchmark server's version (`PostgreSQL 15.20`), or None after saying that it is not reachable."""
    import psycopg

    try:
        return postgres_server_version(f"{SERVER_URL}/postgres")
    except psycopg.OperationalError as exc:
        say(f"{label}: PostgreSQL is not reachable at {SERVER_URL} (set BENCH_POSTGRES_URL).\n{exc}")
        return None


def add_record_arguments(parser: argparse.ArgumentParser, *, database: str, recorded: str | None = None) -> None:
    """`--record/--no-record` and `--keep-database`. Without `recorded`, figures are written unless `--no-record`;
    with it, the default is None and `should_record` decides (`recorded` says when, for the help)."""
    parser.add_argument(
        "--record",
        action=argparse.BooleanOptionalAction,
        default=True if recorded is None else None,
        help="write the figures into docs/PERFORMANCE.md" + (f" (default: only {recorded})" if recorded else ""),
    )
    parser.add_argument(
        "--keep-database", action="store_true", help=f"leave the {database} database in place for inspection"
    )


def should_record(options: argparse.Namespace, *, default_run: bool) -> bool:
    """`--record`/`--no-record` if given, otherwise whether this run is the benchmark's default (full) run."""
    return bool(options.record) if options.record is not None else default_run


def arguments_of(
    options: argparse.Namespace,
    add_arguments: Callable[[argparse.ArgumentParser], None],
    *,
    changed_only: bool = False,
) -> list[str]:
    """The command line that gives `options` (of a benchmark's `add_arguments`) again. With `changed_only`, only
    the options that differ from their defaults, and not `--record`/`--keep-database` (they change where the
    figures go, not what is measured): the command line a record shows."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    argv = []
    for action in parser._actions:
        if not action.option_strings or action.dest == "help":
            continue
        value, flag = getattr(options, action.dest), action.option_strings[0]
        if changed_only and (action.dest in {"record", "keep_database"} or value == action.default):
            continue
        if isinstance(action, argparse.BooleanOptionalAction):
            if value is not None:
                argv.append(flag if value else f"--no-{flag[2:]}")
        elif isinstance(action, argparse._StoreTrueAction):
            if value:
                argv.append(flag)
        elif value is not None:
            argv.append(f"{flag}={value}")
    return argv


def run_in_fresh_interpreter(
    name: str, options: argparse.Namespace, add_arguments: Callable[[argparse.ArgumentParser], None]
) -> int:
    """Benchmark `name` again with the same options in a fresh interpreter: Django reads its settings once per
    interpreter, and each benchmark needs its own database (and some the production profile)."""
    command = [sys.executable, "-m", "bench", name, *arguments_of(options, add_arguments)]
    return subprocess.call(command, cwd=ROOT)  # noqa: S603 - our own interpreter and module


T = TypeVar("T")


@dataclass
class Timed(Generic[T]):
    """The seconds of each timed call and the last call's result."""

    seconds: list[float]
    result: T

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def worst(self) -> float:
        return max(self.seconds)


def timed(function: Callable[[], T], *, repeat: int) -> Timed[T]:
    """`function` called once to warm up (imports, caches, connection), then `repeat` times, each one timed."""
    result = function()
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return Timed(seconds, result)
