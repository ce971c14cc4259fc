"""A CSV downloaded from Statistics Finland's web pages (PxWeb's "with heading" downloads): a quoted title row, a
blank row, then the header. The file here is CONSTRUCTED in that documented shape (no such download was recorded);
its four values are real: the population 31.12. of Juva (178) and Mikkeli (491) in 2021–2022, Statistics Finland's
figures as bundled in data/population/sotkadata_population.csv. Other shapes get an error that names them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tilannekuva.core import tables
from tilannekuva.databank.models import Observation

TITLE = '"Väestö 31.12. muuttujina Alue, Vuosi ja Tiedot"'
BODY = {
    ",": '"Alue","2021","2022"\r\n"491","52122","51980"\r\n"178","5887","5769"\r\n',
    ";": '"Alue";"2021";"2022"\r\n"491";52122;51980\r\n"178";5887;5769\r\n',
}


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_title_and_blank_row_before_the_header_are_skipped_and_rows_keep_their_numbers(delimiter):
    table = tables.read_table(f"{TITLE}\r\n\r\n{BODY[delimiter]}".encode())
    assert table.header_row == 3
    assert table.header == ("Alue", "2021", "2022")
    assert [number for number, _ in table.rows] == [4, 5]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_statfin_web_download_imports(world, tmp_path, delimiter):
    path = tmp_path / "statfin-web-download.csv"
    path.write_bytes(("\ufeff" + f"{TITLE}\r\n\r\n{BODY[delimiter]}").encode())
    out = StringIO()
    call_command(
        "import",
        "file",
        str(path),
        "--format",
        "wide",
        "--indicator",
        "vaesto-web",
        "--indicator-title",
        "Väestö 31.12.",
        stdout=out,
    )
    assert Observation.objects.filter(indicator__external_id="vaesto-web").count() == 4
    assert Observation.objects.get(indicator__external_id="vaesto-web", area__code="491", year=2022).value == 51980


def test_a_fault_after_the_title_names_the_row_a_spreadsheet_shows(world, tmp_path):
    path = tmp_path / "statfin-web-download.csv"
    path.write_text(f'{TITLE}\r\n\r\n"Alue";"2021"\r\n"491";52122\r\n"178";5887x\r\n', encoding="utf-8")
    with pytest.raises(CommandError, match="row 5"):
        call_command(
            "import",
            "file",
            str(path),
            "--format",
            "wide",
            "--indicator",
            "x",
            "--indicator-title",
            "x",
            stdout=StringIO(),
        )


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"<!DOCTYPE html><html><body>Taulukko</body></html>", "a web page or XML"),
        (b'{"version": "2.0", "class": "dataset"}', "JSON, not a CSV file"),
        (b'CHARSET="ANSI";\r\nAXIS-VERSION="2013";\r\n', r"a PC-Axis \(\.px\) file"),
        (b"%PDF-1.7 ...", "a PDF document"),
    ],
)
def test_other_shapes_are_named(content, named):
    with pytest.raises(tables.TableError, match=named):
        tables.read_table(content)


def test_a_one_column_file_is_not_taken_for_a_title():
    table = tables.read_table(b"area\r\n491\r\n178\r\n")
    assert table.header == ("area",) and len(table.rows) == 2
