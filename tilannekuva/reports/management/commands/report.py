"""`tilannekuva report build REGION --year 2024 --format pdf --output report.pdf`: the yearly follow-up report
(or a municipality's edition, or the welfare-report variant) as PDF or HTML."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.reports import rendering, selectors


class Command(BaseCommand):
    help = "Build the yearly follow-up report of a region's strategy as PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        build = sub.add_parser("build", help="Write the report of one follow-up year to a file.")
        build.add_argument("region", help="the region, e.g. etela-savo")
        build.add_argument("--year", type=int, help="the follow-up year (default: the last full year)")
        build.add_argument("--format", default="pdf", choices=["pdf", "html"], help="pdf (default) or html")
        build.add_argument("--output", type=Path, required=True, help="the file to write")
        build.add_argument("--municipality", default="", help="a municipality's edition: its code, e.g. 491")
        build.add_argument("--language", default="fi", choices=list(selectors.LANGUAGES), help="fi (default) or sv")
        build.add_argument(
            "--kind",
            default=selectors.FOLLOW_UP,
            choices=list(selectors.KINDS),
            help="followup (default) or welfare (a municipal welfare report's structure; needs --municipality)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or dashboard_selectors.default_year()
        try:
            region = dashboard_selectors.region_for(options["region"])
            report = selectors.follow_up_report(
                region=region,
                year=year,
                language=options["language"],
                municipality_code=options["municipality"],
                kind=options["kind"],
            )
        except (dashboard_selectors.NotFound, selectors.NotFound) as exc:
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
