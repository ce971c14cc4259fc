"""The one table reader and writer: encodings and delimiters guessed one way, a workbook checked before it is
opened, faults that name their row, and what is written reads back the same."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.core import csv_dialects, tables
from tilannekuva.core.tables import TableError, read_table

ROWS = [["alue", "vuosi", "arvo"], ["Hämeenlinna", "2024", "12.5"], ["Mäntyharju", "2024", ""]]


def csv_of(rows: list[list[str]], delimiter: str = ";") -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_the_one_that_splits_the_header(delimiter):
    table = read_table(csv_of(ROWS, delimiter).encode("utf-8"))
    assert table.kind == tables.CSV
    assert [list(cells) for _n, cells in table.numbered] == ROWS


def test_a_semicolon_wins_a_tie_as_finnish_excel_writes_it():
    assert tables.delimiter_of("a;b,c\n") == ";"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_a_byte_order_mark_reads_the_same(bom):
    assert read_table(bom + csv_of(ROWS).encode("utf-8")).header == ("alue", "vuosi", "arvo")


def test_windows_1252_and_utf16_are_read_only_where_the_caller_accepts_them():
    for content in (csv_of(ROWS).encode("cp1252"), csv_of(ROWS).encode("utf-16")):
        assert [list(c) for _n, c in read_table(content, utf8_only=False).numbered] == ROWS
    with pytest.raises(TableError, match=r"row 2: the file is not UTF-8 text \(byte 0xe4\)"):
        read_table(csv_of(ROWS).encode("cp1252"))
    with pytest.raises(TableError, match="UTF-16"):
        read_table(csv_of(ROWS).encode("utf-16"))


def test_the_bytes_windows_1252_leaves_undefined_are_read_as_iso_8859_1():
    assert read_table(b"a;b\r\nx\x81;1\r\n", utf8_only=False).rows == [(2, ("x\x81", "1"))]


def test_rows_keep_the_numbers_a_spreadsheet_shows_and_empty_rows_are_skipped():
    table = read_table(b"\r\n;\r\nalue;arvo\r\n\r\n491;1\r\n")
    assert (table.header_row, table.header, table.rows) == (3, ("alue", "arvo"), [(5, ("491", "1"))])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf \r\n", "the file is empty"),
        (b'a;b\r\n1;"2"x\r\n', "row 2: the CSV is malformed"),
        (b"%PDF-1.7", "a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, "an old Excel workbook"),
        (b"a;b\x00", "binary data"),
        (b"PK\x03\x04 not a zip", "not a readable XLSX workbook"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_named_fault(content, message):
    with pytest.raises(TableError, match=message):
        read_table(content)


def test_a_zip_bomb_is_refused_before_the_workbook_is_opened(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    with pytest.raises(TableError, match="zip bomb"):
        read_table(buffer.getvalue())
    settings.XLSX_MAX_UNCOMPRESSED_MB = 2
    with pytest.raises(TableError, match="would unpack to 3 MB; the limit is 2 MB"):
        read_table(buffer.getvalue())


def test_a_workbook_reads_its_named_sheet_and_names_the_sheets_it_has():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Ohje"  # type: ignore[union-attr]
    workbook.create_sheet("Tiedot").append(["alue", 2024])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue(), sheet="Tiedot")
    assert (table.kind, table.header) == (tables.XLSX, ("alue", "2024"))
    with pytest.raises(TableError, match=r"no sheet 'Data' \(it has: Ohje, Tiedot\)"):
        read_table(out.getvalue(), sheet="Data")
    with pytest.raises(TableError, match="CSV, which has no sheets"):
        read_table(b"a;b\r\n", sheet="Tiedot")


def test_a_fault_in_the_header_names_its_row_and_column():
    workbook = openpyxl.Workbook()
    workbook.active.append([None])  # type: ignore[union-attr]
    workbook.active.append(["alue", True])  # type: ignore[union-attr]
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(TableError, match=r"row 2 \(the header\), column 2: TRUE is a true/false value"):
        read_table(out.getvalue()).header  # noqa: B018


def test_a_place_is_named_as_every_import_names_it():
    assert tables.at(14, "value", "'12,5x' is not a number") == "row 14, column 'value': '12,5x' is not a number"
    assert tables.at(3, 2, "empty") == "row 3, column 2: empty"
    assert tables.at(3, None, "empty") == "row 3: empty"


def test_csv_is_written_as_finnish_excel_opens_it_and_reads_back_the_same():
    written = tables.csv_bytes([["alue", "arvo"], ["Mäntyharju", 12.5], ["Pertunmaa", None]])
    assert written == "\ufeffalue;arvo\r\nMäntyharju;12.5\r\nPertunmaa;\r\n".encode()
    assert read_table(written).rows == [(2, ("Mäntyharju", "12.5")), (3, ("Pertunmaa", ""))]
    assert tables.csv_text([["a", "b"], [1, None]]) == "a;b\n1;\n"


def test_xlsx_is_written_with_numbers_as_numbers_and_reads_back_the_same():
    written = tables.xlsx_bytes([["alue", "arvo"], ["049", 12.5], ["Juva", None]], title="x" * 40)
    table = read_table(written)
    assert table.records == (("alue", "arvo"), ("049", 12.5), ("Juva",))  # an empty cell is not stored
    assert openpyxl.load_workbook(io.BytesIO(written)).sheetnames == ["x" * 31]


def test_text_that_would_run_as_a_formula_is_kept_as_text():
    assert [tables.formula_safe(t) for t in ["=1+1", "+358", "@x", "-x", "-12,5", "Juva"]] == [
        "'=1+1",
        "'+358",
        "'@x",
        "'-x",
        "-12,5",
        "Juva",
    ]


@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_a_message(content):
    try:
        table = read_table(content, utf8_only=False)
    except TableError as exc:
        assert exc.errors and all(exc.errors)
        return
    try:
        table.header  # noqa: B018
    except TableError as exc:
        assert exc.errors and all(exc.errors)


HOSTILE = ["=cmd|' /C calc'!A0", "+358 40 1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_written_cell_is_inert_in_csv_and_xlsx(text):
    """Issue 17: the one writer escapes every text cell of every CSV and XLSX: nothing starts a formula."""
    line = tables.csv_text([[text, 12.5, -3, None]]).strip("\n")
    assert line.split(";")[0].strip('"') == "'" + text and line.endswith(";12.5;-3;")
    sheet = openpyxl.load_workbook(io.BytesIO(tables.xlsx_bytes([[text, -3]], title="x"))).active
    assert sheet["A1"].value.startswith("'") and sheet["A1"].data_type == "s" and sheet["B1"].value == -3


def test_no_module_writes_csv_or_xlsx_but_core_tables():
    """Every CSV and XLSX the product writes goes through core.tables (so through its one escape)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl\.Workbook\(|xlsxwriter")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "tables.py" and writers.search(path.read_text("utf-8"))
    ]
    assert found == []


def test_the_finnish_dialect_keeps_its_own_code_formula_and_escapes_anyones_text():
    text = csv_dialects.csv_in_dialect(
        [["area_code", "name"], ["049", "=HYPERLINK(1)"]], csv_dialects.FINNISH, codes=["area_code"]
    )
    assert '"=""049"""' in text or '="049"' in text
    assert "'=HYPERLINK(1)" in text
