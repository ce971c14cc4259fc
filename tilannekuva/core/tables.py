"""Tables in and out: one reader of CSV and XLSX files and one writer, shared by every import and export.

The reader tells CSV from XLSX by the content, not by the file's name. A CSV file's encoding is guessed one way
(a byte-order mark, else UTF-8, else Windows-1252 where the caller accepts other encodings than UTF-8) and so is
its delimiter (the one of ';', ',' and tab that splits the header into the most columns; ';' wins a tie, as
Finnish Excel writes it). An XLSX workbook is a zip archive: its sizes are checked before it is opened, so that a
"zip bomb" is refused. Every fault is a `TableError` whose message names the row (and column) where it has one.
"""

import codecs
import csv
import io
import itertools
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import openpyxl
from django.conf import settings

CSV, XLSX = "CSV", "XLSX"
DELIMITERS = ";,\t"
XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"
MAX_SHOWN = 50
HEAD_CHARS = 64 * 1024  # the start of a CSV file, read to tell its shape, title rows and delimiter
# A cell a spreadsheet would run as a formula: '=', '+', '@', a tab or carriage return, or '-' before anything but a
# number (OWASP's "CSV injection").
FORMULA_START = ("=", "+", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+([.,]\d+)?(e-?\d+)?", re.IGNORECASE)


class TableError(ValueError):
    """A table cannot be read, or cells of it are wrong. `errors` lists each fault; each names its row, and its
    column where it has one ("row 14, column 'value': '12,5x' is not a number")."""

    def __init__(self, errors: str | Sequence[str]):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        shown = self.errors[:MAX_SHOWN]
        more = f"\n... and {len(self.errors) - MAX_SHOWN} more" if len(self.errors) > MAX_SHOWN else ""
        super().__init__("\n".join(shown) + more)


def at(row: int, column: str | int | None, message: str) -> str:
    """A fault's place and message: `row 14, column 'value': ...`, `row 3, column 2: ...`, `row 3: ...`."""
    if column is None or column == "":
        return f"row {row}: {message}"
    shown = column if isinstance(column, int) else f"'{column}'"
    return f"row {row}, column {shown}: {message}"


class Table:
    """Every record of a file, as read: CSV cells are text, XLSX cells are numbers, text, dates or None.
    Row numbers are the ones a spreadsheet shows, the first record being row 1.

    A CSV file's records are not kept: each pass over them (`iter_rows`) reads them again from the file's bytes, so
    an import holds the file and the rows it makes of it, not every cell of the file as well (a 30 MB CSV file
    is millions of cells; docs/PERFORMANCE.md, "Memory of a file import"). `records`, `numbered` and `rows` give
    lists, for the small files (surveys, parameters) whose callers want them."""

    def __init__(
        self,
        kind: str,
        records: Iterable[tuple[Any, ...]] | None = None,
        *,
        source: Callable[[], Iterator[tuple[Any, ...]]] | None = None,
    ) -> None:
        self.kind = kind
        self._records = tuple(records) if records is not None else None
        self._source = source
        self._head: tuple[int, tuple[Any, ...]] | None = None

    def iter_records(self) -> Iterator[tuple[Any, ...]]:
        if self._records is not None:
            return iter(self._records)
        assert self._source is not None
        return self._source()

    @property
    def records(self) -> tuple[tuple[Any, ...], ...]:
        return tuple(self.iter_records())

    def iter_numbered(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """The records that hold anything, each with its row number."""
        for number, record in enumerate(self.iter_records(), start=1):
            if not is_empty(record):
                yield number, record

    @property
    def numbered(self) -> list[tuple[int, tuple[Any, ...]]]:
        return list(self.iter_numbered())

    def _first(self) -> tuple[int, tuple[Any, ...]]:
        if self._head is None:
            first = next(self.iter_numbered(), None)
            if first is None:
                raise TableError("the file is empty")
            self._head = first
        return self._head

    @property
    def header_row(self) -> int:
        """The first record that holds anything is the header."""
        return self._first()[0]

    @property
    def header(self) -> tuple[str, ...]:
        """The header's names as text, without the empty names at its end."""
        row, record = self._first()
        names = []
        for position, cell in enumerate(record, start=1):
            try:
                names.append(text_of(cell))
            except ValueError as exc:
                raise TableError(f"row {row} (the header), column {position}: {exc}")
        while names and not names[-1]:
            names.pop()
        return tuple(names)

    def iter_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """The records after the header that hold anything, each with its row number, read as they are needed."""
        return itertools.islice(self.iter_numbered(), 1, None)

    @property
    def has_rows(self) -> bool:
        return next(self.iter_rows(), None) is not None

    @property
    def rows(self) -> list[tuple[int, tuple[Any, ...]]]:
        """The records after the header that hold anything, each with its row number."""
        return list(self.iter_rows())


def is_empty(record: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in record)


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


# --- reading ------------------------------------------------------------------------------------------------


def read_table(content: bytes, *, sheet: str | None = None, utf8_only: bool = True) -> Table:
    """The records of a CSV or XLSX file (the first worksheet, or the one named `sheet`). With `utf8_only`, a
    CSV file must be UTF-8 (with or without a byte-order mark); otherwise UTF-16 with a byte-order mark and
    Windows-1252 are read as well (survey tools and older Excel versions write them)."""
    if not content.strip():
        raise TableError("the file is empty")
    if content.startswith(XLSX_MAGIC):
        return read_xlsx(content, sheet=sheet)
    if content.startswith(OLD_EXCEL):
        raise TableError("the file is an old Excel workbook (.xls): save it as .xlsx or as 'CSV UTF-8'")
    if content.startswith(b"%PDF"):
        raise TableError("the file is a PDF document, not a CSV or XLSX file")
    encoding = encoding_of(content, utf8_only=utf8_only)
    if sheet:
        raise TableError(f"the file is CSV, which has no sheets (the sheet '{sheet}' was asked for)")
    return stream_csv(content, encoding)


def encoding_of(content: bytes, *, utf8_only: bool = True) -> str:
    """The encoding `decode` would read the file with, found without making the file's text: the UTF-8 check goes
    through the bytes a megabyte at a time."""
    if content.startswith(UTF16_BOMS) or b"\x00" in content:
        decode(content, utf8_only=utf8_only)  # refuses binary data, and UTF-16 where only UTF-8 is read
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1024 * 1024
    try:
        for offset in range(0, len(content), step):
            decoder.decode(content[offset : offset + step], final=offset + step >= len(content))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        decode(content, utf8_only=utf8_only)  # the message naming the row, or the other encodings
        try:
            content.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8-sig"


def stream_csv(content: bytes, encoding: str) -> Table:
    """A CSV file's table whose records are read from `content` on each pass (checked once here: a malformed row
    is a TableError naming it now, not half-way through an import)."""

    def text() -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")

    with text() as stream:
        head = stream.read(HEAD_CHARS)  # what the file's shape, title rows and delimiter are told from
    shape = other_shape(head)
    if shape:
        raise TableError(shape)
    if not head.strip():
        raise TableError("the file is empty")
    titles = title_rows(head)
    delimiter = delimiter_of(head)

    def records() -> Iterator[tuple[Any, ...]]:
        with text() as stream:
            # The title and blank lines stay as empty records, so that every row keeps the number a spreadsheet
            # shows.
            for _title in range(titles):
                stream.readline()
                yield ()
            count = titles
            try:
                for record in csv.reader(stream, delimiter=delimiter, strict=True):
                    count += 1
                    yield tuple(record)
            except csv.Error as exc:
                raise TableError(f"row {count + 1}: the CSV is malformed ({exc})")

    for _record in records():  # one pass to find a malformed row before anything is imported
        pass
    return Table(kind=CSV, source=records)


def decode(content: bytes, *, utf8_only: bool = True) -> str:
    """The text of a CSV file: by its byte-order mark, else UTF-8, else (unless `utf8_only`) Windows-1252, or
    ISO-8859-1 for the five bytes Windows-1252 leaves undefined."""
    if content.startswith(UTF16_BOMS):
        if utf8_only:
            raise TableError("the file is UTF-16 text ('Unicode text' in Excel): save it as 'CSV UTF-8'")
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableError(f"the file is not readable UTF-16 text ({exc.reason})")
    if b"\x00" in content:
        raise TableError("the file is not a CSV or XLSX file: it holds binary data")
    try:
        return content.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        if utf8_only or content.startswith(UTF8_BOM):
            line = content[: exc.start].count(b"\n") + 1
            raise TableError(
                f"row {line}: the file is not UTF-8 text (byte 0x{content[exc.start]:02x}); "
                "save it in Excel as 'CSV UTF-8 (comma delimited)'"
            )
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def other_shape(text: str) -> str:
    """What a text file that is no table is, named, so that the user knows what to do; "" for a table."""
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith(("<!doctype", "<html", "<?xml", "<table")):
        return "the file is a web page or XML, not a CSV file: download the table as CSV or XLSX"
    if start.startswith(("{", "[")):
        return (
            "the file is JSON, not a CSV file: a saved PxWeb answer is imported with "
            "`tilannekuva import statfin --from-file FILE`"
        )
    if start.startswith(("charset=", "axis-version=", "codepage=", "language=")):
        return "the file is a PC-Axis (.px) file, not a CSV file: download the table as CSV or XLSX"
    return ""


def title_rows(text: str) -> int:
    """How many leading lines are a title and blank lines, as a StatFin web download has them: a quoted title
    ("Väestö 31.12. muuttujina Alue, Vuosi ja Tiedot"), a blank line, then the header. A title line holds one
    field for every separator; it counts only when a line of several fields follows (else the file is one column)."""
    lines = text.splitlines()
    count = 0
    titles = 0
    for line in lines[:6]:
        if not line.strip():
            count += 1
            continue
        if _fields(line) > 1:
            return count if titles else 0
        titles += 1
        count += 1
    return 0


def _fields(line: str) -> int:
    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader([line], delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(width(d) for d in DELIMITERS)


def delimiter_of(text: str) -> str:
    """The separator that splits the header into the most columns; ';' wins a tie, as Finnish Excel uses it."""
    skipped = text.splitlines()[title_rows(text) :]
    header = next((line for line in skipped if line.strip()), "")

    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader([header], delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(DELIMITERS, key=width)


def check_zip_size(content: bytes) -> None:
    """Refuse a workbook that would unpack to more than XLSX_MAX_UNCOMPRESSED_MB, or whose large parts are
    compressed more than XLSX_MAX_RATIO times (a "zip bomb"), before it is opened. The sizes in the archive's
    directory bound what Python's zipfile unpacks, so a lying directory cannot make it unpack more."""
    limit = settings.XLSX_MAX_UNCOMPRESSED_MB * 1024 * 1024
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TableError(f"the file is not a readable XLSX workbook ({_reason(exc)})")
    total = sum(member.file_size for member in members)
    if total > limit:
        raise TableError(
            f"the workbook would unpack to {total // (1024 * 1024)} MB; the limit is "
            f"{settings.XLSX_MAX_UNCOMPRESSED_MB} MB (XLSX_MAX_UNCOMPRESSED_MB): save it as CSV or split it"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > settings.XLSX_MAX_RATIO:
            raise TableError(
                f"the workbook's part {member.filename} is compressed {ratio:.0f} times; more than "
                f"{settings.XLSX_MAX_RATIO} (XLSX_MAX_RATIO) is refused as a possible zip bomb"
            )


def read_xlsx(content: bytes, *, sheet: str | None = None) -> Table:
    """The first worksheet of an XLSX workbook, or the one named `sheet`; formulas give their saved values."""
    check_zip_size(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file; all mean the same here
        raise TableError(f"the file is not a readable XLSX workbook ({_reason(exc)})")
    try:
        worksheets = {worksheet.title: worksheet for worksheet in workbook.worksheets}
        if not worksheets:
            raise TableError("the workbook has no worksheets")
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in worksheets:
            worksheet = worksheets[sheet]
        else:
            raise TableError(f"the workbook has no sheet '{sheet}' (it has: {', '.join(worksheets)})")
        records = tuple(tuple(row) for row in worksheet.iter_rows(values_only=True))
    except TableError:
        raise
    except Exception as exc:
        raise TableError(f"the workbook cannot be read ({_reason(exc)})")
    finally:
        workbook.close()
    return Table(kind=XLSX, records=records)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{exc.__class__.__name__}: {text[:200]}" if text else exc.__class__.__name__


# --- writing ------------------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write() returns what was written: csv.writer formats, the caller streams."""

    def write(self, text: str) -> str:
        return text


class OwnFormula(str):
    """A formula the product writes itself from known-safe parts (the Finnish dialect's `="049"` for a code of
    digits): `inert` leaves it as it is. Never made from anyone's text."""


def inert(cell: Any) -> Any:
    """The one escape of every cell the product writes to a CSV or XLSX file: text that a spreadsheet would run as
    a formula gets a leading apostrophe (`formula_safe`); numbers, dates, None and `OwnFormula` stay as they are."""
    return formula_safe(cell) if isinstance(cell, str) and not isinstance(cell, OwnFormula) else cell


def csv_lines(rows: Iterable[Sequence[Any]], *, bom: bool = False, line_end: str = "\n") -> Iterator[str]:
    """Each row as one ';'-separated line (decimal point, an empty field for None, text made `inert`), for a
    streamed answer; the first line starts with a byte-order mark when `bom` (Excel in Finland then reads the file
    as UTF-8)."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator=line_end)
    first = True
    for row in rows:
        line = writer.writerow(["" if cell is None else inert(cell) for cell in row])
        yield ("\ufeff" + line) if first and bom else line
        first = False
    if first and bom:
        yield "\ufeff"


def csv_text(rows: Iterable[Sequence[Any]], *, bom: bool = False, line_end: str = "\n") -> str:
    return "".join(csv_lines(rows, bom=bom, line_end=line_end))


def csv_bytes(rows: Iterable[Sequence[Any]], *, bom: bool = True, line_end: str = "\r\n") -> bytes:
    """UTF-8 bytes, by default as Excel in Finland opens them: a byte-order mark and Windows line ends."""
    return csv_text(rows, bom=bom, line_end=line_end).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """One worksheet named `title` (cut to Excel's 31 characters) holding the rows; None is an empty cell, text is
    made `inert` (never a live formula)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append([inert(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def formula_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading '=', '+', '@', tab or carriage return, or '-' before anything but
    a number, would make some run it as a formula."""
    if text[:1] in FORMULA_START or (text[:1] == "-" and not NUMBER.fullmatch(text)):
        return "'" + text
    return text
