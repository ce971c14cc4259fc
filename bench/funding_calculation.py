"""HYTE calculation benchmark: every year and level in the store, read from PostgreSQL and computed, in < 1 s."""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench import (
    ROOT,
    SERVER_URL,
    create_database,
    drop_database,
    machine,
    positive,
    postgres_server_version,
    record,
    say,
    setup_django,
)

help = "HYTE calculation (read + points + ranks + euros + comparison) for all municipalities and all years stored"

DATABASE = "tilannekuva_bench_funding"
TARGET = 1.0  # seconds, issue 7
HEADING = "## HYTE calculation (funding)"
MARKER = "funding"
INTRO = """`python -m bench funding`: SYNTHETIC THL and VM tables (every municipality, every indicator of the parameter
file) for every municipal parameter year are imported into a fresh PostgreSQL database; then, timed, for every
year and level in the store: `selectors.year_data` (the reads), `selectors.calculate` (scaling, parts, ranks,
thirds, euros to the cent) and `calculator.compare` against the imported figures. The figure is the whole
pass; the target is under 1 second."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=positive, default=5, help="timed passes; the median is recorded (default 5)")
    parser.add_argument("--keep-database", action="store_true", help=f"leave the {DATABASE} database in place")
    parser.add_argument(
        "--record", action=argparse.BooleanOptionalAction, default=True, help="write the figures to docs/PERFORMANCE.md"
    )


def prepare(workdir: Path) -> tuple[int, int]:
    """Migrate, load the areas, import the SYNTHETIC tables of every municipal parameter year."""
    from django.core.management import call_command

    from tilannekuva.funding import parameters, synthetic
    from tilannekuva.funding.models import IndicatorFigure
    from tilannekuva.funding.services import import_figures
    from tilannekuva.regions.services import load_areas

    call_command("migrate", verbosity=0, interactive=False)
    load_areas()
    years = parameters.hyte_years("municipality")
    for year in years:
        for path in synthetic.write(year, workdir):
            import_figures(path=path, kind="thl" if "-thl-" in path.name else "vm")
    return len(years), IndicatorFigure.objects.count()


def one_pass() -> tuple[float, int]:
    from tilannekuva.funding import calculator, selectors

    started = time.perf_counter()
    units = 0
    for level in ("municipality", "county"):
        for year in selectors.years_with_figures(level):
            data = selectors.year_data(level=level, year=year)
            calculation = selectors.calculate(data)
            if calculation is None:
                continue
            calculator.compare(calculation, official_points=data.official_totals, official_eur=data.official_eur)
            units += len(calculation.units)
    return time.perf_counter() - started, units


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        # Another benchmark has set Django up against its own database: run in a fresh interpreter.
        command = [sys.executable, "-m", "bench", "funding", f"--repeat={options.repeat}"]
        command += ["--keep-database"] if options.keep_database else []
        command += ["--record" if options.record else "--no-record"]
        return subprocess.call(command, cwd=ROOT)  # noqa: S603 - our own interpreter and module
    try:
        server = postgres_server_version(f"{SERVER_URL}/postgres")
    except psycopg.OperationalError as exc:
        say(f"HYTE calculation: PostgreSQL is not reachable at {SERVER_URL} (set BENCH_POSTGRES_URL).\n{exc}")
        return 1
    create_database(SERVER_URL, DATABASE)
    try:
        setup_django(database_url=f"{SERVER_URL}/{DATABASE}")
        with tempfile.TemporaryDirectory(prefix="tilannekuva-bench-funding-") as workdir:
            years, rows = prepare(Path(workdir))
        one_pass()  # warm: imports, parameter files, connection
        timings = []
        units = 0
        for _ in range(options.repeat):
            seconds, units = one_pass()
            timings.append(seconds)
    finally:
        if not options.keep_database:
            drop_database(SERVER_URL, DATABASE)
    median, worst = statistics.median(timings), max(timings)
    verdict = "within" if worst < TARGET else "OVER"
    say(
        f"HYTE calculation: {years} years, {units} municipality-years ({rows:,} indicator figures): "
        f"median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms of {options.repeat} passes "
        f"({verdict} {TARGET:.0f} s)"
    )
    if options.record:
        facts = machine(postgres_version=server)
        block = "\n".join(
            [
                f"- {years} years, {units} municipality-years, {rows:,} imported indicator figures (SYNTHETIC)",
                f"- one pass (reads + calculation + comparison): median **{median * 1000:.0f} ms**, worst "
                f"{worst * 1000:.0f} ms of {options.repeat} (target < {TARGET:.0f} s: {verdict})",
                "- machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()),
            ]
        )
        say(f"Figures written to {record(heading=HEADING, marker=MARKER, block=block, intro=INTRO)}.")
    return 0 if worst < TARGET else 1
