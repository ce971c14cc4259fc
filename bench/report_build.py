"""Reports benchmark: the yearly follow-up report of Etelä-Savo (build with charts, PDF), and the open data API's
observations (a page of 1,000 rows as JSON, CSV and JSON-stat), on PostgreSQL."""

import argparse
import statistics
import time

from bench import (
    add_record_arguments,
    machine,
    own_database,
    positive,
    reachable_server,
    record,
    run_in_fresh_interpreter,
    say,
)

help = "the yearly follow-up report (build + PDF) and the open data API's observations (JSON, CSV, JSON-stat)"

DATABASE = "tilannekuva_bench_reports"
HEADING = "## Reports and open data API (reports)"
MARKER = "reports"
INTRO = """`python -m bench reports`: a fresh PostgreSQL database with the real areas and the three strategies; each of
Etelä-Savo's 12 data-bank-able metrics is given a SYNTHETIC series (20 years × every municipality of the region
and the country) and bound, so the report draws that many charts. Timed: `reports.selectors.follow_up_report`
(the dashboard's cards, the charts drawn with vl-convert), the PDF through WeasyPrint, and one page of 1,000
observations from `/api/v1/observations/` as JSON, CSV and JSON-stat (Django's test client, no network)."""
METRICS = 12
YEARS = range(2005, 2025)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=positive, default=3, help="timed passes; the median is recorded (default 3)")
    add_record_arguments(parser, database=DATABASE)


def prepare() -> int:
    """Migrate, load the areas and strategies, bind SYNTHETIC series to the region's metrics; the observations."""
    from django.conf import settings
    from django.core.management import call_command

    from tilannekuva.databank.binding import bind
    from tilannekuva.databank.models import Indicator, Observation
    from tilannekuva.databank.services import source
    from tilannekuva.regions.models import Area, AreaKind, Region
    from tilannekuva.regions.selectors import members_of
    from tilannekuva.regions.services import load_areas
    from tilannekuva.strategy.models import Metric
    from tilannekuva.strategy.yaml_import import import_file

    call_command("migrate", verbosity=0, interactive=False)
    load_areas()
    for name in ("etela-savo.yaml", "pohjois-savo.yaml", "keski-uusimaa.yaml"):
        import_file(settings.STRATEGIES_DIR / name)
    region = Region.objects.get(slug="etela-savo")
    areas = [*members_of(region.area, year=2024), Area.objects.get(kind=AreaKind.COUNTRY)]
    metrics = Metric.objects.filter(version__strategy__region=region).exclude(kind="yes_no").order_by("pk")[:METRICS]
    rows = []
    for number, metric in enumerate(metrics):
        indicator = Indicator.objects.create(
            source=source("sotkanet"),
            external_id=f"bench-{number}",
            title_fi=f"SYNTHETIC benchmark indicator {number}",
            licence="CC BY 4.0",
            decimals=1,
        )
        for year in YEARS:
            for index, area in enumerate(areas):
                value = 50.0 + number + index * 0.7 + (year - YEARS[0]) * (0.3 if index % 2 else -0.2)
                rows.append(Observation(indicator=indicator, area=area, year=year, value=value))
        bind(metric=metric, indicator=indicator, aggregation="mean")
    Observation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def one_pass() -> dict[str, float]:
    from django.core.cache import cache
    from django.test import Client

    from tilannekuva.regions.models import Region
    from tilannekuva.reports import rendering, selectors

    cache.clear()
    region = Region.objects.get(slug="etela-savo")
    times = {}
    started = time.perf_counter()
    report = selectors.follow_up_report(region=region, year=2024)
    times["build"] = time.perf_counter() - started
    assert report.charts_drawn >= METRICS - 1, report.charts_drawn
    started = time.perf_counter()
    pdf = rendering.report_pdf(report)
    times["pdf"] = time.perf_counter() - started
    assert pdf.startswith(b"%PDF-")
    client = Client(HTTP_HOST="localhost")
    for fmt in ("json", "csv", "jsonstat"):
        started = time.perf_counter()
        response = client.get(
            "/api/v1/observations/",
            {"indicator": ",".join(f"sotkanet:bench-{n}" for n in range(METRICS)), "page_size": "1000", "format": fmt},
            REMOTE_ADDR=f"198.51.100.{len(times)}",
        )
        times[fmt] = time.perf_counter() - started
        assert response.status_code == 200, response.content[:200]
    return times


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        return run_in_fresh_interpreter("reports", options, add_arguments)
    server = reachable_server("Reports")
    if server is None:
        return 1
    with own_database(DATABASE, keep=options.keep_database):
        rows = prepare()
        one_pass()  # warm: fonts, templates, the chart renderer
        passes = [one_pass() for _ in range(options.repeat)]
    median = {key: statistics.median(p[key] for p in passes) for key in passes[0]}
    say(
        f"Reports: {rows:,} observations; report build {median['build'] * 1000:.0f} ms, PDF "
        f"{median['pdf'] * 1000:.0f} ms; API page of 1,000 observations: JSON {median['json'] * 1000:.0f} ms, "
        f"CSV {median['csv'] * 1000:.0f} ms, JSON-stat {median['jsonstat'] * 1000:.0f} ms (median of {options.repeat})"
    )
    if options.record:
        facts = machine(postgres_version=server)
        block = "\n".join(
            [
                f"- {METRICS} metrics with SYNTHETIC series, {rows:,} observations",
                f"- follow-up report of Etelä-Savo 2024 with {METRICS} charts: build "
                f"**{median['build'] * 1000:.0f} ms**, PDF **{median['pdf'] * 1000:.0f} ms** "
                f"(median of {options.repeat})",
                f"- `/api/v1/observations/`, a page of 1,000 rows: JSON **{median['json'] * 1000:.0f} ms**, CSV "
                f"**{median['csv'] * 1000:.0f} ms**, JSON-stat **{median['jsonstat'] * 1000:.0f} ms**",
                "- machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()),
            ]
        )
        say(f"Figures written to {record(heading=HEADING, marker=MARKER, block=block, intro=INTRO)}.")
    return 0
