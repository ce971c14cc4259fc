"""A CSV file opened as a spreadsheet in the Finnish locale reads it, for the tests of every CSV download.

What Excel and LibreOffice Calc do in the Finnish locale with a ';'-separated UTF-8 file with a byte-order mark:
a field is a number when it is one with a decimal comma (6,58), otherwise text; a field `="049"` is a formula,
evaluated to the text 049 (Excel always; LibreOffice Calc with its CSV dialog's "Evaluate formulas", which is on
by default); a plain 049 would become the number 49 and 6.58 the text "6.58". `finnish_spreadsheet` implements
exactly those rules; any other cell starting with '=' is a formula a spreadsheet would run, and fails the test."""

import csv
import io
import re

FINNISH_NUMBER = re.compile(r"-?\d+(,\d+)?")
TEXT_FORMULA = re.compile(r'="([^"]*)"')
LIVE = ("=", "+", "@", "\t", "\r")


def finnish_spreadsheet(content: bytes) -> list[list[object]]:
    """The cells as a spreadsheet in the Finnish locale shows them: numbers (decimal comma) or text."""
    assert content.startswith(b"\xef\xbb\xbf"), "without a byte-order mark ä and ö would be misread"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    shown: list[list[object]] = []
    for row in rows:
        cells: list[object] = []
        for cell in row:
            if (formula := TEXT_FORMULA.fullmatch(cell)) is not None:
                cells.append(formula.group(1))
            elif FINNISH_NUMBER.fullmatch(cell):
                cells.append(float(cell.replace(",", ".")))
            else:
                assert not cell.startswith(LIVE), f"{cell!r} would run as a formula"
                cells.append(cell)
        shown.append(cells)
    return shown


def machine_csv(content: bytes) -> list[list[str]]:
    """The cells of a machine-dialect CSV file as a program reads them (text; numbers with a decimal point)."""
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
