"""The two dialects of every CSV file the product writes, and the one rule choosing between them.

`machine`: ';'-separated UTF-8 with a byte-order mark and a decimal point, for programs. `fi`, the Finnish
spreadsheet dialect: what Excel and LibreOffice Calc in the Finnish locale read right, a decimal comma and the code
columns (area codes, municipality codes) as `="049"` so that 049 stays text. A download is in the dialect asked for
(`?dialect=fi` or `?dialect=machine`), else in the Finnish dialect in the Finnish interface (`dialect_for`).
"""

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from .tables import OwnFormula, csv_lines, csv_text

MACHINE, FINNISH = "machine", "fi"
DIALECTS = (MACHINE, FINNISH)
DIGITS = re.compile(r"\d+")


def _finnish_cell(cell: Any, *, code: bool) -> Any:
    """A cell as Excel and LibreOffice Calc in the Finnish locale read it: a decimal comma; a code of digits as the
    formula `="049"`, which both evaluate to the text 049 (leading zeros kept) instead of the number 49. Any other
    text is made inert by `tables.csv_lines`: the `="049"` form is the dialect's own (`OwnFormula`), for the code
    columns only."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell).lower()
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return ""
        text = repr(cell)
        if "e" in text or "E" in text:
            text = format(cell, "f").rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(cell, Decimal):
        return "" if not cell.is_finite() else format(cell, "f").replace(".", ",")
    if isinstance(cell, int):
        return str(cell)
    text = str(cell)
    if code and DIGITS.fullmatch(text):
        return OwnFormula(f'="{text}"')
    return text


def _machine_cell(cell: Any) -> Any:
    if isinstance(cell, Decimal):
        return "" if not cell.is_finite() else format(cell, "f")
    return cell


def dialect_lines(rows: Iterable[Sequence[Any]], dialect: str, *, codes: Iterable[str] = ()) -> Iterator[str]:
    """The lines of a CSV file in `dialect`, one at a time (a long file streams): `machine` (a decimal point, as
    programs read it) or `fi` (as a Finnish spreadsheet reads it: a decimal comma, the columns named in `codes` by
    the header, the first row, kept as text `="049"`); both ';'-separated UTF-8 with a byte-order mark and Windows
    line ends."""
    if dialect not in DIALECTS:
        raise ValueError(f"dialect: one of {', '.join(DIALECTS)}, not '{dialect}'")
    wanted = set(codes)

    def cells() -> Iterator[list[Any]]:
        positions: set[int] = set()
        for number, row in enumerate(rows):
            if number == 0:
                positions = {i for i, name in enumerate(row) if str(name) in wanted}
                yield ["" if cell is None else str(cell) for cell in row]
            elif dialect == FINNISH:
                yield [_finnish_cell(cell, code=i in positions) for i, cell in enumerate(row)]
            else:
                yield [_machine_cell(cell) for cell in row]

    return csv_lines(cells(), bom=True, line_end="\r\n")


def csv_text_finnish(rows: Iterable[Sequence[Any]], *, codes: Iterable[str] = ()) -> str:
    """The Finnish spreadsheet dialect of `csv_text`: ';'-separated, decimal comma, a byte-order mark and Windows
    line ends, and the columns named in `codes` (by the header, the first row) kept as text (`="049"`)."""
    return "".join(dialect_lines(rows, FINNISH, codes=codes))


def csv_in_dialect(rows: Iterable[Sequence[Any]], dialect: str, *, codes: Iterable[str] = ()) -> str:
    """`machine` (a decimal point, as programs read it) or `fi` (as a Finnish spreadsheet reads it); both with a
    byte-order mark."""
    if dialect == FINNISH:
        return csv_text_finnish(rows, codes=codes)
    if dialect != MACHINE:
        raise ValueError(f"dialect: one of {', '.join(DIALECTS)}, not '{dialect}'")
    return csv_text([[_machine_cell(cell) for cell in row] for row in rows], bom=True)


def dialect_for(requested: str | None, language: str) -> str:
    """The dialect of a CSV download, one rule for every download: the one asked for (`?dialect=fi` or
    `?dialect=machine`), else the Finnish spreadsheet dialect in the Finnish interface and the machine dialect in
    the others. An unknown value is the interface's default, as a missing one."""
    if requested in DIALECTS:
        return str(requested)
    return FINNISH if language == "fi" else MACHINE
