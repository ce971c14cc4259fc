"""`tilannekuva survey import REGION KEY YEAR FILE` and `tilannekuva survey export REGION KEY YEAR [--what
answers|results] [--format csv|xlsx] [--dialect machine|fi] > FILE`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.core import csv_dialects
from tilannekuva.surveys import exchange
from tilannekuva.surveys.models import Survey
from tilannekuva.surveys.services import SurveyError


class Command(BaseCommand):
    help = "Import a survey's answers from a Webropol-style CSV/XLSX export, or export its answers or results."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="Import answers; all rows or none, a second run changes nothing.")
        exporter = sub.add_parser("export", help="Write the answers or the results to standard output.")
        for command in (importer, exporter):
            command.add_argument("region", help="the region's slug, e.g. etela-savo")
            command.add_argument("key", help="the survey's key, e.g. partner-survey")
            command.add_argument("year", type=int)
        importer.add_argument("file", type=Path)
        exporter.add_argument("--what", choices=("answers", "results"), default="results")
        exporter.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        exporter.add_argument(
            "--dialect",
            choices=csv_dialects.DIALECTS,
            default=csv_dialects.MACHINE,
            help="a CSV file's dialect: machine (decimal point, default) or fi (a Finnish spreadsheet)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        survey = (
            Survey.objects.filter(region__slug=options["region"], key=options["key"], year=options["year"])
            .select_related("region")
            .first()
        )
        if survey is None:
            raise CommandError(f"{options['region']} has no survey {options['key']} of {options['year']}")
        if options["action"] == "import":
            path: Path = options["file"]
            try:
                summary = exchange.import_answers(
                    survey=survey, name=path.name, content=path.read_bytes(), user=None, system=True
                )
            except (OSError, SurveyError) as exc:
                raise CommandError(f"{path} was refused; nothing was changed:\n{exc}") from exc
            self.stdout.write(f"{path}: {summary}")
            return
        rows = exchange.answer_rows(survey) if options["what"] == "answers" else exchange.result_rows(survey)
        if options["format"] == "xlsx":
            sys.stdout.buffer.write(exchange.as_xlsx(rows, title=f"{survey.key} {survey.year}"))
        else:
            sys.stdout.buffer.write(exchange.as_csv(rows, options["dialect"]))
