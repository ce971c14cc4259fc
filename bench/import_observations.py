"""Import benchmark: synthetic observations through the real import path, beside a plain COPY, in PostgreSQL."""

import argparse
import math
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from bench import (
    SERVER_URL,
    add_record_arguments,
    machine,
    own_database,
    positive,
    postgres_settings,
    reachable_server,
    record,
    run_in_fresh_interpreter,
    say,
    should_record,
)

if TYPE_CHECKING:
    from tilannekuva.databank.models import ImportRun
    from tilannekuva.databank.services import ObservationRow

help = "synthetic observations through run_import + write_observations, beside a plain COPY of the same rows"

DATABASE = "tilannekuva_bench"
DEFAULT_ROWS = 5_000_000
DEFAULT_BATCH = 500_000
SOURCE_KEY = "synthetic-bench"
YEARS = range(1995, 2025)
GENDERS = ("total", "male", "female")
SEED = 20_251_101
TARGET = 0.5
BASELINE_TABLE = "bench_copy_baseline"
COLUMNS = ("indicator_id", "area_id", "year", "gender", "classification", "value", "absolute_value")
HEADING = "## Import of observations (data bank)"
FIRST = "(a) first import into an empty table: `run_import` + `write_observations`"
SECOND = "(b) second identical import: every row unchanged"
BASELINE = "(c) plain `COPY` of the same rows from a CSV file, same columns and indexes"


@dataclass
class Step:
    label: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rows", type=positive, default=DEFAULT_ROWS, help=f"synthetic rows to import (default {DEFAULT_ROWS:,})"
    )
    parser.add_argument(
        "--batch",
        type=positive,
        default=DEFAULT_BATCH,
        help=f"rows per write_observations call, all in one transaction (default {DEFAULT_BATCH:,})",
    )
    add_record_arguments(parser, database=DATABASE, recorded=f"for runs of {DEFAULT_ROWS:,} rows or more")


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        # Another benchmark has set Django up against its own database: run in a fresh interpreter.
        return run_in_fresh_interpreter("import", options, add_arguments)
    started = time.perf_counter()
    rows, batch = options.rows, min(options.batch, options.rows)
    server = reachable_server("Import benchmark")
    if server is None:
        return 1
    say(f"Import of observations: {rows:,} synthetic rows, {server}, batches of {batch:,} in one transaction")
    workdir = Path(tempfile.mkdtemp(prefix="tilannekuva-bench-"))
    with own_database(DATABASE, keep=options.keep_database):
        try:
            indicator_ids, area_ids = prepare(rows)
            make_rows = partial(synthetic_rows, indicator_ids=indicator_ids, area_ids=area_ids, count=rows)
            first, first_run = import_once(FIRST, make_rows, rows=rows, batch=batch)
            check(first_run.rows_added == rows, f"the first import added {first_run.rows_added:,}, not {rows:,}")
            vacuum()
            second, second_run = import_once(SECOND, make_rows, rows=rows, batch=batch)
            check(second_run.rows_unchanged == rows, f"the second import left {second_run.rows_unchanged:,} unchanged")
            csv_path = workdir / "observations.csv"
            write_csv(csv_path, make_rows(), import_run_id=first_run.pk)
            baseline = copy_baseline(csv_path, rows=rows)
            check_same_rows()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    wall = time.perf_counter() - started
    table = results_table([first, second, baseline], baseline=baseline)
    ratio = first.rate / baseline.rate
    verdict = "meets" if ratio >= TARGET else "is below"
    say("")
    say(table)
    say(f"\nRatio (a)/(c): {ratio:.2f}; the target is at least {TARGET:.2f}, so the real path {verdict} the target.")
    say(f"Wall time of this benchmark: {wall / 60:.1f} min.")
    if should_record(options, default_run=rows >= DEFAULT_ROWS):
        facts = machine(postgres_version=server)
        facts["settings"] = postgres_settings(f"{SERVER_URL}/postgres")
        block = recorded_block(facts, rows=rows, batch=batch, table=table, ratio=ratio, wall=wall)
        path = record(heading=HEADING, marker="import-observations", block=block, intro=INTRO)
        say(f"Figures written to {path}.")
    else:
        say(f"(A quick check: docs/PERFORMANCE.md is only updated for {DEFAULT_ROWS:,} rows or with --record.)")
    return 0


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"import benchmark: {message}")


def prepare(rows: int) -> tuple[list[int], list[int]]:
    """Migrate, load the real areas, and create enough SYNTHETIC indicators for `rows` rows."""
    from django.core.management import call_command

    from tilannekuva.databank.models import Indicator, Source
    from tilannekuva.regions.models import Area, AreaKind
    from tilannekuva.regions.services import load_areas

    step = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_areas()
    area_ids = list(Area.objects.filter(kind=AreaKind.MUNICIPALITY).order_by("code").values_list("pk", flat=True))
    per_indicator = len(area_ids) * len(YEARS) * len(GENDERS)
    source = Source.objects.create(
        key=SOURCE_KEY, name="SYNTHETIC benchmark data", attribution="Generated by bench/import_observations.py"
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            source=source,
            external_id=f"synthetic-{number}",
            title_fi=f"SYNTEETTINEN vertailuindikaattori {number}",
            title_en=f"SYNTHETIC benchmark indicator {number}",
            vintage="SYNTHETIC: generated by `python -m bench import`, not real data",
        )
        for number in range(1, math.ceil(rows / per_indicator) + 1)
    )
    say(
        f"  database {DATABASE}: migrated, {len(area_ids)} municipalities, {len(indicators)} SYNTHETIC indicators "
        f"× {len(YEARS)} years × {len(GENDERS)} genders ({time.perf_counter() - step:.1f} s)"
    )
    return [indicator.pk for indicator in indicators], area_ids


def synthetic_rows(*, indicator_ids: list[int], area_ids: list[int], count: int) -> Iterator["ObservationRow"]:
    """`count` rows, indicator by indicator as a source delivers them; values from a seeded formula."""
    from tilannekuva.databank.services import ObservationRow

    produced = 0
    for indicator_id in indicator_ids:
        for area_id in area_ids:
            for year in YEARS:
                for number, gender in enumerate(GENDERS):
                    if produced == count:
                        return
                    mixed = (SEED + indicator_id * 1_000_003 + area_id * 7_919 + year * 104_729 + number) % 99_991
                    absolute = float(mixed * 37 % 50_000) if number == 0 else None
                    yield ObservationRow(indicator_id, area_id, year, gender, "", mixed / 10, absolute)
                    produced += 1


def import_once(
    label: str, make_rows: Callable[[], Iterator["ObservationRow"]], *, rows: int, batch: int
) -> tuple[Step, "ImportRun"]:
    """One import as an importer runs it: run_import's transaction, write_observations batch by batch.

    Generating the synthetic rows stands in for an importer's parsing; its time is measured and left out, so
    the figure is the write path: ImportRun, COPY into the stage table, the upsert, commit, the run's update.
    """
    from tilannekuva.databank.services import Counts, run_import, write_observations

    generating = 0.0

    def work(run: "ImportRun") -> Counts:
        nonlocal generating
        counts = Counts()
        source = make_rows()
        while True:
            begun = time.perf_counter()
            chunk = list(islice(source, batch))
            generating += time.perf_counter() - begun
            if not chunk:
                return counts
            counts += write_observations(chunk, run=run)

    checkpoint()
    begun = time.perf_counter()
    run = run_import(
        source_key=SOURCE_KEY,
        url="",
        parameters={"benchmark": "import-observations", "rows": rows, "batch": batch, "synthetic": True},
        work=work,
    )
    seconds = time.perf_counter() - begun - generating
    say(
        f"  {label}: {seconds:.1f} s (+ {generating:.1f} s generating rows, not counted); "
        f"{run.rows_added:,} added, {run.rows_changed:,} changed, {run.rows_unchanged:,} unchanged"
    )
    return Step(label, rows, seconds), run


def write_csv(path: Path, rows: Iterator["ObservationRow"], *, import_run_id: int) -> None:
    """The same rows as CSV, as stored by the first import; "" keeps the empty classification a string."""
    begun = time.perf_counter()
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        for row in rows:
            value = "" if row.value is None else repr(row.value)
            absolute = "" if row.absolute_value is None else repr(row.absolute_value)
            out.write(
                f'{row.indicator_id},{row.area_id},{row.year},{row.gender},"",{value},{absolute},{import_run_id}\n'
            )
    size = path.stat().st_size / 1024**2
    say(f"  CSV file of the same rows written: {size:,.0f} MiB ({time.perf_counter() - begun:.1f} s, not counted)")


def copy_baseline(path: Path, *, rows: int) -> Step:
    """COPY the CSV file into a fresh table with the observation table's columns and every one of its indexes."""
    from django.db import connection, transaction

    from tilannekuva.databank.models import Observation

    table = Observation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        # LIKE ... INCLUDING ALL copies the primary key, the unique constraint, the (area, indicator, year)
        # index and the three foreign-key indexes; it leaves out the foreign keys themselves.
        cursor.execute(f"CREATE TABLE {BASELINE_TABLE} (LIKE {table} INCLUDING ALL)")
    columns = ", ".join((*COLUMNS, "import_run_id"))
    checkpoint()
    begun = time.perf_counter()
    statement = f"COPY {BASELINE_TABLE} ({columns}) FROM STDIN (FORMAT csv)"
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        path.open("rb") as data,
        cursor.cursor.copy(statement) as copy,
    ):
        while block := data.read(1 << 20):
            copy.write(block)
    seconds = time.perf_counter() - begun
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BASELINE_TABLE}")  # noqa: S608 - our own table
        (copied,) = cursor.fetchone() or (0,)
    check(copied == rows, f"COPY stored {copied:,} rows, not {rows:,}")
    say(f"  {BASELINE}: {seconds:.1f} s")
    return Step(BASELINE, rows, seconds)


def check_same_rows() -> None:
    """Both tables hold the same rows: a cheap fingerprint instead of a 5-million-row EXCEPT."""
    from django.db import connection

    fingerprint = (
        "SELECT count(*), sum(indicator_id + area_id + year), sum(value::numeric), sum(absolute_value::numeric), "
        "count(*) FILTER (WHERE gender = 'total'), count(*) FILTER (WHERE classification = '') FROM {}"
    )
    with connection.cursor() as cursor:
        cursor.execute(fingerprint.format("databank_observation"))
        imported = cursor.fetchone()
        cursor.execute(fingerprint.format(BASELINE_TABLE))
        copied = cursor.fetchone()
    check(imported == copied, f"the imported and copied rows differ: {imported} != {copied}")


def checkpoint() -> None:
    """Start each timed step with the earlier steps' dirty pages written out."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def vacuum() -> None:
    """What autovacuum would have done between two daily imports; untimed, so the second run is repeatable."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) databank_observation")


def results_table(steps: list[Step], *, baseline: Step) -> str:
    lines = [
        "| step | rows | seconds | rows/s | of COPY |",
        "|---|---:|---:|---:|---:|",
    ]
    for step in steps:
        share = step.rate / baseline.rate
        lines.append(f"| {step.label} | {step.rows:,} | {step.seconds:.1f} | {step.rate:,.0f} | {share:.2f} |")
    return "\n".join(lines)


def recorded_block(facts: dict[str, str], *, rows: int, batch: int, table: str, ratio: float, wall: float) -> str:
    verdict = "meets the target" if ratio >= TARGET else "is **below** the target"
    return f"""
Measured on {facts["date"]} with `python -m bench import --rows {rows} --batch {batch}` (checked out: commit
{facts["commit"]}; the whole benchmark, setup included, took {wall / 60:.1f} min). Data: SYNTHETIC.

| machine | |
|---|---|
| CPU | {facts["cpu"]}, {facts["cores"]} cores |
| memory | {facts["memory"]} |
| database | {facts["postgresql"]}; {facts["settings"]} |
| Python, Django | {facts["python"]}, Django {facts["django"]} |
| kernel | Linux {facts["kernel"]} |

{table}

**Ratio (a)/(c): {ratio:.2f}.** The target is at least {TARGET:.2f} of COPY; the real import path {verdict}.
"""


INTRO = """
`python -m bench import` (part of `make bench`) imports SYNTHETIC observations into a database of its own,
`tilannekuva_bench`, which it creates, migrates and drops. The figures between the markers below are
rewritten by each full run.
"""
