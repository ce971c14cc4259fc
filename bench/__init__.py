"""Benchmarks for Tilannekuva (`make bench`): shared helpers for Django setup, machine facts and recording figures."""

import argparse
import os
import platform
import re
from datetime import date
from pathlib import Path

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
    head = ROOT / ".git" / "HEAD"
    try:
        ref = head.read_text(encoding="utf-8").strip()
        if ref.startswith("ref: "):
            return (ROOT / ".git" / ref[5:]).read_text(encoding="utf-8").strip()[:12]
        return ref[:12]
    except OSError:
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
