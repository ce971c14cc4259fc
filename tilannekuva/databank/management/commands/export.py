"""`tilannekuva export observations --indicator ID --region REGION ...`: an indicator's values per municipality
and year for a region, as CSV, XLSX or JSON (the columns are described in docs/FILE-IMPORT.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.core import csv_dialects
from tilannekuva.databank import selectors
from tilannekuva.databank.exports import (
    EXTRA_EXPORTS,
    FORMATS,
    csv_file_text,
    csv_text,
    json_text,
    records,
    xlsx_bytes,
)
from tilannekuva.databank.models import Gender
from tilannekuva.databank.sources.base import year_span
from tilannekuva.regions.selectors import UnknownArea, area_for

ALL_GENDERS = "all"


class Command(BaseCommand):
    help = (
        "Export data bank values: an indicator's observations for a region's municipalities, the region, the country."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        observations = sub.add_parser(
            "observations",
            help="An indicator's values per municipality and year for a region (its members in each year), "
            "with the region's own and the country's values where they exist.",
        )
        observations.add_argument("--indicator", required=True, help="the indicator's id at its source, e.g. 127")
        observations.add_argument("--source", default="", help="the indicator's source, e.g. sotkanet or file")
        observations.add_argument(
            "--region", required=True, help="a region (etela-savo), an area slug (mikkeli) or KIND:CODE (maakunta:10)"
        )
        observations.add_argument("--years", type=year_span, help="e.g. 2010-2022 (default: every year with values)")
        observations.add_argument(
            "--gender",
            default=Gender.TOTAL.value,
            choices=[*Gender.values, ALL_GENDERS],
            help="total (default), male, female or all",
        )
        observations.add_argument(
            "--classification", help="the classification to export, when the indicator has several"
        )
        observations.add_argument("--format", default="csv", choices=FORMATS, help="csv (default), xlsx or json")
        observations.add_argument(
            "--dialect",
            default=csv_dialects.MACHINE,
            choices=csv_dialects.DIALECTS,
            help="a CSV file's dialect: machine (decimal point, default) or fi (decimal comma, codes as text, "
            "as a Finnish spreadsheet reads it)",
        )
        observations.add_argument("--output", type=Path, help="write to this file (needed for xlsx; default: print)")
        for name, extra in EXTRA_EXPORTS.items():
            extra.add_arguments(sub.add_parser(name, help=extra.help))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] in EXTRA_EXPORTS:
            EXTRA_EXPORTS[options["what"]].handle(self, options)
            return
        try:
            indicator = selectors.indicator_by_id(options["indicator"], source_key=options["source"])
            area = area_for(options["region"])
        except (selectors.UnknownIndicator, UnknownArea) as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "xlsx" and options["output"] is None:
            raise CommandError("XLSX is a binary file: give --output FILE.xlsx")
        classification = options["classification"]
        if classification is None:
            known = selectors.classifications_of(indicator)
            if len(known) > 1:
                shown = ", ".join(f"'{c}'" for c in known)
                raise CommandError(
                    f"{indicator} has several classifications ({shown}): choose one with --classification"
                )
            classification = known[0] if known else ""
        found = selectors.observations_in_area(
            indicator=indicator,
            area=area,
            years=options["years"] or selectors.years_of(indicator),
            gender=None if options["gender"] == ALL_GENDERS else options["gender"],
            classification=classification,
        )
        rows = records(indicator, found)
        output: Path | None = options["output"]
        if output is None:
            if options["format"] == "json":
                text = json_text(rows)
            elif options["dialect"] == csv_dialects.FINNISH:  # as to a file: a Finnish spreadsheet's dialect
                text = csv_file_text(rows, csv_dialects.FINNISH)
            else:
                text = csv_text(rows)
            self.stdout.write(text, ending="")
            if not rows:
                self.stderr.write(f"No values of {indicator} for {area.name_fi} in those years.")
            return
        if options["format"] == "xlsx":
            output.write_bytes(xlsx_bytes(rows))
        elif options["format"] == "json":
            output.write_text(json_text(rows), encoding="utf-8")
        else:
            # A byte order mark, so that Excel opens the file as UTF-8 and shows ä and ö.
            output.write_bytes(csv_file_text(rows, options["dialect"]).encode("utf-8"))
        self.stdout.write(f"{len(rows)} values of {indicator} for {area.name_fi} written to {output}.")
