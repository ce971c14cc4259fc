"""Dashboard load test: wrk on loopback against gunicorn, national SYNTHETIC data bank, beside a static copy."""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bench import (
    ROOT,
    SERVER_URL,
    add_record_arguments,
    arguments_of,
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
    from tilannekuva.databank.models import ImportRun, Indicator
    from tilannekuva.regions.models import Area

help = "wrk with 32 connections on the dashboard (national SYNTHETIC data bank) beside the same page as a static file"

# Not the import benchmark's database: `make bench` runs both, and each drops its own at the end.
DATABASE = "tilannekuva_bench_dashboard"
REGION = "etela-savo"
DEFAULT_PATH = f"/regions/{REGION}/dashboard/"
STATIC_FILE = "bench/dashboard.html"  # under STATIC_ROOT, so served at STATIC_URL + this
SOURCE_KEY = "synthetic-bench"
DEFAULT_INDICATORS = 300
DEFAULT_YEARS = 20
LAST_YEAR = 2024
DEFAULT_DURATION = 20
DEFAULT_WARMUP = 5
CONNECTIONS = 32
THREADS = 2
SEED = 20_251_124
P95_TARGET_MS = 100.0
RATIO_TARGET = 1 / 3
SETTLE_LIMIT = 10.0  # seconds after an import by which every server process must serve the new page
RULES = ("region_value", "mean", "sum")
LUA_SCRIPT = Path(__file__).with_name("wrk_latency.lua")
HEADING = "## Load test of the dashboard (kojelauta)"
MARKER = "dashboard-load"
# Per-response tokens that differ between two renderings of the same page (the masked CSRF token of the
# language form, a CSP nonce): left out when two pages are compared.
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


@dataclass
class Load:
    """One wrk run, as its Lua script reports it."""

    label: str
    url: str
    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: dict[str, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def failed(self) -> int:
        return sum(self.errors.values())


@dataclass
class Render:
    """One in-process rendering with Django's test client: what the page costs without the HTTP stack."""

    queries: int
    sql_ms: float
    ms: float
    slowest: list[tuple[float, str]]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duration",
        type=positive,
        default=DEFAULT_DURATION,
        help=f"seconds measured per URL (default {DEFAULT_DURATION})",
    )
    parser.add_argument(
        "--warmup",
        type=positive,
        default=DEFAULT_WARMUP,
        help=f"seconds of uncounted load per URL before the measured run (default {DEFAULT_WARMUP})",
    )
    parser.add_argument(
        "--connections",
        type=positive,
        default=CONNECTIONS,
        help=f"concurrent wrk connections (default {CONNECTIONS})",
    )
    parser.add_argument("--threads", type=positive, default=THREADS, help=f"wrk threads (default {THREADS})")
    parser.add_argument(
        "--workers",
        type=positive,
        default=default_workers(),
        help=f"gunicorn worker processes (default 2 × cores + 1 = {default_workers()})",
    )
    parser.add_argument(
        "--worker-class",
        choices=("sync", "gthread"),
        default="sync",
        help="gunicorn worker class (default sync)",
    )
    parser.add_argument(
        "--worker-threads",
        type=positive,
        default=1,
        help="threads per gunicorn worker; more than 1 makes the worker class gthread (default 1)",
    )
    parser.add_argument(
        "--indicators",
        type=positive,
        default=DEFAULT_INDICATORS,
        help=f"SYNTHETIC indicators in the data bank (default {DEFAULT_INDICATORS})",
    )
    parser.add_argument(
        "--years",
        type=positive,
        default=DEFAULT_YEARS,
        help=f"years of data per indicator and area, up to {LAST_YEAR} (default {DEFAULT_YEARS})",
    )
    parser.add_argument(
        "--path",
        default=DEFAULT_PATH,
        help=f"the page to load-test (default {DEFAULT_PATH})",
    )
    add_record_arguments(
        parser,
        database=DATABASE,
        recorded="for a run with the default page, data size and connections, measured for at least the default "
        "duration",
    )


def default_workers() -> int:
    """Gunicorn's own rule of thumb: while one worker waits for PostgreSQL or the socket, another can run."""
    return 2 * (os.cpu_count() or 1) + 1


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        # `python -m bench` runs every benchmark in one interpreter, and Django reads its settings once: this
        # one needs the production profile against a database of its own, so it runs in a fresh interpreter.
        return run_in_fresh_interpreter("dashboard", options, add_arguments)
    started = time.perf_counter()
    wrk = shutil.which("wrk")
    if wrk is None:
        say("Dashboard load test: wrk is not installed (`make bench` installs the Debian package `wrk`).")
        return 1
    server = reachable_server("Dashboard load test")
    if server is None:
        return 1
    workers, worker_class = options.workers, "gthread" if options.worker_threads > 1 else options.worker_class
    say(
        f"Dashboard load test: {options.path}, {options.connections} connections, {server}, gunicorn "
        f"{workers} {worker_class} workers"
    )
    workdir = Path(tempfile.mkdtemp(prefix="tilannekuva-bench-dashboard-"))
    static_root = workdir / "static"
    production_environment(static_root)
    gunicorn: subprocess.Popen[bytes] | None = None
    with own_database(DATABASE, keep=options.keep_database):
        try:
            size = prepare(indicators=options.indicators, years=options.years)
            collect_static()
            cold, warm, page = render_in_process(options.path)
            static_path = static_root / STATIC_FILE
            static_path.parent.mkdir(parents=True, exist_ok=True)
            # Written before gunicorn starts: WhiteNoise indexes STATIC_ROOT once, at start-up.
            static_path.write_bytes(page)
            port = free_port()
            gunicorn = start_gunicorn(port, options=options, worker_class=worker_class, log=workdir / "gunicorn.log")
            base = f"http://127.0.0.1:{port}"
            static_url = f"/static/{STATIC_FILE}"
            wait_until_serving(gunicorn, port, options.path)
            for path in (options.path, static_url):
                status, body = fetch(port, path)
                check(status == 200, f"{path} answered {status}, not 200")
            say(f"  gunicorn on {base}: {len(page):,} bytes of dashboard HTML, the same saved as {static_url}")
            dashboard = measure(wrk, "dashboard", base + options.path, options=options)
            static = measure(wrk, "the same page as a static file", base + static_url, options=options)
            invalidation = check_invalidation(port, options.path, workers=workers * options.worker_threads)
        finally:
            if gunicorn is not None:
                stop(gunicorn, log=workdir / "gunicorn.log")
            shutil.rmtree(workdir, ignore_errors=True)
    wall = time.perf_counter() - started
    loads = [dashboard, static]
    table = results_table(loads, paths=[options.path, static_url])
    ratio = dashboard.rate / static.rate
    say("")
    say(table)
    say("")
    say(verdicts(dashboard, ratio=ratio, invalidation=invalidation))
    say(in_process_line(cold, warm))
    for ms, statement in cold.slowest:
        say(f"    {ms:7.1f} ms  {statement[:160]}")
    say(f"Wall time of this benchmark: {wall / 60:.1f} min.")
    failures = [load for load in loads if load.failed]
    for load in failures:
        say(f"FAILED: {load.label}: {load.failed:,} errors ({describe_errors(load.errors)}); nothing recorded.")
    if failures:
        return 1
    defaults = (
        options.path == DEFAULT_PATH
        and options.indicators >= DEFAULT_INDICATORS
        and options.years >= DEFAULT_YEARS
        and options.connections == CONNECTIONS
        and options.duration >= DEFAULT_DURATION
    )
    if should_record(options, default_run=defaults):
        facts = machine(postgres_version=server)
        facts["settings"] = postgres_settings(f"{SERVER_URL}/postgres")
        facts["gunicorn"] = gunicorn_version()
        facts["wrk"] = wrk_version(wrk)
        block = recorded_block(
            facts,
            options=options,
            worker_class=worker_class,
            size=size,
            table=table,
            verdict=verdicts(dashboard, ratio=ratio, invalidation=invalidation),
            in_process=in_process_line(cold, warm),
            wall=wall,
        )
        path = record(heading=HEADING, marker=MARKER, block=block, intro=INTRO)
        say(f"Figures written to {path}.")
    else:
        say("(Not the default page, size or duration: docs/PERFORMANCE.md is not updated without --record.)")
    return 0


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"dashboard load test: {message}")


def production_environment(static_root: Path) -> None:
    """The production profile, as a deployment runs it, for this process and the gunicorn it starts."""
    os.environ.update(
        {
            "TILANNEKUVA_PROFILE": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(static_root),
            # Per-request logging would be part of what is measured; warnings and errors still show.
            "LOG_LEVEL": "WARNING",
        }
    )


@dataclass
class Size:
    indicators: int
    years: range
    areas: dict[str, int]  # area kind -> count
    rows: int
    metrics: int


def prepare(*, indicators: int, years: int) -> Size:
    """Migrate; load the real areas and the Etelä-Savo strategy; fill a SYNTHETIC data bank; bind the metrics."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tilannekuva.databank.binding import bind
    from tilannekuva.databank.models import Direction, Indicator, Source
    from tilannekuva.regions.models import Area, AreaKind
    from tilannekuva.regions.services import load_areas
    from tilannekuva.strategy.models import Metric
    from tilannekuva.strategy.yaml_import import import_file

    step = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_areas()
    import_file(settings.STRATEGIES_DIR / f"{REGION}.yaml")
    span = range(LAST_YEAR - years + 1, LAST_YEAR + 1)
    kinds = (AreaKind.MUNICIPALITY, AreaKind.MAAKUNTA, AreaKind.WELLBEING_SERVICES_COUNTY, AreaKind.COUNTRY)
    areas = list(Area.objects.filter(kind__in=kinds).order_by("kind", "code"))
    source = Source.objects.create(
        key=SOURCE_KEY, name="SYNTHETIC benchmark data", attribution="Generated by bench/dashboard_load.py"
    )
    directions = (Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.NEUTRAL)
    made = Indicator.objects.bulk_create(
        Indicator(
            source=source,
            external_id=f"synthetic-{number:03d}",
            title_fi=f"SYNTEETTINEN kuormitustestin indikaattori {number}",
            title_en=f"SYNTHETIC load-test indicator {number}",
            unit="SYNTHETIC",
            decimals=1,
            direction=directions[number % len(directions)],
            first_year=span[0],
            last_year=span[-1],
            data_updated=date(LAST_YEAR + 1, 1, 1),
            vintage="SYNTHETIC: generated by `python -m bench dashboard`, not real data",
        )
        for number in range(1, indicators + 1)
    )
    rows = copy_observations(made, areas, span)
    with connection.cursor() as cursor:
        # What autovacuum does after a large import, so that the planner knows the table's size.
        cursor.execute("VACUUM (ANALYZE) databank_observation")
    metrics = list(Metric.objects.filter(version__strategy__region__slug=REGION).order_by("version__year", "pk"))
    check(bool(metrics), f"the {REGION} strategy has no metrics")
    check(len(metrics) <= len(made), f"{len(metrics)} metrics but only {len(made)} indicators")
    for number, metric in enumerate(metrics):
        bind(metric=metric, indicator=made[number], aggregation=RULES[number % len(RULES)])
    counts: dict[str, int] = {}
    for area in areas:
        counts[area.kind] = counts.get(area.kind, 0) + 1
    say(
        f"  database {DATABASE}: migrated, {len(areas)} areas, {len(made)} SYNTHETIC indicators × {len(span)} years "
        f"({span[0]}–{span[-1]}) = {rows:,} observations, {len(metrics)} metrics of {REGION} bound to them "
        f"({time.perf_counter() - step:.1f} s, not counted)"
    )
    return Size(indicators=len(made), years=span, areas=counts, rows=rows, metrics=len(metrics))


def copy_observations(indicators: list["Indicator"], areas: list["Area"], years: range) -> int:
    """COPY the SYNTHETIC observations straight in, inside a recorded import run (set-up time is not measured).

    Each (indicator, area) series has a seeded level, trend and noise, so that cards get real statuses and
    trends; every area has its own value, as a national source such as Sotkanet delivers them.
    """
    from django.db import connection

    from tilannekuva.databank.services import Counts, run_import

    def rows() -> Iterator[tuple[int, int, int, str, str, float, float]]:
        rng = random.Random(SEED)
        for indicator in indicators:
            level, trend = rng.uniform(5, 95), rng.uniform(-1.0, 1.0)
            for area in areas:
                offset, own_trend = rng.gauss(0, level * 0.15), trend + rng.gauss(0, 0.3)
                for year in years:
                    if (area.valid_from or year) <= year <= (area.valid_to or year):
                        value = round(max(0.0, level + offset + own_trend * (year - years[0]) + rng.gauss(0, 1)), 1)
                        yield indicator.pk, area.pk, year, "total", "", value, round(value * 100)

    copied = 0

    def work(run: "ImportRun") -> Counts:
        nonlocal copied
        statement = (
            "COPY databank_observation (indicator_id, area_id, year, gender, classification, value, absolute_value, "
            "import_run_id) FROM STDIN (FORMAT BINARY)"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            copy.set_types(("int8", "int8", "int2", "varchar", "varchar", "float8", "float8", "int8"))
            for row in rows():
                copy.write_row((*row, run.pk))
                copied += 1
        return Counts(added=copied)

    run_import(
        source_key=SOURCE_KEY,
        url="",
        parameters={"benchmark": "dashboard-load", "synthetic": True, "seed": SEED},
        work=work,
    )
    return copied


def collect_static() -> None:
    """collectstatic into the temporary STATIC_ROOT, as a deployment does before it starts the server."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def render_in_process(path: str) -> tuple[Render, Render, bytes]:
    """The page twice with Django's test client: uncached (its queries profiled), then as cached; the HTML."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    renders = []
    content = b""
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            response = client.get(path, HTTP_HOST="127.0.0.1")
            ms = (time.perf_counter() - begun) * 1000
        check(response.status_code == 200, f"{path} answered {response.status_code} in-process, not 200")
        content = response.content
        timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True)
        renders.append(Render(len(timed), sum(t for t, _ in timed), ms, timed[:3]))
    return renders[0], renders[1], content


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    port: int, *, options: argparse.Namespace, worker_class: str, log: Path, output: Path | None = None
) -> "subprocess.Popen[bytes]":
    """gunicorn on loopback; the application's own log (stdout, stderr) goes to `output` if given."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tilannekuva.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={options.workers}",
        f"--worker-class={worker_class}",
        f"--threads={options.worker_threads}",
        f"--chdir={ROOT}",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    if output is None:
        return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdin=subprocess.DEVNULL)  # noqa: S603
    with output.open("ab") as sink:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=os.environ.copy(), stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT
        )


def wait_until_serving(process: "subprocess.Popen[bytes]", port: int, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        check(process.poll() is None, f"gunicorn stopped with status {process.returncode} while starting")
        try:
            fetch(port, path)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("dashboard load test: gunicorn did not answer within 60 s")


def stop(process: "subprocess.Popen[bytes]", *, log: Path) -> None:
    """SIGTERM is gunicorn's graceful stop; a master that does not stop in time is killed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    errors = log.read_text(encoding="utf-8", errors="replace").strip() if log.exists() else ""
    if errors:
        say("  gunicorn's error log:\n" + "\n".join(f"    {line}" for line in errors.splitlines()[-20:]))


def fetch(port: int, path: str) -> tuple[int, bytes]:
    """One GET without following redirects: a redirect (to a login page, say) is not the page."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure(wrk: str, label: str, url: str, *, options: argparse.Namespace) -> Load:
    """An uncounted warm-up (every worker renders and caches the page once), then the measured run."""
    warmup = run_wrk(wrk, label, url, seconds=options.warmup, options=options)
    say(f"  warm-up, {label}: {warmup.rate:,.0f} requests/s (not counted)")
    load = run_wrk(wrk, label, url, seconds=options.duration, options=options)
    say(
        f"  {label}: {load.rate:,.0f} requests/s, p50 {load.p50_ms:.1f} ms, p95 {load.p95_ms:.1f} ms, "
        f"p99 {load.p99_ms:.1f} ms, {load.failed:,} errors"
    )
    return load


def run_wrk(wrk: str, label: str, url: str, *, seconds: int, options: argparse.Namespace) -> Load:
    command = [
        wrk,
        f"--threads={options.threads}",
        f"--connections={options.connections}",
        f"--duration={seconds}s",
        # Well beyond any latency worth measuring, so that a slow response counts as a latency, not as a
        # timeout that wrk would leave out of the percentiles.
        "--timeout=10s",
        f"--script={LUA_SCRIPT}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if line.startswith("wrk-summary ")]
    check(done.returncode == 0 and bool(lines), f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(lines[-1].split(" ", 1)[1])
    return Load(
        label=label,
        url=url,
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        bytes=int(data["bytes"]),
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors={
            "non-2xx/3xx": int(data["status_errors"]),
            "timeout": int(data["timeouts"]),
            "connect": int(data["connect_errors"]),
            "read": int(data["read_errors"]),
            "write": int(data["write_errors"]),
        },
    )


def describe_errors(errors: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {kind}" for kind, count in errors.items() if count) or "none"


def check_invalidation(port: int, path: str, *, workers: int) -> str:
    """After an import through the real path, does every worker serve the new page rather than its cached one?

    The import runs in this process, not in gunicorn's, as an import from the command line or a task worker
    does. The page is fetched from many concurrent connections, so that every worker answers some of them.
    """
    from django.core.cache import caches
    from django.test import Client

    from tilannekuva.databank.models import Indicator, Observation
    from tilannekuva.databank.services import ObservationRow, run_import, write_observations
    from tilannekuva.regions.models import Region

    requests = 10 * workers

    def served() -> list[bytes]:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            answers = list(pool.map(lambda _: fetch(port, path), range(requests)))
        check(all(status == 200 for status, _ in answers), f"{path} did not always answer 200")
        return [VOLATILE.sub(b"", body) for _, body in answers]

    before = set(served())
    region = Region.objects.select_related("area").get(slug=REGION)
    indicator_ids = list(Indicator.objects.filter(source__key=SOURCE_KEY).values_list("pk", flat=True))
    latest = Observation.objects.filter(indicator_id__in=indicator_ids, area=region.area, gender="total")
    latest_year = max(latest.values_list("year", flat=True))
    rows = [
        ObservationRow(o.indicator_id, o.area_id, o.year, o.gender, o.classification, (o.value or 0) + 1000.5, None)
        for o in latest.filter(year=latest_year)
    ]
    run_import(
        source_key=SOURCE_KEY,
        url="",
        parameters={"benchmark": "dashboard-load", "synthetic": True, "invalidation check": True},
        work=lambda run: write_observations(rows, run=run),
    )
    committed = time.monotonic()
    # A server process may take a moment to see another process's invalidation (it need not read the
    # database on every request): the page is fetched again until no response is stale, for a limited time.
    while True:
        after = served()
        stale = sum(body in before for body in after)
        settled = time.monotonic() - committed
        if not stale or settled > SETTLE_LIMIT:
            break
        time.sleep(0.1)
    # Only now, after the server has answered: a cache shared between processes is cleared here as well.
    for cache in caches.all():
        cache.clear()
    fresh = VOLATILE.sub(b"", Client().get(path, HTTP_HOST="127.0.0.1").content)
    if fresh in before:
        return "not checked: the import of new latest values did not change the freshly rendered page"
    if stale:
        return (
            f"**stale**: {stale} of {len(after)} responses were still the page from before the import "
            f"{SETTLE_LIMIT:.0f} s after its commit"
        )
    return f"yes: {settled:.1f} s after the import's commit, {len(after)} of {len(after)} responses were the new page"


def gunicorn_version() -> str:
    import gunicorn

    return f"gunicorn {gunicorn.__version__}"


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"wrk (\S+)", done.stdout + done.stderr)
    return f"wrk {match.group(1)}" if match else "wrk"


def results_table(loads: list[Load], *, paths: list[str]) -> str:
    lines = [
        "| URL | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | bytes/response with headers | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for load, path in zip(loads, paths, strict=True):
        lines.append(
            f"| {load.label}: `{path}` | {load.requests:,} | {load.rate:,.0f} | {load.p50_ms:.1f} | "
            f"{load.p95_ms:.1f} | {load.p99_ms:.1f} | {load.max_ms:.0f} | {load.bytes // max(load.requests, 1):,} | "
            f"{load.failed:,} |"
        )
    return "\n".join(lines)


def verdicts(dashboard: Load, *, ratio: float, invalidation: str) -> str:
    p95 = "met" if dashboard.p95_ms < P95_TARGET_MS else "**missed**"
    share = "met" if ratio >= RATIO_TARGET else "**missed**"
    return (
        f"- **Ratio dashboard/static requests/s: {ratio:.2f}**; target at least {RATIO_TARGET:.2f}: {share}.\n"
        f"- **p95 of the dashboard: {dashboard.p95_ms:.1f} ms**; target under {P95_TARGET_MS:.0f} ms: {p95}.\n"
        f"- Cache invalidated on import: {invalidation}."
    )


def in_process_line(cold: Render, warm: Render) -> str:
    return (
        f"In-process with Django's test client (same settings, no HTTP): the uncached page took {cold.ms:.0f} ms "
        f"with {queries(cold.queries)} ({cold.sql_ms:.0f} ms in SQL); the cached one {warm.ms:.1f} ms with "
        f"{queries(warm.queries)}."
    )


def queries(count: int) -> str:
    return f"{count} query" if count == 1 else f"{count} queries"


def recorded_block(
    facts: dict[str, str],
    *,
    options: argparse.Namespace,
    worker_class: str,
    size: Size,
    table: str,
    verdict: str,
    in_process: str,
    wall: float,
) -> str:
    names = {
        "municipality": "municipalities",
        "maakunta": "maakunnat",
        "wellbeing_services_county": "wellbeing services counties",
        "country": "country",
    }
    areas = ", ".join(f"{size.areas[kind]} {names[kind]}" for kind in names if kind in size.areas)
    threads = f" × {options.worker_threads} threads" if options.worker_threads > 1 else ""
    load_time = f"{options.warmup} s warm-up + {options.duration} s measured per URL"
    data = (
        f"SYNTHETIC: {size.rows:,} observations, {size.indicators} indicators × {len(size.years)} years "
        f"({size.years[0]}–{size.years[-1]}) × {sum(size.areas.values())} areas ({areas}); the {size.metrics} "
        f"metrics of {REGION} bound to {size.metrics} of the indicators"
    )
    command = " ".join(["python -m bench dashboard", *arguments_of(options, add_arguments, changed_only=True)])
    return f"""
Measured on {facts["date"]} with `{command}` (checked out: commit {facts["commit"]}; the whole benchmark,
set-up included, took {wall / 60:.1f} min).

| machine | |
|---|---|
| CPU | {facts["cpu"]}, {facts["cores"]} cores, shared by gunicorn, PostgreSQL and wrk |
| memory | {facts["memory"]} |
| database | {facts["postgresql"]}; {facts["settings"]} |
| server | {facts["gunicorn"]}, {options.workers} {worker_class} workers{threads}, production profile (WhiteNoise) |
| load | {facts["wrk"]}, {options.threads} threads, {options.connections} connections, {load_time} |
| data | {data} |
| Python, Django | {facts["python"]}, Django {facts["django"]} |
| kernel | Linux {facts["kernel"]} |

{table}

{verdict}

{in_process}
"""


INTRO = """
`python -m bench dashboard` (in `make bench`; method in `bench/README.md`) fills a database of its own,
`tilannekuva_bench_dashboard`, with a national-scale SYNTHETIC data bank (every municipality, maakunta and
wellbeing services county and the country; 300 indicators × 20 years), binds every metric of the Etelä-Savo
strategy to those indicators, and starts gunicorn in the production profile on loopback. wrk, a second
process on the same machine, then loads `/regions/etela-savo/dashboard/` with 32 connections, and in the same
run the very same HTML saved as a static file and served by the same gunicorn and WhiteNoise. Each URL gets an
uncounted warm-up first. Targets: p95 under 100 ms, and at least a third of the static file's requests/s.
The block between the markers is rewritten by each full run.
"""
