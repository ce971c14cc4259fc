"""`tilannekuva report build REGION --year 2024 --format pdf --output report.pdf`: the yearly follow-up report
(or a municipality's edition, or the welfare-report variant) as PDF or HTML; with `--background [--follow]` it
is queued for the worker instead, and `tilannekuva report jobs [ID] [--follow]` shows the background builds."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.core import jobs
from tilannekuva.core.models import JobStatus
from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.regions.models import Region
from tilannekuva.regions.selectors import region_by_slug
from tilannekuva.reports import builds, rendering, selectors
from tilannekuva.reports.models import ReportBuild


def describe(build: ReportBuild) -> str:
    return jobs.describe(build, result=build.file.name if build.file else "")


def follow(build_id: int, *, stdout: Any, interval: float = 2.0) -> None:
    """Print the build's progress until it has ended; fail the command if it failed."""
    build = jobs.follow(ReportBuild, build_id, stdout=stdout, line=describe, interval=interval)
    if build.status == JobStatus.FAILED:
        raise CommandError(build.output or build.progress)


class Command(BaseCommand):
    help = "Build the yearly follow-up report of a region's strategy as PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        build = sub.add_parser("build", help="Write the report of one follow-up year to a file.")
        build.add_argument("region", help="the region, e.g. etela-savo")
        build.add_argument("--year", type=int, help="the follow-up year (default: the last full year)")
        build.add_argument("--format", default="pdf", choices=["pdf", "html"], help="pdf (default) or html")
        build.add_argument("--output", type=Path, help="the file to write (required unless --background)")
        build.add_argument("--municipality", default="", help="a municipality's edition: its code, e.g. 491")
        build.add_argument(
            "--county",
            nargs="?",
            const="",
            default=None,
            metavar="CODE",
            help="the wellbeing services county's edition (its code, e.g. 12; optional when the region has one)",
        )
        build.add_argument("--language", default="fi", choices=list(selectors.LANGUAGES), help="fi (default) or sv")
        build.add_argument(
            "--kind",
            default=selectors.FOLLOW_UP,
            choices=list(selectors.KINDS),
            help="followup (default) or welfare (a municipal welfare report's structure; needs --municipality)",
        )
        build.add_argument(
            "--background",
            action="store_true",
            help="queue the build for the worker (`tilannekuva worker`); the file is kept for download",
        )
        build.add_argument("--follow", action="store_true", help="with --background: show the progress until done")
        listing = sub.add_parser("jobs", help="List the background builds, or show one (--follow: until it ends).")
        listing.add_argument("job", nargs="?", type=int, help="the id of one background build")
        listing.add_argument("--follow", action="store_true", help="show the progress until the build ends")
        listing.add_argument("--limit", type=int, default=20, help="how many builds to list (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "jobs":
            self.jobs(options)
        elif options["background"]:
            self.background(options)
        elif options["output"] is None:
            raise CommandError("--output: give the file to write (or --background)")
        else:
            self.build(options)

    def region(self, slug: str) -> Region:
        region = region_by_slug(slug, with_strategy=True)
        if region is None:
            raise CommandError(f"no region '{slug}' with a strategy")
        return region

    def jobs(self, options: dict[str, Any]) -> None:
        if options["job"] is None:
            for found in ReportBuild.objects.select_related("region")[: options["limit"]]:
                self.stdout.write(describe(found))
            return
        build = ReportBuild.objects.select_related("region").filter(pk=options["job"]).first()
        if build is None:
            raise CommandError(f"no background report build {options['job']}")
        if options["follow"]:
            follow(build.pk, stdout=self.stdout)
        else:
            self.stdout.write(describe(build))
            if build.output:
                self.stdout.write(build.output)

    def background(self, options: dict[str, Any]) -> None:
        try:
            build = builds.queue_build(
                region=self.region(options["region"]),
                year=options["year"] or dashboard_selectors.default_year(),
                format=options["format"],
                language=options["language"],
                municipality_code=options["municipality"],
                kind=options["kind"],
                county_code=options["county"],
            )
        except builds.BuildError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Queued as background report build {build.pk}: {build.command_line}. "
            f"The worker (`tilannekuva worker`) builds it; `tilannekuva report jobs {build.pk}` shows its progress."
        )
        if options["follow"]:
            follow(build.pk, stdout=self.stdout)

    def build(self, options: dict[str, Any]) -> None:
        year = options["year"] or dashboard_selectors.default_year()
        region = self.region(options["region"])
        try:
            report = selectors.follow_up_report(
                region=region,
                year=year,
                language=options["language"],
                municipality_code=options["municipality"],
                kind=options["kind"],
                county_code=options["county"],
            )
        except selectors.NotFound as exc:
            raise CommandError(str(exc)) from exc
        body = rendering.render_body(report, internal=False, static=True)
        document = rendering.render_document(report, body, inline_style=options["format"] == "html")
        output: Path = options["output"]
        if options["format"] == "pdf":
            try:
                output.write_bytes(rendering.pdf_bytes(document))
            except rendering.RenderError as exc:
                raise CommandError(str(exc)) from exc
        else:
            output.write_text(document, encoding="utf-8")
        self.stdout.write(
            f"{report.title}: {len(report.entries)} metrics, {report.charts_drawn} charts, written to {output}."
        )
