"""The Finnish spreadsheet dialect of the CSV writer, opened as a Finnish spreadsheet reads it.

What Excel and LibreOffice Calc do in the Finnish locale with a ';'-separated UTF-8 file with a byte-order mark:
a field is a number when it is one with a decimal comma (6,58), otherwise text; a field `="049"` is a formula,
evaluated to the text 049 (Excel always; LibreOffice Calc with its CSV dialog's "Evaluate formulas", which is on
by default); a plain 049 would become the number 49 and 6.58 the text "6.58". `finnish_spreadsheet` (core.tests)
implements exactly those rules, and so reads the file as such a spreadsheet would."""

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.core import csv_dialects
from tilannekuva.core.tests.finnish_spreadsheet import finnish_spreadsheet
from tilannekuva.databank.exports import CODE_COLUMNS, COLUMNS, csv_file_text, xlsx_bytes


def rows_of(values: list[tuple[str, float | None]]) -> list[dict[str, object]]:
    return [
        {
            "indicator": "11ra:vaerak-vaesto",
            "area_code": code,
            "area_name": "Äänekoski",
            "area_kind": "municipality",
            "year": 2025,
            "gender": "total",
            "value": value,
            "absolute_value": None,
        }
        for code, value in values
    ]


def test_a_finnish_spreadsheet_reads_decimals_as_numbers_and_codes_as_text():
    content = csv_file_text(rows_of([("049", 6.58), ("491", 51551), ("005", None)]), csv_dialects.FINNISH).encode()
    header, *cells = finnish_spreadsheet(content)
    assert header == list(COLUMNS)
    by_code = {row[1]: row for row in cells}
    assert set(by_code) == {"049", "491", "005"}  # leading zeros kept: text, not 49 and 5
    assert by_code["049"][6] == 6.58 and isinstance(by_code["049"][6], float)  # a number, not the text "6.58"
    assert by_code["491"][6] == 51551
    assert by_code["005"][6] == ""  # no value: an empty cell
    assert by_code["049"][2] == "Äänekoski" and by_code["049"][4] == 2025
    assert content.endswith(b"\r\n")


def test_the_machine_dialect_keeps_the_decimal_point_and_plain_codes():
    content = csv_file_text(rows_of([("049", 6.58)]), csv_dialects.MACHINE).encode()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[1].split(";")[1:2] == ["049"]
    assert ";6.58;" in content.decode("utf-8-sig")


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"\d{1,3}", fullmatch=True), st.floats(-1e9, 1e9, allow_nan=False).map(lambda v: round(v, 4))
        ),
        min_size=1,
        max_size=8,
    )
)
def test_every_value_and_code_survives_the_finnish_spreadsheet(values):
    header, *cells = finnish_spreadsheet(csv_file_text(rows_of(values), csv_dialects.FINNISH).encode())
    assert [(row[1], row[6]) for row in cells] == [(code, pytest.approx(value)) for code, value in values]


def test_an_unknown_dialect_is_named():
    with pytest.raises(ValueError, match="dialect: one of machine, fi"):
        csv_dialects.csv_in_dialect([["a"]], "excel")


def test_xlsx_has_numbers_as_numbers_and_codes_as_text():
    rows = rows_of([("049", 6.58), ("491", 51551)])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(v[1], v[6]) for v in values] == [("049", 6.58), ("491", 51551)]
    assert all(isinstance(v[1], str) for v in values) and CODE_COLUMNS == ("area_code",)
    cell = sheet.cell(row=2, column=7)
    assert cell.data_type == "n"
