"""The data bank's export formats: an indicator's observations as CSV, XLSX or JSON records (the columns are
described in docs/FILE-IMPORT.md), shared by `tilannekuva export observations` and the dashboard's downloads."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tilannekuva.core import csv_dialects, tables

from .models import Indicator, Observation

COLUMNS = ("indicator", "area_code", "area_name", "area_kind", "year", "gender", "value", "absolute_value")
CODE_COLUMNS = ("area_code",)  # kept as text in the Finnish spreadsheet dialect (049, not 49)
FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class ExtraExport:
    """Another app's part of `tilannekuva export` (e.g. the reports app's `export site`), registered in its
    AppConfig.ready() so that the data bank never imports the apps below it."""

    help: str
    add_arguments: Callable[[Any], None]
    handle: Callable[[Any, dict[str, Any]], None]


EXTRA_EXPORTS: dict[str, ExtraExport] = {}


def register_export(name: str, export: ExtraExport) -> None:
    EXTRA_EXPORTS[name] = export


def plain_number(value: float | None) -> float | int | None:
    """Whole numbers without a trailing '.0' (populations, counts); others as they are."""
    if value is not None and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def record(o: Observation, *, indicator: Indicator | None = None) -> dict[str, Any]:
    """One observation in the export's columns (COLUMNS); the open data API's CSV uses the same."""
    return {
        "indicator": (indicator or o.indicator).external_id,
        "area_code": o.area.code,
        "area_name": o.area.name_fi,
        "area_kind": o.area.kind,
        "year": o.year,
        "gender": o.gender,
        "value": plain_number(o.value),
        "absolute_value": plain_number(o.absolute_value),
    }


def records(indicator: Indicator, found: list[Observation]) -> list[dict[str, Any]]:
    return [record(o, indicator=indicator) for o in found]


def csv_text(rows: list[dict[str, Any]]) -> str:
    """';'-separated with a decimal point; an empty field where there is no value."""
    return tables.csv_text([COLUMNS, *([row[c] for c in COLUMNS] for row in rows)])


def csv_file_text(rows: list[dict[str, Any]], dialect: str = csv_dialects.MACHINE) -> str:
    """A CSV file: `machine` (a decimal point) or `fi` (as a Finnish spreadsheet reads it: a decimal comma, codes
    as text); both with a byte-order mark."""
    return csv_dialects.csv_in_dialect(
        [COLUMNS, *([row[c] for c in COLUMNS] for row in rows)], dialect, codes=CODE_COLUMNS
    )


def json_text(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    return tables.xlsx_bytes([COLUMNS, *([row[c] for c in COLUMNS] for row in rows)], title="observations")
