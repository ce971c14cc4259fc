"""A file's table into checked rows, in the long format (one value per row: indicator, area, year, value) or the
wide format (one row per area, one column per year). Every fault is collected with its row and column, so that
a user fixes the whole file at once (docs/FILE-IMPORT.md)."""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tilannekuva.core.tables import CSV, Table, TableError, at, is_empty, text_of
from tilannekuva.databank.models import Gender, Indicator, Observation
from tilannekuva.databank.services import ImportDataError

from .file_areas import AREA_KINDS, AreaIndex, KnownArea

LONG, WIDE = "long", "wide"
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
YEAR_TEXT = re.compile(r"\d{4}")
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
# A space (also no-break and narrow no-break, as Excel writes them) between digit groups: "1 234 567,5".
THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")


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


# --- a table into checked rows -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileRow:
    """One value of the file, checked: the area found, the year a year, the value a number. With slots: a file
    import holds one per value (a 30 MB file: about a million)."""

    row: int
    indicator: str
    area: KnownArea
    year: int
    gender: str
    classification: str
    value: float | None
    absolute_value: float | None


@dataclass
class FileRows:
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
) -> FileRows:
    """Check every row of `table` and return the values; raise ImportDataError listing every fault, each with its
    row and column. `mapping` renames columns (column → the file's header); `indicator` is the id for every row
    when the file has no indicator column."""
    try:
        width = len(table.header)
    except TableError as exc:
        raise ImportDataError(exc.errors)
    if not table.has_rows:
        raise ImportDataError(f"the file has a header (row {table.header_row}) but no rows of data")
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
    parsed = FileRows(layout=chosen)
    parsed.ignored_columns = [name for p, name in enumerate(table.header) if name and p not in used]
    errors: list[str] = []
    for number, cells in table.iter_rows():  # read as they are checked: the file's cells are not all kept
        if any(not is_empty([c]) for c in cells[width:]):
            count = max(p for p, c in enumerate(cells, start=1) if not is_empty([c]))
            hint = ' (in a comma-separated file a decimal comma needs quotes: "12,5")' if table.kind == CSV else ""
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
    return at(number, table.header[position] or position + 1, message)


def _long_row(
    parsed: FileRows,
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
    parsed: FileRows,
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
