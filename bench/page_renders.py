"""Issue 19: the dashboard, a metric page, the comparison and a municipality profile rendered in-process before
their cache is warm (every cache cleared before each rendering) and from the cache, at national scale."""

import argparse
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import (
    SERVER_URL,
    add_record_arguments,
    arguments_of,
    machine,
    own_database,
    positive,
    reachable_server,
    record,
    run_in_fresh_interpreter,
    say,
    setup_django,
    should_record,
)
from bench.dashboard_load import (
    DEFAULT_INDICATORS,
    DEFAULT_YEARS,
    LAST_YEAR,
    REGION,
    collect_static,
    prepare,
    production_environment,
)

help = "the dashboard, metric, comparison and municipality pages rendered uncached and cached (target < 100 ms)"

DATABASE = "tilannekuva_bench_pages"
DEFAULT_RUNS = 9
TARGET_MS = 100.0
MUNICIPALITY = "491"  # Mikkeli
HEADING = "## Pages before their cache is warm"
MARKER = "page-renders"
INTRO = """`python -m bench pages` (in `make bench`) fills the same national SYNTHETIC data bank as the dashboard load
test (300 indicators × 20 years × every area, the Etelä-Savo strategy's metrics bound to them), then renders each
page in-process with Django's test client under the production profile: first with every cache cleared before each
rendering (what the first visitor after an approval, an import, a survey answer or a strategy change waits for),
then from the page cache. The machine is shared by other work: each figure is the minimum and the median of
several runs, with the load average beside them. Target: every uncached page under 100 ms."""


@dataclass
class Page:
    label: str
    path: str
    uncached: list[float]
    cached: list[float]
    queries: int
    sql_ms: float

    @property
    def verdict(self) -> str:
        return "meets" if min(self.uncached) < TARGET_MS else "misses"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runs", type=positive, default=DEFAULT_RUNS, help=f"renderings per page (default {DEFAULT_RUNS})"
    )
    parser.add_argument(
        "--indicators",
        type=positive,
        default=DEFAULT_INDICATORS,
        help=f"SYNTHETIC indicators (default {DEFAULT_INDICATORS})",
    )
    parser.add_argument(
        "--years", type=positive, default=DEFAULT_YEARS, help=f"years per series (default {DEFAULT_YEARS})"
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help=f"use the {DATABASE} database of an earlier run with --keep-database instead of filling a new one",
    )
    parser.add_argument(
        "--profile",
        choices=("dashboard", "metric", "comparison", "municipality"),
        help="print a pyinstrument profile of one uncached rendering of this page (needs pyinstrument installed)",
    )
    add_record_arguments(parser, database=DATABASE, recorded="for a run with the default size and runs")


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        return run_in_fresh_interpreter("pages", options, add_arguments)
    started = time.perf_counter()
    server = reachable_server("Pages before their cache")
    if server is None:
        return 1
    static_root = Path(tempfile.mkdtemp(prefix="tilannekuva-bench-pages-"))
    production_environment(static_root)
    say(f"Pages before their cache is warm: {options.runs} renderings per page, {server}")
    try:
        if options.reuse_database:
            setup_django(database_url=f"{SERVER_URL}/{DATABASE}")
            collect_static()
            pages = measure_all(options)
        else:
            with own_database(DATABASE, keep=options.keep_database):
                prepare(indicators=options.indicators, years=options.years)
                collect_static()
                pages = measure_all(options)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    wall = time.perf_counter() - started
    table = results_table(pages)
    say("")
    say(table)
    say(f"Wall time of this benchmark: {wall / 60:.1f} min.")
    default = options.indicators >= DEFAULT_INDICATORS and options.years >= DEFAULT_YEARS
    if should_record(options, default_run=default and options.runs >= DEFAULT_RUNS and not options.profile):
        facts = machine(postgres_version=server)
        command = " ".join(["python -m bench pages", *arguments_of(options, add_arguments, changed_only=True)])
        lines = [
            f"Measured on {facts['date']} with `{command}` (checked out: commit {facts['commit']}). Data: SYNTHETIC.",
            "",
            "| machine | |",
            "|---|---|",
            f"| CPU | {facts['cpu']}, {facts['cores']} cores (shared with other work; load average in the table) |",
            f"| memory | {facts['memory']} |",
            f"| database | {facts['postgresql']} |",
            f"| Python, Django | {facts['python']}, Django {facts['django']} |",
            "",
            table,
        ]
        path = record(heading=HEADING, marker=MARKER, block="\n".join(lines), intro=INTRO)
        say(f"Figures written to {path}.")
    return 0


def _paths() -> dict[str, str]:
    from tilannekuva.strategy.models import BindingType, Metric

    metric = (
        Metric.objects.filter(version__strategy__region__slug=REGION, binding_type=BindingType.DATABANK)
        .order_by("pk")
        .first()
    )
    if metric is None:
        raise SystemExit("pages: no metric of the strategy is bound to the data bank")
    base = f"/regions/{REGION}/dashboard/"
    year = f"?year={LAST_YEAR}"
    return {
        "dashboard": base + year,
        "metric": f"{base}metrics/{metric.key}/{year}",
        "comparison": f"{base}metrics/{metric.key}/compare/{year}",
        "municipality": f"{base}municipalities/{MUNICIPALITY}/{year}",
    }


def _clear() -> None:
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


def render(client: object, path: str) -> tuple[float, int, float]:
    """One rendering: milliseconds, queries, milliseconds spent in SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        begun = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")  # type: ignore[attr-defined]
        ms = (time.perf_counter() - begun) * 1000
    if response.status_code != 200:
        raise SystemExit(f"pages: {path} answered {response.status_code}, not 200")
    return ms, len(captured.captured_queries), sum(float(q["time"]) * 1000 for q in captured.captured_queries)


def measure_all(options: argparse.Namespace) -> list[Page]:
    from django.test import Client

    paths = _paths()
    client = Client()
    if options.profile:
        profile(client, paths[options.profile])
    for path in paths.values():  # the first rendering of the process loads templates and translations
        _clear()
        render(client, path)
    uncached: dict[str, list[float]] = {label: [] for label in paths}
    cached: dict[str, list[float]] = {label: [] for label in paths}
    counted: dict[str, tuple[int, float]] = {}
    # Round by round, every page in each, so that a busy moment of the shared machine falls on all pages alike.
    for _ in range(options.runs):
        for label, path in paths.items():
            _clear()
            ms, queries, sql_ms = render(client, path)
            uncached[label].append(ms)
            counted[label] = (queries, sql_ms)
    for _ in range(options.runs):
        for label, path in paths.items():
            cached[label].append(render(client, path)[0])
    pages = [Page(label, path, uncached[label], cached[label], *counted[label]) for label, path in paths.items()]
    for page in pages:
        say(
            f"  {page.label}: uncached min {min(page.uncached):.0f} ms, cached min {min(page.cached):.1f} ms, "
            f"{page.queries} queries"
        )
    return pages


def profile(client: object, path: str) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        say("  --profile needs pyinstrument (`.uv/bin/uv pip install pyinstrument` into .venv); left out.")
        return
    _clear()
    render(client, path)
    _clear()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    render(client, path)
    profiler.stop()
    say(profiler.output_text(unicode=True, color=False, show_all=False))


def results_table(pages: list[Page]) -> str:
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    rows = [
        "| page | uncached min | uncached median | cached min | cached median | queries (SQL ms) | < 100 ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for page in pages:
        rows.append(
            f"| {page.label} (`{page.path}`) | {min(page.uncached):.0f} ms | {statistics.median(page.uncached):.0f} ms "
            f"| {min(page.cached):.1f} ms | {statistics.median(page.cached):.1f} ms | {page.queries} "
            f"({page.sql_ms:.0f}) | {page.verdict} |"
        )
    rows.append("")
    rows.append(f"Load average (1, 5, 15 min) at the end of the measurement: {load}.")
    return "\n".join(rows)
