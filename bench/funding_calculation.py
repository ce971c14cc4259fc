"""HYTE calculation benchmark: every year and level in the store, read from PostgreSQL and computed, in < 1 s."""

import argparse
import tempfile
from pathlib import Path

from bench import (
    add_record_arguments,
    machine,
    own_database,
    positive,
    reachable_server,
    record,
    run_in_fresh_interpreter,
    say,
    timed,
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
    add_record_arguments(parser, database=DATABASE)


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


def one_pass() -> int:
    """Every year and level in the store read, calculated and compared; the municipality-years calculated."""
    from tilannekuva.funding import calculator, selectors

    units = 0
    for level in ("municipality", "county"):
        for year in selectors.years_with_figures(level):
            data = selectors.year_data(level=level, year=year)
            calculation = selectors.calculate(data)
            if calculation is None:
                continue
            calculator.compare(calculation, official_points=data.official_totals, official_eur=data.official_eur)
            units += len(calculation.units)
    return units


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        # Another benchmark has set Django up against its own database: run in a fresh interpreter.
        return run_in_fresh_interpreter("funding", options, add_arguments)
    server = reachable_server("HYTE calculation")
    if server is None:
        return 1
    with own_database(DATABASE, keep=options.keep_database):
        with tempfile.TemporaryDirectory(prefix="tilannekuva-bench-funding-") as workdir:
            years, rows = prepare(Path(workdir))
        passes = timed(one_pass, repeat=options.repeat)  # the first, untimed, warms imports, files, connection
    median, worst, units = passes.median, passes.worst, passes.result
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
