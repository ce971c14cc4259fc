"""Memory of a file import (issue 17): the peak resident memory of `tilannekuva import file` reading a 30 MB CSV file
(SYNTHETIC rows, the long format) into PostgreSQL, beside the same process doing nothing but start up."""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import (
    ROOT,
    add_record_arguments,
    machine,
    own_database,
    positive,
    reachable_server,
    record,
    run_in_fresh_interpreter,
    say,
    should_record,
)

help = "peak memory of `tilannekuva import file` for a 30 MB CSV file (SYNTHETIC rows) on PostgreSQL"

DATABASE = "tilannekuva_bench_import_memory"
HEADING = "## Memory of a file import"
MARKER = "import-memory"
DEFAULT_MB = 30
YEARS = range(1995, 2025)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mb", type=positive, default=DEFAULT_MB, help=f"the CSV file's size (default {DEFAULT_MB})")
    add_record_arguments(parser, database=DATABASE, recorded="for a run with the default size")


def write_csv(path: Path, megabytes: int) -> int:
    """SYNTHETIC rows for every municipality and year, indicator after indicator, until the file has the size."""
    from tilannekuva.regions.models import Area

    codes = list(Area.objects.filter(kind="municipality", valid_to__isnull=True).values_list("code", flat=True))
    target, rows, size = megabytes * 1024 * 1024, 0, 0
    with path.open("w", encoding="utf-8", newline="") as out:
        size += out.write("indicator;area;year;value\n")
        indicator = 0
        while size < target:
            indicator += 1
            for code in codes:
                for year in YEARS:
                    size += out.write(f"synthetic-memory-{indicator};{code};{year};{(indicator * 7 + year) % 997}.5\n")
                    rows += 1
    return rows


def peak_mb(command: list[str]) -> tuple[float, float, str]:
    """The command's peak resident memory (MB), its seconds, and the last line of its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy()
    )  # noqa: S603
    output = process.stdout.read().decode("utf-8", errors="replace") if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"import memory benchmark: {' '.join(command)} failed:\n{output[-2000:]}")
    lines = [line for line in output.splitlines() if line.strip()]
    return usage.ru_maxrss / 1024, seconds, lines[-1] if lines else ""


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        return run_in_fresh_interpreter("import-memory", options, add_arguments)
    server = reachable_server("Import memory")
    if server is None:
        return 1
    tilannekuva = str(Path(sys.executable).with_name("tilannekuva"))
    with own_database(DATABASE, keep=options.keep_database) as url, tempfile.TemporaryDirectory() as work:
        from django.core.management import call_command

        from tilannekuva.regions.services import load_areas

        call_command("migrate", verbosity=0)
        load_areas()
        path = Path(work) / "synthetic-memory.csv"
        rows = write_csv(path, options.mb)
        size = path.stat().st_size / (1024 * 1024)
        os.environ["DATABASE_URL"] = url
        idle, _, _ = peak_mb([tilannekuva, "showmigrations", "databank", "--skip-checks"])
        peak, seconds, said = peak_mb([tilannekuva, "import", "--skip-checks", "file", str(path)])
    say(
        f"Import memory: {size:.1f} MB CSV, {rows:,} rows; "
        f"peak {peak:.0f} MB (idle process {idle:.0f} MB), {seconds:.0f} s"
    )
    say(f"  {said}")
    if should_record(options, default_run=options.mb == DEFAULT_MB):
        facts = machine(postgres_version=server)
        block = "\n".join(
            [
                f"- {facts['date']}, {facts['cpu']} ({facts['cores']} cores), {server}, commit {facts['commit']}",
                f"- `tilannekuva import file` of a {size:.1f} MB CSV file ({rows:,} SYNTHETIC rows, long format): "
                f"peak resident memory {peak:.0f} MB (the same process idle: {idle:.0f} MB), {seconds:.0f} s",
            ]
        )
        intro = (
            "`python -m bench import-memory`: the peak resident memory (`ru_maxrss`) of `tilannekuva import file` "
            "reading a CSV file of SYNTHETIC rows into PostgreSQL, in a process of its own."
        )
        record(heading=HEADING, marker=MARKER, block=block, intro=intro)
    return 0
