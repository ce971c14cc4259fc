"""`tilannekuva export observations --indicator ID --region REGION ...`: an indicator's values per municipality
and year for a region, as CSV, XLSX or JSON (the columns are described in docs/FILE-IMPORT.md)."""

import argparse
import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.databank import selectors
from tilannekuva.databank.models import Gender, Indicator, Observation
from tilannekuva.regions.selectors import UnknownArea, area_for

COLUMNS = ("indicator", "area_code", "area_name", "area_kind", "year", "gender", "value", "absolute_value")
FORMATS = ("csv", "xlsx", "json")
ALL_GENDERS = "all"


def year_span(text: str) -> list[int]:
    """`2010-2022`, `2010,2015,2020` or `2022`."""
    years: set[int] = set()
    for part in text.split(","):
        start, dash, end = part.strip().partition("-")
        try:
            first, last = int(start), int(end if dash else start)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a year or a span such as 2010-2022")
        if not 1800 <= first <= last <= 2200:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a span of years from earlier to later")
        years.update(range(first, last + 1))
    return sorted(years)


def plain_number(value: float | None) -> float | int | None:
    """Whole numbers without a trailing '.0' (populations, counts); others as they are."""
    if value is not None and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def records(indicator: Indicator, found: list[Observation]) -> list[dict[str, Any]]:
    return [
        {
            "indicator": indicator.external_id,
            "area_code": o.area.code,
            "area_name": o.area.name_fi,
            "area_kind": o.area.kind,
            "year": o.year,
            "gender": o.gender,
            "value": plain_number(o.value),
            "absolute_value": plain_number(o.absolute_value),
        }
        for o in found
    ]


def csv_text(rows: list[dict[str, Any]]) -> str:
    """';'-separated with a decimal point; an empty field where there is no value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return out.getvalue()


def json_text(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("observations")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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
        observations.add_argument("--output", type=Path, help="write to this file (needed for xlsx; default: print)")

    def handle(self, *args: Any, **options: Any) -> None:
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
            self.stdout.write(json_text(rows) if options["format"] == "json" else csv_text(rows), ending="")
            if not rows:
                self.stderr.write(f"No values of {indicator} for {area.name_fi} in those years.")
            return
        if options["format"] == "xlsx":
            output.write_bytes(xlsx_bytes(rows))
        elif options["format"] == "json":
            output.write_text(json_text(rows), encoding="utf-8")
        else:
            # A byte order mark, so that Excel opens the file as UTF-8 and shows ä and ö.
            output.write_text(csv_text(rows), encoding="utf-8-sig")
        self.stdout.write(f"{len(rows)} values of {indicator} for {area.name_fi} written to {output}.")
