"""Local CSV and XLSX files for data that has no API: welfare-report tables, TEAviisari results, the vitality index.

`tilannekuva import file PATH` reads a file in the long format (one value per row: indicator, area, year, value)
or the wide format (one row per area, one column per year, as people export from Excel), validates every row
before anything is written, and stores the values as observations of indicators of the source "file", or of an
existing source named with --source-key. The formats, with examples, are in docs/FILE-IMPORT.md.

Reading is done by plain functions: `read_table` (bytes → header and rows) and `rows_from` (a table → checked
rows); both raise ImportDataError naming the row and column of every fault.
"""

import argparse
import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO

import openpyxl
from django.conf import settings
from django.db.models import Max, Min

from tilannekuva.databank import services
from tilannekuva.databank.models import Direction, Gender, ImportRun, Indicator, Observation, Source
from tilannekuva.databank.services import Counts, ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind

help = "A local CSV or XLSX file in the long or the wide format (docs/FILE-IMPORT.md)."

SOURCE_KEY = "file"
LONG, WIDE = "long", "wide"
CSV_KIND, XLSX_KIND = "CSV", "XLSX"
COLUMNS = ("indicator", "area", "area_kind", "year", "value", "absolute_value", "gender", "classification")
LONG_REQUIRED = ("area", "year", "value")
WIDE_COLUMNS = ("indicator", "area", "area_kind", "gender", "classification")
FIRST_YEAR, LAST_YEAR = 1800, 2200
ID_LENGTH = Indicator._meta.get_field("external_id").max_length or 80
CLASSIFICATION_LENGTH = Observation._meta.get_field("classification").max_length or 80
# Statistics Finland's symbols for "data not available" (..) and "logically impossible" (.): no value, no fault.
NO_VALUE = {"", "..", "."}
GENDERS = {
    "total": Gender.TOTAL.value,
    "yhteensä": Gender.TOTAL.value,
    "kaikki": Gender.TOTAL.value,
    "male": Gender.MALE.value,
    "men": Gender.MALE.value,
    "miehet": Gender.MALE.value,
    "mies": Gender.MALE.value,
    "female": Gender.FEMALE.value,
    "women": Gender.FEMALE.value,
    "naiset": Gender.FEMALE.value,
    "nainen": Gender.FEMALE.value,
}
AREA_KINDS = {
    "kunta": AreaKind.MUNICIPALITY.value,
    "municipality": AreaKind.MUNICIPALITY.value,
    "maakunta": AreaKind.MAAKUNTA.value,
    "hyvinvointialue": AreaKind.WELLBEING_SERVICES_COUNTY.value,
    "wellbeing_services_county": AreaKind.WELLBEING_SERVICES_COUNTY.value,
    "seutukunta": AreaKind.SEUTUKUNTA.value,
    "maa": AreaKind.COUNTRY.value,
    "country": AreaKind.COUNTRY.value,
}
CODE_WIDTH = {
    AreaKind.MUNICIPALITY.value: 3,
    AreaKind.MAAKUNTA.value: 2,
    AreaKind.WELLBEING_SERVICES_COUNTY.value: 2,
    AreaKind.SEUTUKUNTA.value: 3,
}
COUNTRY_CODE = "FI"
COUNTRY_CODES = {"fi", "sss"}  # SSS: Statistics Finland's code for the whole country
# A bare name means the first kind that has an area of that name: "Mikkeli" is the municipality, not the seutukunta.
NAME_ORDER = (
    AreaKind.MUNICIPALITY.value,
    AreaKind.MAAKUNTA.value,
    AreaKind.WELLBEING_SERVICES_COUNTY.value,
    AreaKind.SEUTUKUNTA.value,
    AreaKind.COUNTRY.value,
)
YEAR_TEXT = re.compile(r"\d{4}")
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
# A space (also no-break and narrow no-break, as Excel writes them) between digit groups: "1 234 567,5".
THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- reading a file into a table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A file's header and data rows, each row with its number as a spreadsheet shows it (the header's too)."""

    kind: str
    header: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


def read_table(content: bytes, *, sheet: str | None = None) -> Table:
    """The header and rows of a CSV or XLSX file, told apart by content rather than by the file's name."""
    if not content.strip():
        raise ImportDataError("the file is empty")
    if content.startswith(b"PK\x03\x04"):
        return read_xlsx(content, sheet=sheet)
    if content.startswith(OLD_EXCEL):
        raise ImportDataError("the file is an old Excel workbook (.xls): save it as .xlsx or as 'CSV UTF-8'")
    if content.startswith(b"%PDF"):
        raise ImportDataError("the file is a PDF document, not a CSV or XLSX file")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportDataError("the file is UTF-16 text ('Unicode text' in Excel): save it as 'CSV UTF-8'")
    if b"\x00" in content:
        raise ImportDataError("the file is not a CSV or XLSX file: it holds binary data")
    if sheet:
        raise ImportDataError(f"--sheet {sheet}: the file is CSV, which has no sheets")
    return read_csv(content)


def read_csv(content: bytes) -> Table:
    """UTF-8 text (with or without a byte order mark), separated by ';', ',' or tabs, whichever the header uses."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportDataError(
            f"row {line}: the file is not UTF-8 text (byte 0x{content[exc.start]:02x}); "
            "save it in Excel as 'CSV UTF-8 (comma delimited)'"
        )
    if not text.strip():
        raise ImportDataError("the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
    records: list[list[Any]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise ImportDataError(f"row {len(records) + 1}: the CSV is malformed ({exc})")
    return table_of(records, kind=CSV_KIND)


def delimiter_of(text: str) -> str:
    """The separator that splits the header into the most columns; ';' wins a tie, as Finnish Excel uses it."""
    header = next((line for line in text.splitlines() if line.strip()), "")

    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader([header], delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(";,\t", key=width)


def check_zip_size(content: bytes) -> None:
    """An XLSX workbook is a zip archive: refuse one that would unpack to more than XLSX_MAX_UNCOMPRESSED_MB, or
    whose large members are compressed more than XLSX_MAX_RATIO times (a "zip bomb"), before it is opened.
    The sizes in the archive's directory bound what Python's zipfile unpacks, so a lying directory cannot
    make it unpack more."""
    limit = settings.XLSX_MAX_UNCOMPRESSED_MB * 1024 * 1024
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportDataError(f"the file is not a readable XLSX workbook ({_reason(exc)})")
    total = sum(member.file_size for member in members)
    if total > limit:
        raise ImportDataError(
            f"the workbook would unpack to {total // (1024 * 1024)} MB; the limit is "
            f"{settings.XLSX_MAX_UNCOMPRESSED_MB} MB (XLSX_MAX_UNCOMPRESSED_MB): save it as CSV or split it"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > settings.XLSX_MAX_RATIO:
            raise ImportDataError(
                f"the workbook's part {member.filename} is compressed {ratio:.0f} times; more than "
                f"{settings.XLSX_MAX_RATIO} (XLSX_MAX_RATIO) is refused as a possible zip bomb"
            )


def read_xlsx(content: bytes, *, sheet: str | None) -> Table:
    """The first worksheet of an XLSX workbook, or the one named by `sheet`; formulas give their saved values."""
    check_zip_size(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file; all mean the same here
        raise ImportDataError(f"the file is not a readable XLSX workbook ({_reason(exc)})")
    try:
        worksheets = {worksheet.title: worksheet for worksheet in workbook.worksheets}
        if not worksheets:
            raise ImportDataError("the workbook has no worksheets")
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in worksheets:
            worksheet = worksheets[sheet]
        else:
            raise ImportDataError(f"--sheet {sheet}: the workbook has no such sheet (it has: {', '.join(worksheets)})")
        records = [list(row) for row in worksheet.iter_rows(values_only=True)]
    except ImportDataError:
        raise
    except Exception as exc:
        raise ImportDataError(f"the workbook cannot be read ({_reason(exc)})")
    finally:
        workbook.close()
    return table_of(records, kind=XLSX_KIND)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{exc.__class__.__name__}: {text[:200]}" if text else exc.__class__.__name__


def table_of(records: Sequence[Sequence[Any]], *, kind: str) -> Table:
    """The first non-empty record is the header; empty records are skipped; numbering stays the file's own."""
    numbered = [(number, tuple(record)) for number, record in enumerate(records, start=1) if not _empty(record)]
    if not numbered:
        raise ImportDataError("the file is empty")
    (header_row, header), *rows = numbered
    names = []
    for position, cell in enumerate(header, start=1):
        try:
            names.append(text_of(cell))
        except ValueError as exc:
            raise ImportDataError(f"row {header_row} (the header), column {position}: {exc}")
    while names and not names[-1]:
        names.pop()
    if not rows:
        raise ImportDataError(f"the file has a header (row {header_row}) but no rows of data")
    return Table(kind=kind, header=tuple(names), header_row=header_row, rows=tuple(rows))


def _empty(record: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in record)


# --- cells -------------------------------------------------------------------------------------------------


def text_of(cell: Any) -> str:
    """A cell as text: CSV cells are text already; XLSX numbers are written as a person would type them."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        raise ValueError(f"{'TRUE' if cell else 'FALSE'} is a true/false value, not text or a number")
    if isinstance(cell, datetime | date | time | timedelta):
        raise ValueError(f"{cell} is a date or time")
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if math.isfinite(cell) and cell.is_integer():
            return str(int(cell))
        return repr(cell)
    return str(cell).strip()


def number_of(cell: Any) -> float | None:
    """A value: XLSX numbers as they are; text with a decimal comma or point, spaces between digit groups."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = float(cell)
    else:
        text = text_of(cell)
        if text in NO_VALUE:
            return None
        cleaned = THOUSANDS.sub("", text.replace("\u2212", "-"))
        if not NUMBER_TEXT.fullmatch(cleaned):
            raise ValueError(f"'{text}' is not a number")
        number = float(cleaned.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(f"'{text_of(cell)}' is not a number that fits (it is too large)")
    return number


def year_of(cell: Any) -> int:
    text = text_of(cell)
    if not text:
        raise ValueError("empty; every row needs a year")
    if not YEAR_TEXT.fullmatch(text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ValueError(f"{text} is not a year (four digits, {FIRST_YEAR}–{LAST_YEAR})")
    return int(text)


def gender_of(cell: Any) -> str:
    text = text_of(cell)
    if not text:
        return Gender.TOTAL.value
    found = GENDERS.get(text.casefold())
    if found is None:
        raise ValueError(f"'{text}' is not a gender (total/male/female or yhteensä/miehet/naiset)")
    return found


def classification_of(cell: Any) -> str:
    text = text_of(cell)
    if len(text) > CLASSIFICATION_LENGTH:
        raise ValueError(f"'{text[:20]}...' is longer than {CLASSIFICATION_LENGTH} characters")
    return text


def indicator_id_of(cell: Any) -> str:
    text = text_of(cell)
    if not text:
        raise ValueError("empty; every row needs an indicator id")
    if len(text) > ID_LENGTH:
        raise ValueError(f"'{text[:20]}...' is longer than {ID_LENGTH} characters")
    return text


def area_kind_of(cell: Any) -> str | None:
    text = text_of(cell)
    if not text:
        return None
    found = AREA_KINDS.get(text.casefold())
    if found is None:
        raise ValueError(f"'{text}' is not a kind of area ({', '.join(AREA_KINDS)})")
    return found


# --- areas -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownArea:
    """An area as the reader needs it: its key, names and the years in which it exists."""

    pk: int
    kind: str
    code: str
    names: tuple[str, ...]
    valid_from: int | None = None
    valid_to: int | None = None

    def exists_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)

    def describe(self) -> str:
        return f"{self.names[0]} ({self.kind} {self.code})"

    def span(self) -> str:
        if self.valid_from is None:
            return f"up to {self.valid_to}"
        if self.valid_to is None:
            return f"from {self.valid_from}"
        return f"{self.valid_from}–{self.valid_to}"


class AreaIndex:
    """Finds an area by Statistics Finland code ("491", "maakunta:10", "FI") or by name ("Mikkeli")."""

    def __init__(self, areas: Iterable[KnownArea]):
        self.by_code: dict[tuple[str, str], KnownArea] = {}
        self.by_name: dict[str, list[KnownArea]] = {}
        for area in areas:
            self.by_code[(area.kind, area.code)] = area
            for name in {n.casefold() for n in area.names if n}:
                self.by_name.setdefault(name, []).append(area)

    @classmethod
    def from_database(cls) -> "AreaIndex":
        rows = Area.objects.values_list("pk", "kind", "code", "name_fi", "name_sv", "name_en", "valid_from", "valid_to")
        return cls(
            KnownArea(pk, kind, code, (fi, sv, en), start, end) for pk, kind, code, fi, sv, en, start, end in rows
        )

    def find(self, text: str, *, kind: str | None = None) -> KnownArea:
        """The area named by `text`, of `kind` when given; LookupError with a message for the user otherwise."""
        wanted = text.strip()
        if not wanted:
            raise LookupError("empty; every row needs an area")
        prefix, colon, rest = wanted.partition(":")
        prefixed = AREA_KINDS.get(prefix.strip().casefold()) if colon else None
        if prefixed:  # otherwise the colon is part of a name, as in "S:t Michel"
            if kind and kind != prefixed:
                raise LookupError(f"'{wanted}' is a {prefixed}, but the row's area kind says {kind}")
            kind, wanted = prefixed, rest.strip()
        code = self._code(wanted, kind)
        if code:
            found = self.by_code.get(code)
            if found is None:
                raise LookupError(f"no area '{text.strip()}'")
            return found
        candidates = [a for a in self.by_name.get(wanted.casefold(), []) if kind is None or a.kind == kind]
        if not candidates:
            raise LookupError(f"no area '{text.strip()}'")
        first_kind = min((a.kind for a in candidates), key=_name_rank)
        chosen = [a for a in candidates if a.kind == first_kind]
        if len(chosen) > 1:
            codes = ", ".join(a.code for a in chosen)
            raise LookupError(f"'{wanted}' names several areas ({first_kind} {codes}); give the code instead")
        return chosen[0]

    @staticmethod
    def _code(text: str, kind: str | None) -> tuple[str, str] | None:
        """(kind, code) when `text` is a code: digits are a municipality unless a kind says otherwise."""
        if text.isascii() and text.isdigit():
            kind = kind or AreaKind.MUNICIPALITY.value
            return kind, str(int(text)).zfill(CODE_WIDTH.get(kind, 0))
        if text.casefold() in COUNTRY_CODES and kind in (None, AreaKind.COUNTRY.value):
            return AreaKind.COUNTRY.value, COUNTRY_CODE
        return None


def _name_rank(kind: str) -> int:
    return NAME_ORDER.index(kind) if kind in NAME_ORDER else len(NAME_ORDER)


# --- a table into checked rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    """One value of the file, checked: the area found, the year a year, the value a number."""

    row: int
    indicator: str
    area: KnownArea
    year: int
    gender: str
    classification: str
    value: float | None
    absolute_value: float | None


@dataclass
class Parsed:
    layout: str
    rows: list[FileRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    without_value: int = 0

    @property
    def indicators(self) -> list[str]:
        return sorted({r.indicator for r in self.rows})


def rows_from(
    table: Table,
    *,
    areas: AreaIndex,
    layout: str | None = None,
    indicator: str | None = None,
    mapping: dict[str, str] | None = None,
) -> Parsed:
    """Check every row of `table` and return the values; raise ImportDataError listing every fault, each with its
    row and column. `mapping` renames columns (column → the file's header); `indicator` is the id for every row
    when the file has no indicator column."""
    positions = locate_columns(table, mapping or {})
    years = year_columns(table, positions)
    chosen = layout or (LONG if "value" in positions or "year" in positions or not years else WIDE)
    if indicator is not None and "indicator" in positions:
        raise ImportDataError(
            f"the file has an indicator column ('{table.header[positions['indicator']]}'): "
            "leave out --indicator, or take the column out of the file"
        )
    if chosen == LONG:
        check_long_header(table, positions, indicator=indicator, years=years)
        used = set(positions.values())
    else:
        positions = {name: p for name, p in positions.items() if name in WIDE_COLUMNS}
        if "area" not in positions:
            taken = set(positions.values())
            positions["area"] = next((p for p in range(len(table.header)) if p not in taken), 0)
        used = check_wide_header(table, positions, years=years, indicator=indicator) | set(positions.values())
    parsed = Parsed(layout=chosen)
    parsed.ignored_columns = [name for p, name in enumerate(table.header) if name and p not in used]
    errors: list[str] = []
    width = len(table.header)
    for number, cells in table.rows:
        if any(not _empty([c]) for c in cells[width:]):
            count = max(p for p, c in enumerate(cells, start=1) if not _empty([c]))
            hint = ' (in a comma-separated file a decimal comma needs quotes: "12,5")' if table.kind == CSV_KIND else ""
            errors.append(f"row {number}: {count} cells, but the header names {width} columns{hint}")
            continue
        cells = tuple(cells) + (None,) * (width - len(cells))
        if chosen == LONG:
            _long_row(parsed, errors, number, cells, table=table, positions=positions, areas=areas, indicator=indicator)
        else:
            _wide_row(
                parsed,
                errors,
                number,
                cells,
                table=table,
                positions=positions,
                years=years,
                areas=areas,
                indicator=indicator,
            )
    errors.extend(_duplicates(parsed.rows))
    if errors:
        raise ImportDataError(errors)
    if not parsed.rows:
        raise ImportDataError("no row of the file has a value")
    return parsed


def locate_columns(table: Table, mapping: dict[str, str]) -> dict[str, int]:
    """The position of each known column: a --map first, else a header of the column's own name."""
    folded = [name.casefold() for name in table.header]
    positions: dict[str, int] = {}
    errors = []
    for column, header in mapping.items():
        if column not in COLUMNS:
            errors.append(f"--map {column}={header}: '{column}' is not a column of the formats ({', '.join(COLUMNS)})")
        elif header.strip().casefold() in folded:
            positions[column] = folded.index(header.strip().casefold())
        else:
            errors.append(f"--map {column}={header}: the header has no column '{header}' ({_shown(table.header)})")
    for column in COLUMNS:
        if column in positions or column not in folded:
            continue
        matches = [p for p, name in enumerate(folded) if name == column]
        if len(matches) > 1:
            errors.append(
                f"the header names the column '{column}' twice (columns {matches[0] + 1} and {matches[1] + 1})"
            )
        elif matches[0] not in positions.values():
            positions[column] = matches[0]
    if errors:
        raise ImportDataError(errors)
    return positions


def year_columns(table: Table, positions: dict[str, int]) -> dict[int, int]:
    """Position → year of the headers that are years (the wide format's value columns)."""
    taken = set(positions.values())
    return {p: int(name) for p, name in enumerate(table.header) if p not in taken and YEAR_TEXT.fullmatch(name)}


def _shown(header: Sequence[str]) -> str:
    names = [f"'{name}'" for name in header if name]
    return "the header has: " + (", ".join(names[:20]) + (", ..." if len(names) > 20 else "") if names else "nothing")


def check_long_header(table: Table, positions: dict[str, int], *, indicator: str | None, years: dict[int, int]) -> None:
    required = (() if indicator is not None else ("indicator",)) + LONG_REQUIRED
    missing = [column for column in required if column not in positions]
    if not missing:
        return
    names = ", ".join(f"'{column}'" for column in missing)
    hints = [f"the long format needs the columns {', '.join(required)}; {_shown(table.header)}"]
    if "indicator" in missing:
        hints.append("give the indicator with --indicator ID when the file has one")
    hints.append("name other columns with --map, e.g. --map value=primary.value")
    if years:
        hints.append("the header has year columns: is it the wide format (--format wide)?")
    raise ImportDataError(f"the header has no column {names} ({'; '.join(hints)})")


def check_wide_header(
    table: Table, positions: dict[str, int], *, years: dict[int, int], indicator: str | None
) -> set[int]:
    errors = []
    if not years:
        errors.append(f"the wide format needs one column per year, headed 2019, 2020, ...; {_shown(table.header)}")
    if indicator is None and "indicator" not in positions:
        errors.append("the wide format needs --indicator ID, or a column 'indicator'")
    area = positions["area"]
    if area in years:
        errors.append(
            f"column {area + 1}, taken for the areas, is headed with the year {years[area]}: "
            "put the areas first, or head their column 'area'"
        )
    for position, name in enumerate(table.header):
        if position not in years and name.isascii() and name.isdigit() and position not in positions.values():
            errors.append(f"row {table.header_row}, column {position + 1}: the header '{name}' is not a year")
    seen: dict[int, int] = {}
    for position, year in years.items():
        if not FIRST_YEAR <= year <= LAST_YEAR:
            errors.append(f"row {table.header_row}, column {position + 1}: the header {year} is not a year")
        elif year in seen:
            errors.append(f"the header names the year {year} twice (columns {seen[year] + 1} and {position + 1})")
        seen.setdefault(year, position)
    if errors:
        raise ImportDataError(errors)
    return set(years)


def _cell_error(number: int, table: Table, position: int, message: str) -> str:
    return f"row {number}, column '{table.header[position] or position + 1}': {message}"


def _long_row(
    parsed: Parsed,
    errors: list[str],
    number: int,
    cells: tuple[Any, ...],
    *,
    table: Table,
    positions: dict[str, int],
    areas: AreaIndex,
    indicator: str | None,
) -> None:
    found: dict[str, Any] = {}
    readers = {
        "indicator": indicator_id_of,
        "area_kind": area_kind_of,
        "year": year_of,
        "value": number_of,
        "absolute_value": number_of,
        "gender": gender_of,
        "classification": classification_of,
    }
    failed = len(errors)
    for column, read in readers.items():
        if column not in positions:
            continue
        try:
            found[column] = read(cells[positions[column]])
        except ValueError as exc:
            errors.append(_cell_error(number, table, positions[column], str(exc)))
    area = _area(errors, number, table, positions["area"], cells, areas, found.get("area_kind"), found.get("year"))
    if len(errors) > failed or area is None:
        return
    if found["value"] is None and found.get("absolute_value") is None:
        parsed.without_value += 1
        return
    parsed.rows.append(
        FileRow(
            row=number,
            indicator=found.get("indicator", indicator or ""),
            area=area,
            year=found["year"],
            gender=found.get("gender", Gender.TOTAL.value),
            classification=found.get("classification", ""),
            value=found["value"],
            absolute_value=found.get("absolute_value"),
        )
    )


def _wide_row(
    parsed: Parsed,
    errors: list[str],
    number: int,
    cells: tuple[Any, ...],
    *,
    table: Table,
    positions: dict[str, int],
    years: dict[int, int],
    areas: AreaIndex,
    indicator: str | None,
) -> None:
    failed = len(errors)
    found: dict[str, Any] = {}
    readers = {
        "indicator": indicator_id_of,
        "area_kind": area_kind_of,
        "gender": gender_of,
        "classification": classification_of,
    }
    for column, read in readers.items():
        if column in positions:
            try:
                found[column] = read(cells[positions[column]])
            except ValueError as exc:
                errors.append(_cell_error(number, table, positions[column], str(exc)))
    values: dict[int, float | None] = {}
    for position, year in years.items():
        try:
            values[year] = number_of(cells[position])
        except ValueError as exc:
            errors.append(_cell_error(number, table, position, str(exc)))
    area = _area(errors, number, table, positions["area"], cells, areas, found.get("area_kind"), None)
    if len(errors) > failed or area is None:
        return
    for year, value in values.items():
        if value is None:
            parsed.without_value += 1
        elif not area.exists_in(year):
            errors.append(
                f"row {number}, column '{year}': {area.describe()} does not exist in {year} (it exists {area.span()})"
            )
        else:
            parsed.rows.append(
                FileRow(
                    row=number,
                    indicator=found.get("indicator", indicator or ""),
                    area=area,
                    year=year,
                    gender=found.get("gender", Gender.TOTAL.value),
                    classification=found.get("classification", ""),
                    value=value,
                    absolute_value=None,
                )
            )


def _area(
    errors: list[str],
    number: int,
    table: Table,
    position: int,
    cells: tuple[Any, ...],
    areas: AreaIndex,
    kind: str | None,
    year: int | None,
) -> KnownArea | None:
    try:
        area = areas.find(text_of(cells[position]), kind=kind)
    except (LookupError, ValueError) as exc:
        errors.append(_cell_error(number, table, position, str(exc.args[0])))
        return None
    if year is not None and not area.exists_in(year):
        errors.append(
            _cell_error(
                number, table, position, f"{area.describe()} does not exist in {year} (it exists {area.span()})"
            )
        )
        return None
    return area


def _duplicates(rows: list[FileRow]) -> list[str]:
    first: dict[tuple, int] = {}
    errors = []
    for row in rows:
        key = (row.indicator, row.area.pk, row.year, row.gender, row.classification)
        if key in first:
            errors.append(
                f"row {row.row}: the same indicator, area, year, gender and classification as row {first[key]} "
                f"({row.indicator}, {row.area.describe()}, {row.year}, {row.gender}"
                + (f", {row.classification})" if row.classification else ")")
            )
        else:
            first[key] = row.row
    return errors


# --- indicators --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorOptions:
    """What the command line says about the indicators; None where it says nothing."""

    title: str | None = None
    unit: str | None = None
    direction: str | None = None
    vintage: str | None = None
    producer: str | None = None


def target_source(key: str) -> Source:
    """The source whose indicators the file fills: "file", or an existing source such as "sotkanet"."""
    found = Source.objects.filter(key=key).first()
    if found:
        return found
    if key in services.KNOWN_SOURCES:
        return services.source(key)
    known = sorted(set(Source.objects.values_list("key", flat=True)) | set(services.KNOWN_SOURCES))
    raise ImportDataError(f"--source-key {key}: there is no such source (there are: {', '.join(known)})")


def upsert_indicators(
    *, source: Source, ids: list[str], options: IndicatorOptions
) -> tuple[dict[str, Indicator], list[str]]:
    """The indicators of `ids` at `source`, created where missing. Indicators of the file source take the
    command line's title, unit, direction, vintage and producer; another source's indicators are never changed,
    since their metadata comes from that source's own import. Returns the indicators and notes for the user."""
    if options.title and len(ids) > 1:
        raise ImportDataError(f"--indicator-title names one indicator, but the file holds {len(ids)}: {', '.join(ids)}")
    existing = {i.external_id: i for i in Indicator.objects.filter(source=source, external_id__in=ids)}
    own = source.key == SOURCE_KEY
    missing = [i for i in ids if i not in existing]
    if missing and not own and not options.title:
        raise ImportDataError(
            f"{source.name} has no indicator '{missing[0]}' in Tilannekuva: import it from {source.name} first, "
            f"or give --indicator-title to create it here"
        )
    wanted = {
        "title_fi": options.title,
        "unit": options.unit,
        "direction": options.direction,
        "vintage": options.vintage,
        "organisation": options.producer,
    }
    given = {name: value for name, value in wanted.items() if value is not None}
    notes = []
    for external_id in missing:
        existing[external_id] = Indicator.objects.create(
            source=source, external_id=external_id, **{"title_fi": external_id, **given}
        )
    for external_id, indicator in existing.items():
        if external_id in missing:
            continue
        changed = [name for name, value in given.items() if getattr(indicator, name) != value]
        if changed and own:
            for name in changed:
                setattr(indicator, name, given[name])
            indicator.save(update_fields=changed)
        elif changed:
            notes.append(
                f"{source.name} {external_id} already exists: its title, unit, direction, vintage and producer are "
                f"kept as {source.name} gives them"
            )
    return existing, notes


def record_year_span(indicator: Indicator) -> None:
    span = Observation.objects.filter(indicator=indicator).aggregate(first=Min("year"), last=Max("year"))
    if (indicator.first_year, indicator.last_year) != (span["first"], span["last"]):
        indicator.first_year, indicator.last_year = span["first"], span["last"]
        indicator.save(update_fields=["first_year", "last_year"])


# --- the command -------------------------------------------------------------------------------------------


def column_map(text: str) -> tuple[str, str]:
    column, equals, header = text.partition("=")
    column, header = column.strip().casefold(), header.strip()
    if not equals or not header:
        raise argparse.ArgumentTypeError(f"'{text}' is not COLUMN=HEADER, e.g. value=primary.value")
    if column not in COLUMNS:
        raise argparse.ArgumentTypeError(f"'{column}' is not a column of the formats ({', '.join(COLUMNS)})")
    return column, header


def indicator_id(text: str) -> str:
    try:
        return indicator_id_of(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--indicator: {exc}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="the CSV or XLSX file")
    parser.add_argument("--format", choices=[LONG, WIDE], help="long or wide (default: told from the header)")
    parser.add_argument("--sheet", help="the worksheet of an XLSX workbook (default: the first)")
    parser.add_argument(
        "--source-key",
        default=SOURCE_KEY,
        help=f"the source whose indicators the file fills (default: {SOURCE_KEY}), e.g. sotkanet",
    )
    parser.add_argument("--source-name", help="who produced the data, e.g. TEAviisari (THL): the indicators' producer")
    parser.add_argument("--indicator", type=indicator_id, help="the indicator id for every row (no indicator column)")
    parser.add_argument("--indicator-title", help="the indicator's title in Finnish")
    parser.add_argument("--unit", help="the indicator's unit, e.g. '%%' or 'pistettä'")
    parser.add_argument("--direction", choices=Direction.values, help="whether a higher value is better")
    parser.add_argument("--vintage", help="where and when the data was taken, e.g. 'TEAviisari 2024, exported 5/2025'")
    parser.add_argument(
        "--map",
        dest="map",
        action="append",
        type=column_map,
        default=[],
        metavar="COLUMN=HEADER",
        help="read a column from a header of another name, e.g. --map value=primary.value (repeatable)",
    )


def run(options: dict[str, Any], stdout: TextIO) -> ImportRun:
    path = Path(options["path"])
    mapping = dict(options.get("map") or [])
    indicator = options.get("indicator")
    source_key = options.get("source_key") or SOURCE_KEY
    wanted = IndicatorOptions(
        title=options.get("indicator_title"),
        unit=options.get("unit"),
        direction=options.get("direction"),
        vintage=options.get("vintage"),
        producer=options.get("source_name"),
    )
    parameters = {
        "path": str(path),
        "format": options.get("format"),
        "sheet": options.get("sheet"),
        "source_key": source_key,
        "source_name": options.get("source_name"),
        "indicator": indicator,
        "indicator_title": wanted.title,
        "unit": wanted.unit,
        "direction": wanted.direction,
        "vintage": wanted.vintage,
        "map": mapping,
    }
    report: list[str] = []

    def work(import_run: ImportRun) -> Counts:
        try:
            size = path.stat().st_size
            if size > settings.IMPORT_MAX_FILE_MB * 1024 * 1024:
                raise ImportDataError(
                    f"{path}: the file is {size / (1024 * 1024):.0f} MB; the limit is {settings.IMPORT_MAX_FILE_MB} MB "
                    "(IMPORT_MAX_FILE_MB)"
                )
            content = path.read_bytes()
        except OSError as exc:
            raise ImportDataError(f"{path}: the file cannot be read ({exc.strerror or exc})")
        services.keep_payload(import_run, content)
        table = read_table(content, sheet=options.get("sheet"))
        parsed = rows_from(
            table, areas=AreaIndex.from_database(), layout=options.get("format"), indicator=indicator, mapping=mapping
        )
        source = target_source(source_key)
        indicators, notes = upsert_indicators(source=source, ids=parsed.indicators, options=wanted)
        by_id = {i.pk: i for i in indicators.values()}
        rows = [
            ObservationRow(
                indicator_id=indicators[r.indicator].pk,
                area_id=r.area.pk,
                year=r.year,
                gender=r.gender,
                classification=r.classification,
                value=r.value,
                absolute_value=r.absolute_value,
            )
            for r in parsed.rows
        ]
        areas = {r.area.pk: r.area for r in parsed.rows}

        def where(row: ObservationRow) -> str:
            return f"{by_id[row.indicator_id].external_id}, {areas[row.area_id].describe()}, {row.year}"

        counts = services.write_observations(services.check_unique(rows, describe=where), run=import_run)
        for found in indicators.values():
            record_year_span(found)
        report.append(describe(path, table, parsed, source=source, indicators=indicators))
        report.extend(notes)
        return counts

    import_run = services.run_import(
        source_key=SOURCE_KEY, url=path.resolve().as_uri(), parameters=parameters, work=work
    )
    for line in report:
        stdout.write(line)
    return import_run


def describe(path: Path, table: Table, parsed: Parsed, *, source: Source, indicators: dict[str, Indicator]) -> str:
    years = sorted({r.year for r in parsed.rows})
    named = ", ".join(
        f"{i.external_id} ({i.title_fi})" for i in sorted(indicators.values(), key=lambda i: i.external_id)
    )
    lines = [
        f"{path.name}: {table.kind}, {parsed.layout} format, {len(parsed.rows)} values for "
        f"{len({r.area.pk for r in parsed.rows})} areas, {years[0]}–{years[-1]} → {source.name}: {named}."
    ]
    if parsed.without_value:
        lines.append(f"Cells without a value (empty, '..' or '.'), skipped: {parsed.without_value}.")
    if parsed.ignored_columns:
        lines.append("Columns not read: " + ", ".join(f"'{c}'" for c in parsed.ignored_columns) + ".")
    return "\n".join(lines)
