"""Reading the official HYTE tables (CSV or XLSX) into checked rows; the columns are in docs/FUNDING.md.

Every fault is collected with its row and column, so that a user fixes the whole file at once; nothing is
written here (services.import_figures writes, in one transaction)."""

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tilannekuva.core import tables

from .models import FigureKind

# Column names, English first, with the Finnish names a table from THL or VM is likely to carry.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    FigureKind.THL: {
        "year": ("year", "vuosi"),
        "area_code": ("area_code", "kuntanumero", "alue", "koodi"),
        "indicator": ("indicator", "indikaattori"),
        "value": ("value", "arvo"),
        "points": ("points", "pisteet"),
    },
    FigureKind.VM: {
        "year": ("year", "vuosi"),
        "area_code": ("area_code", "kuntanumero", "alue", "koodi"),
        "eur": ("eur", "euroa", "lisaosa_eur"),
        "residents": ("residents", "asukasluku", "asukkaat"),
    },
}
REQUIRED = {FigureKind.THL: ("year", "area_code", "indicator"), FigureKind.VM: ("year", "area_code", "eur")}
SPACES = re.compile(r"[\s\u00a0\u202f]")


class FigureFileError(tables.TableError):
    """The table is malformed: `errors` names each fault's row and column."""


@dataclass(frozen=True)
class Row:
    number: int  # the row's number in the file, the header being row 1
    year: int
    area_code: str
    indicator: str = ""
    value: float | None = None
    points: float | None = None
    eur: Decimal | None = None
    residents: int | None = None


def read_table(content: bytes, *, name: str) -> list[list[Any]]:
    """The cells of the first sheet of an XLSX workbook, or of a UTF-8 CSV file (`;`, `,` or tab separated), read
    by the one table reader (core.tables: the zip-bomb guard before a workbook is opened)."""
    try:
        table = tables.read_table(content)
    except tables.TableError as exc:
        raise FigureFileError([f"{name}: {error}" for error in exc.errors]) from exc
    return [list(record) for record in table.records]


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_number(cell: Any) -> float | None:
    """A number written the Finnish way (1 234,5) or the English way (1234.5); empty is missing."""
    if isinstance(cell, bool):
        raise ValueError("not a number")
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise ValueError("not a finite number")
        return float(cell)
    text = SPACES.sub("", _text(cell)).replace("\u2212", "-")
    if text == "":
        return None
    if "," in text:
        if "." in text:
            raise ValueError("both a decimal comma and a point")
        text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
        raise ValueError("not a number")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def parse_rows(cells: list[list[Any]], *, kind: str, level: str) -> list[Row]:  # noqa: C901 - one pass, every fault
    """Checked rows of an official table; FigureFileError lists every fault with its row and column."""
    rows = [r for r in cells if any(_text(c) for c in r)]
    if not rows:
        raise FigureFileError(["the file is empty: the first row must name the columns"])
    header = [_text(c).lower() for c in rows[0]]
    columns = {}
    for field, names in COLUMNS[kind].items():
        found = [i for i, h in enumerate(header) if h in names]
        if len(found) > 1:
            raise FigureFileError([f"row 1: the column '{field}' is given {len(found)} times"])
        if found:
            columns[field] = found[0]
    missing = [f for f in REQUIRED[FigureKind(kind)] if f not in columns]
    if kind == FigureKind.THL and "value" not in columns and "points" not in columns:
        missing.append("value or points")
    if missing:
        raise FigureFileError([f"row 1: the column '{m}' is missing (columns: {', '.join(header)})" for m in missing])
    width = 3 if level == "municipality" else 2
    errors: list[str] = []
    parsed: list[Row] = []
    for number, raw in enumerate(cells[1:], start=2):
        if not any(_text(c) for c in raw):
            continue

        def cell(field: str, raw: list[Any] = raw) -> Any:
            index = columns.get(field)
            return raw[index] if index is not None and index < len(raw) else None

        row_errors: list[str] = []
        values: dict[str, Any] = {}
        year_text = _text(cell("year"))
        if not (year_text.isdigit() and year_text.isascii() and 2000 <= int(year_text) <= 2100):
            row_errors.append(f"row {number}, column 'year': '{year_text}' is not a year")
        code = _text(cell("area_code"))
        if not (code.isdigit() and code.isascii() and len(code) <= width):
            row_errors.append(f"row {number}, column 'area_code': '{code}' is not a {width}-digit area code")
        numeric = ("value", "points") if kind == FigureKind.THL else ("eur", "residents")
        for field in numeric:
            try:
                values[field] = parse_number(cell(field))
            except ValueError as exc:
                row_errors.append(f"row {number}, column '{field}': '{_text(cell(field))}' is {exc}")
        if kind == FigureKind.THL:
            indicator = _text(cell("indicator"))
            if not indicator:
                row_errors.append(f"row {number}, column 'indicator': empty")
            points = values.get("points")
            if points is not None and not 0 <= points <= 100:
                row_errors.append(f"row {number}, column 'points': {_text(cell('points'))} is outside 0–100")
            if values.get("value") is None and points is None and "value" not in " ".join(row_errors):
                row_errors.append(f"row {number}: neither a value nor points")
            if not row_errors:
                parsed.append(Row(number, int(year_text), code.zfill(width), indicator, values.get("value"), points))
        else:
            eur, residents = values.get("eur"), values.get("residents")
            if eur is None and not any("'eur'" in e for e in row_errors):
                row_errors.append(f"row {number}, column 'eur': empty")
            elif eur is not None and eur < 0:
                row_errors.append(f"row {number}, column 'eur': {_text(cell('eur'))} is negative")
            if residents is not None and (residents < 0 or not float(residents).is_integer()):
                row_errors.append(f"row {number}, column 'residents': '{_text(cell('residents'))}' is not a count")
            if not row_errors and eur is not None:
                try:
                    amount = Decimal(str(eur)).quantize(Decimal("0.01"))
                except InvalidOperation:
                    row_errors.append(f"row {number}, column 'eur': too large")
                else:
                    parsed.append(
                        Row(
                            number,
                            int(year_text),
                            code.zfill(width),
                            eur=amount,
                            residents=None if residents is None else int(residents),
                        )
                    )
        errors.extend(row_errors)
    if errors:
        raise FigureFileError(errors)
    if not parsed:
        raise FigureFileError(["the file has a header but no rows"])
    return parsed


def read_rows(path: Path, *, kind: str, level: str) -> tuple[list[Row], bytes]:
    content = path.read_bytes()
    return parse_rows(read_table(content, name=path.name), kind=kind, level=level), content
