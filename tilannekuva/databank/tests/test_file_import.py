"""File import: CSV and XLSX in the long and wide formats, every fault named by row and column, nothing half-written.

Real data: `data/population/sotkadata_population.csv` (Sotkanet indicator 127, 2000–2022, see data/SOURCES.md).
Synthetic data says so in its name: `fixtures/synthetic-wide-finnish-excel.csv` (made-up scores in the shape of a
Finnish Excel export) and the XLSX workbooks these tests build with openpyxl.
"""

import argparse
import csv
import functools
import gzip
import io
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilannekuva.core.tables import TableError, read_table
from tilannekuva.databank.models import ImportRun, ImportStatus, Indicator, Observation
from tilannekuva.databank.services import ImportDataError, source
from tilannekuva.databank.sources import file_rows, files
from tilannekuva.databank.sources.file_areas import AreaIndex, KnownArea
from tilannekuva.databank.sources.file_rows import rows_from
from tilannekuva.regions.models import AreaKind

POPULATION = django_settings.DATA_DIR / "population" / "sotkadata_population.csv"
FIXTURES = Path(__file__).parent / "fixtures"
WIDE_CSV = FIXTURES / "synthetic-wide-finnish-excel.csv"
DOCS = Path(django_settings.BASE_DIR) / "docs" / "FILE-IMPORT.md"
POPULATION_ARGUMENTS = [
    "--source-key",
    "sotkanet",
    "--indicator",
    "127",
    "--indicator-title",
    "Väestö 31.12.",
    "--map",
    "area=municipality_code",
    "--map",
    "value=primary.value",
]
# A few real areas, for the parser tests that run without a database.
AREAS = AreaIndex(
    [
        KnownArea(1, AreaKind.MUNICIPALITY, "491", ("Mikkeli", "S:t Michel", "Mikkeli")),
        KnownArea(2, AreaKind.MUNICIPALITY, "178", ("Juva", "Jockas", "Juva")),
        KnownArea(3, AreaKind.MUNICIPALITY, "588", ("Pertunmaa", "Pertunmaa", "Pertunmaa"), None, 2024),
        KnownArea(4, AreaKind.SEUTUKUNTA, "101", ("Mikkeli", "S:t Michel", "Mikkeli")),
        KnownArea(5, AreaKind.MAAKUNTA, "10", ("Etelä-Savo", "Södra Savolax", "South Savo")),
        KnownArea(6, AreaKind.COUNTRY, "FI", ("Koko maa", "Hela landet", "Whole country")),
    ]
)


def import_file(path: Path, *arguments: str) -> str:
    out = io.StringIO()
    call_command("import", "file", str(path), *arguments, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def population_in_file() -> dict[tuple[str, int], float]:
    with POPULATION.open(encoding="utf-8", newline="") as fh:
        return {
            (row["municipality_code"].zfill(3), int(row["year"])): float(row["primary.value"])
            for row in csv.DictReader(fh)
        }


def values_of(indicator: Indicator) -> dict[tuple[str, int], float | None]:
    return {
        (code, year): value
        for code, year, value in Observation.objects.filter(indicator=indicator).values_list(
            "area__code", "year", "value"
        )
    }


def workbook_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the real population file ------------------------------------------------------------------------------


def test_population_file_loads_into_sotkanet_indicator_127(world):
    output = import_file(POPULATION, *POPULATION_ARGUMENTS)
    indicator = Indicator.objects.get(source__key="sotkanet", external_id="127")
    expected = population_in_file()
    assert len(expected) == 7107
    stored = values_of(indicator)
    assert stored == expected
    assert [stored[("491", year)] for year in (2000, 2009, 2020, 2021, 2022)] == [55222, 54435, 52583, 52122, 51980]
    assert (indicator.first_year, indicator.last_year) == (2000, 2022)
    assert Observation.objects.filter(indicator=indicator).values("area").distinct().count() == 309
    run = ImportRun.objects.get()
    assert run.source.key == "file" and run.status == ImportStatus.SUCCEEDED and run.rows_added == 7107
    assert "7107 values for 309 areas, 2000–2022" in output
    assert "Columns not read: 'rownames'" in output


def test_second_identical_import_changes_nothing(world):
    import_file(POPULATION, *POPULATION_ARGUMENTS)
    output = import_file(POPULATION, *POPULATION_ARGUMENTS)
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.UNCHANGED
    assert (run.rows_added, run.rows_changed, run.rows_unchanged) == (0, 0, 7107)
    assert "7107 rows, 0 added, 0 changed: nothing changed" in output
    assert Observation.objects.count() == 7107


def test_the_run_keeps_the_file_as_it_came(world):
    import_file(POPULATION, *POPULATION_ARGUMENTS)
    run = ImportRun.objects.get()
    content = POPULATION.read_bytes()
    assert gzip.decompress(bytes(run.raw_payload or b"")) == content
    assert run.checksum == files.services.checksum(content)
    assert run.parameters["map"] == {"area": "municipality_code", "value": "primary.value"}
    assert run.source_url == POPULATION.resolve().as_uri()


def test_population_as_a_file_indicator_of_its_own(world):
    import_file(
        POPULATION,
        "--indicator",
        "sotkanet-127",
        "--indicator-title",
        "Väestö 31.12. (Sotkanet 127, geofi)",
        "--unit",
        "henkeä",
        "--source-name",
        "THL / Sotkanet",
        "--vintage",
        "geofi's pull of Sotkanet 127, 2000–2022",
        "--map",
        "area=municipality_code",
        "--map",
        "value=primary.value",
    )
    indicator = Indicator.objects.get(source__key="file", external_id="sotkanet-127")
    assert (indicator.title_fi, indicator.unit, indicator.organisation) == (
        "Väestö 31.12. (Sotkanet 127, geofi)",
        "henkeä",
        "THL / Sotkanet",
    )
    assert indicator.vintage.startswith("geofi's pull")
    assert values_of(indicator)[("491", 2022)] == 51980


def test_another_source_needs_its_indicator_or_a_title(world):
    arguments = [a for a in POPULATION_ARGUMENTS if a not in ("--indicator-title", "Väestö 31.12.")]
    with pytest.raises(CommandError, match="Sotkanet \\(THL\\) has no indicator '127' in Tilannekuva"):
        import_file(POPULATION, *arguments)
    assert not Indicator.objects.filter(external_id="127").exists()
    sotkanet_127 = Indicator.objects.create(source=source("sotkanet"), external_id="127", title_fi="Väestö 31.12.")
    import_file(POPULATION, *arguments)
    assert Observation.objects.filter(indicator=sotkanet_127).count() == 7107


def test_another_sources_indicator_keeps_its_own_metadata(world):
    sotkanet_127 = Indicator.objects.create(
        source=source("sotkanet"), external_id="127", title_fi="Väestö 31.12.", unit="henkilöä"
    )
    output = import_file(POPULATION, *POPULATION_ARGUMENTS, "--unit", "henkeä", "--indicator-title", "Muu nimi")
    sotkanet_127.refresh_from_db()
    assert (sotkanet_127.title_fi, sotkanet_127.unit) == ("Väestö 31.12.", "henkilöä")
    assert "are kept as Sotkanet (THL) gives them" in output


def test_an_unknown_source_key_is_refused(world, tmp_path):
    path = write(tmp_path, "a.csv", "indicator;area;year;value\nx;491;2020;1\n")
    with pytest.raises(CommandError, match="--source-key nosuch: there is no such source"):
        import_file(path, "--source-key", "nosuch")


# --- the formats -------------------------------------------------------------------------------------------


def test_long_csv_with_codes_names_kinds_genders_and_decimal_commas(world, tmp_path):
    path = write(
        tmp_path,
        "synthetic-long.csv",
        "\ufeffindicator;area;year;gender;classification;value;absolute_value\n"
        "hyte-1;491;2020;total;;12,5;6 520\n"
        "hyte-1;Mikkeli;2021;yhteensä;;13,0;\n"
        "hyte-1;Mikkeli;2021;naiset;;14,25;\n"
        "hyte-1;maakunta:10;2020;;;11;\n"
        "hyte-1;hyvinvointialue:12;2020;;;11,5;\n"
        "hyte-1;seutukunta:101;2020;;;12;\n"
        "hyte-1;koko maa;2020;;;10;\n"
        "hyte-2;FI;2020;miehet;15–24;1.5e1;\n"
        "hyte-2;9;2020;;;..;\n",
    )
    output = import_file(path, "--source-name", "Hyvinvointikertomus (synthetic)")
    stored = {
        (o.indicator.external_id, o.area.kind, o.area.code, o.year, o.gender, o.classification): (
            o.value,
            o.absolute_value,
        )
        for o in Observation.objects.select_related("indicator", "area")
    }
    assert stored == {
        ("hyte-1", "municipality", "491", 2020, "total", ""): (12.5, 6520.0),
        ("hyte-1", "municipality", "491", 2021, "total", ""): (13.0, None),
        ("hyte-1", "municipality", "491", 2021, "female", ""): (14.25, None),
        ("hyte-1", "maakunta", "10", 2020, "total", ""): (11.0, None),
        ("hyte-1", "wellbeing_services_county", "12", 2020, "total", ""): (11.5, None),
        ("hyte-1", "seutukunta", "101", 2020, "total", ""): (12.0, None),
        ("hyte-1", "country", "FI", 2020, "total", ""): (10.0, None),
        ("hyte-2", "country", "FI", 2020, "male", "15–24"): (15.0, None),
    }
    assert "Cells without a value (empty, '..' or '.'), skipped: 1." in output
    assert set(Indicator.objects.filter(source__key="file").values_list("organisation", flat=True)) == {
        "Hyvinvointikertomus (synthetic)"
    }


def test_comma_separated_csv_with_quoted_decimal_comma(world, tmp_path):
    path = write(tmp_path, "synthetic-comma.csv", 'indicator,area,year,value\r\nx,491,2020,"12,5"\r\nx,178,2020,3\r\n')
    import_file(path)
    assert values_of(Indicator.objects.get(external_id="x")) == {("491", 2020): 12.5, ("178", 2020): 3.0}


def test_wide_csv_as_finnish_excel_exports_it(world):
    output = import_file(
        WIDE_CSV,
        "--indicator",
        "teaviisari-synthetic",
        "--indicator-title",
        "TEA-viisari, synteettinen",
        "--direction",
        "higher_is_better",
        "--unit",
        "pistettä",
    )
    indicator = Indicator.objects.get(source__key="file", external_id="teaviisari-synthetic")
    assert indicator.direction == "higher_is_better"
    stored = values_of(indicator)
    assert stored[("491", 2019)] == 71.5 and stored[("491", 2022)] == 76.25
    assert ("491", 2021) not in stored and ("178", 2020) not in stored
    assert stored[("10", 2021)] == 68.0 and stored[("FI", 2022)] == 73.0
    assert len(stored) == 18
    assert "CSV, wide format, 18 values for 5 areas, 2019–2022" in output
    assert "skipped: 2." in output


def test_synthetic_wide_xlsx_reads_the_named_sheet(world, tmp_path):
    path = tmp_path / "synthetic-wide.xlsx"
    path.write_bytes(
        workbook_bytes(
            {
                "Ohje": [["Tämä välilehti on ohje, ei dataa."]],
                "Tiedot": [
                    ["Kunta", 2020, 2021.0, "2022"],
                    [491, 12.5, "13,5", None],
                    ["Juva", 10, 11, 12],
                    [None, None, None, None],
                    ["hyvinvointialue:12", 1.25, 2, 3],
                ],
            }
        )
    )
    output = import_file(path, "--sheet", "Tiedot", "--indicator", "vitality-synthetic")
    stored = values_of(Indicator.objects.get(external_id="vitality-synthetic"))
    assert stored == {
        ("491", 2020): 12.5,
        ("491", 2021): 13.5,
        ("178", 2020): 10.0,
        ("178", 2021): 11.0,
        ("178", 2022): 12.0,
        ("12", 2020): 1.25,
        ("12", 2021): 2.0,
        ("12", 2022): 3.0,
    }
    assert "XLSX, wide format" in output
    again = import_file(path, "--sheet", "Tiedot", "--indicator", "vitality-synthetic")
    assert "nothing changed" in again
    with pytest.raises(CommandError, match=r"the file has a header \(row 1\) but no rows of data"):
        import_file(path, "--indicator", "vitality-synthetic")  # the first sheet holds the instructions only
    with pytest.raises(CommandError, match=r"the workbook has no sheet 'Data' \(it has: Ohje, Tiedot\)"):
        import_file(path, "--sheet", "Data", "--indicator", "vitality-synthetic")


def test_long_xlsx_with_an_indicator_column(world, tmp_path):
    path = tmp_path / "synthetic-long.xlsx"
    path.write_bytes(
        workbook_bytes(
            {"Sheet": [["indicator", "area", "year", "value"], ["a", "Mikkeli", 2020, 1], ["b", 178, 2020, 2]]}
        )
    )
    import_file(path)
    assert set(Indicator.objects.filter(source__key="file").values_list("external_id", flat=True)) == {"a", "b"}


def test_a_revised_value_is_updated_and_counted(world, tmp_path):
    path = write(tmp_path, "synthetic.csv", "indicator;area;year;value\nx;491;2020;1\nx;178;2020;2\n")
    import_file(path)
    path.write_text("indicator;area;year;value\nx;491;2020;1,5\nx;178;2020;2\n", encoding="utf-8")
    output = import_file(path)
    run = ImportRun.objects.latest("pk")
    assert (run.rows_added, run.rows_changed, run.rows_unchanged) == (0, 1, 1)
    assert "0 added, 1 changed, 1 unchanged" in output
    assert Observation.objects.get(area__code="491").value == 1.5


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("491", "municipality", "491"),
        ("0491", "municipality", "491"),
        ("9", "municipality", "009"),
        ("Mikkeli", "municipality", "491"),
        ("mikkeli", "municipality", "491"),
        ("S:t Michel", "municipality", "491"),
        ("kunta:Mikkeli", "municipality", "491"),
        ("seutukunta:Mikkeli", "seutukunta", "101"),
        ("seutukunta:101", "seutukunta", "101"),
        ("maakunta:10", "maakunta", "10"),
        ("Etelä-Savo", "maakunta", "10"),
        ("hyvinvointialue:12", "wellbeing_services_county", "12"),
        ("wellbeing_services_county:2", "wellbeing_services_county", "02"),
        ("FI", "country", "FI"),
        ("koko maa", "country", "FI"),
        ("SSS", "country", "FI"),
    ],
)
def test_areas_by_code_kind_and_name(world, text, kind, code):
    found = AreaIndex.from_database().find(text)
    assert (found.kind, found.code) == (kind, code)


def test_map_names_the_missing_header(world, tmp_path):
    path = write(tmp_path, "a.csv", "kunta;vuosi;arvo\n491;2020;1\n")
    with pytest.raises(CommandError, match="--map area=Alue: the header has no column 'Alue'"):
        import_file(path, "--indicator", "x", "--map", "area=Alue", "--map", "year=vuosi", "--map", "value=arvo")
    import_file(path, "--indicator", "x", "--map", "area=Kunta", "--map", "year=vuosi", "--map", "value=arvo")
    assert Observation.objects.get().value == 1.0


# --- faults --------------------------------------------------------------------------------------------------


def test_one_bad_row_refuses_the_whole_file_and_names_it(world, tmp_path):
    good = write(tmp_path, "good.csv", "indicator;area;year;value\nx;491;2020;1\nx;178;2020;2\n")
    import_file(good)
    lines = ["indicator;area;year;value"] + [f"x;491;{year};{year - 2000}" for year in range(2001, 2013)]
    lines.insert(13, "x;491;2020;12,5x")  # the 14th row of the file
    bad = write(tmp_path, "bad.csv", "\n".join(lines) + "\n")
    with pytest.raises(CommandError) as raised:
        import_file(bad)
    assert "row 14, column 'value': '12,5x' is not a number" in str(raised.value)
    assert "nothing was changed" in str(raised.value)
    assert values_of(Indicator.objects.get(external_id="x")) == {("491", 2020): 1.0, ("178", 2020): 2.0}
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.FAILED and "row 14, column 'value'" in run.errors
    assert gzip.decompress(bytes(run.raw_payload or b"")) == bad.read_bytes()


def test_every_fault_is_listed_with_its_row_and_column(world, tmp_path):
    path = write(
        tmp_path,
        "faults.csv",
        "indicator;area;year;value;gender\n"
        "x;491;2020;1;total\n"
        "x;999;2020;1;total\n"
        "x;491;20215;1;total\n"
        "x;491;2021;abc;total\n"
        "x;Pertunmaa;2025;1;total\n"
        "x;491;2022;1;both\n"
        "x;Mikkeli;2020;2;yhteensä\n"
        ";491;2023;1;total\n",
    )
    with pytest.raises(CommandError) as raised:
        import_file(path)
    message = str(raised.value)
    for fault in [
        "row 3, column 'area': no area '999'",
        "row 4, column 'year': 20215 is not a year",
        "row 5, column 'value': 'abc' is not a number",
        "row 6, column 'area': Pertunmaa (municipality 588) does not exist in 2025 (it exists up to 2024)",
        "row 7, column 'gender': 'both' is not a gender",
        "row 8: the same indicator, area, year, gender and classification as row 2",
        "row 9, column 'indicator': empty; every row needs an indicator id",
    ]:
        assert fault in message
    assert not Observation.objects.exists() and not Indicator.objects.filter(external_id="x").exists()


def test_more_than_fifty_faults_are_cut_short_with_a_count(world, tmp_path):
    lines = ["indicator;area;year;value"] + [f"x;491;{2000 + i % 20};bad{i}" for i in range(80)]
    path = write(tmp_path, "many.csv", "\n".join(lines) + "\n")
    with pytest.raises(CommandError) as raised:
        import_file(path)
    message = str(raised.value)
    assert "row 51, column 'value': 'bad49' is not a number" in message
    assert "'bad50'" not in message and "... and 30 more" in message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "the file is empty"),
        (b"indicator;area;year;value\r\n", "the file has a header (row 1) but no rows of data"),
        (b"area;value\n491;1\n", "the header has no column 'indicator', 'year'"),
        (b"indicator;area;year;value;year\nx;491;2020;1;2020\n", "the header names the column 'year' twice"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "an old Excel workbook (.xls)"),
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"PK\x03\x04not really a zip", "not a readable XLSX workbook"),
        ("indicator;area\n".encode("utf-16"), "UTF-16"),
        ("indicator;area;year;value\nx;Hämeenlinna;2020;1\n".encode("cp1252"), "row 2: the file is not UTF-8"),
        (b'indicator;area;year;value\nx;491;2020;"1"2\n', "row 2: the CSV is malformed"),
        (b"indicator,area,year,value\nx,491,2020,12,5\n", "row 2: 5 cells, but the header names 4 columns"),
    ],
)
def test_files_that_cannot_be_read_fail_clearly(world, tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        import_file(path)
    assert message in str(raised.value)
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not Observation.objects.exists() and not Indicator.objects.exists()


def test_a_missing_file_is_a_failed_run(world, tmp_path):
    with pytest.raises(CommandError, match="the file cannot be read"):
        import_file(tmp_path / "nowhere.csv")
    assert ImportRun.objects.get().status == ImportStatus.FAILED


def test_indicator_option_and_column_exclude_each_other(world, tmp_path):
    path = write(tmp_path, "a.csv", "indicator;area;year;value\nx;491;2020;1\n")
    with pytest.raises(CommandError, match="the file has an indicator column"):
        import_file(path, "--indicator", "y")


def test_one_title_cannot_name_several_indicators(world, tmp_path):
    path = write(tmp_path, "a.csv", "indicator;area;year;value\nx;491;2020;1\ny;491;2020;1\n")
    with pytest.raises(CommandError, match="--indicator-title names one indicator, but the file holds 2: x, y"):
        import_file(path, "--indicator-title", "Otsikko")
    assert not Indicator.objects.exists()


def test_wide_file_faults_name_the_year_column(world, tmp_path):
    path = write(tmp_path, "w.csv", "Alue;2019;2020;20215\n491;1;x;\n999;1;2;\n")
    with pytest.raises(CommandError) as raised:
        import_file(path, "--indicator", "w")
    assert "row 1, column 4: the header '20215' is not a year" in str(raised.value)
    path = write(tmp_path, "w.csv", "Alue;2019;2020\n491;1;x\n999;1;2\n")
    with pytest.raises(CommandError) as raised:
        import_file(path, "--indicator", "w")
    message = str(raised.value)
    assert "row 2, column '2020': 'x' is not a number" in message
    assert "row 3, column 'Alue': no area '999'" in message
    path = write(tmp_path, "w.csv", "Alue;2024;2025\n588;1;2\n")
    with pytest.raises(CommandError, match="row 2, column '2025': Pertunmaa \\(municipality 588\\) does not exist"):
        import_file(path, "--indicator", "w")


# --- parsers, without a database -----------------------------------------------------------------------------


def long_csv(rows: list[tuple[str, str, str, str]], *, delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["indicator", "area", "year", "value"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_text(value: float, *, comma: bool) -> str:
    text = repr(value)
    return text.replace(".", ",") if comma else text


area_texts = st.sampled_from(["491", "Mikkeli", "178", "juva", "maakunta:10", "FI", "koko maa", "seutukunta:101"])
values = st.floats(allow_nan=False, allow_infinity=False)
good_rows = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), area_texts, st.integers(1990, 2024), values, st.booleans()),
    min_size=1,
    max_size=12,
    unique_by=lambda r: (r[0], AREAS.find(r[1]).pk, r[2]),
)


@given(good_rows, st.sampled_from([";", ","]))
def test_any_valid_long_file_reads_back_value_by_value(rows, delimiter):
    content = long_csv(
        [(i, area, str(year), as_text(v, comma=comma)) for i, area, year, v, comma in rows], delimiter=delimiter
    )
    parsed = rows_from(read_table(content), areas=AREAS)
    assert [(r.indicator, r.area.pk, r.year, r.value) for r in parsed.rows] == [
        (i, AREAS.find(area).pk, year, v) for i, area, year, v, _ in rows
    ]


def _bad_value(rows: list[list[str]], data: st.DataObject) -> tuple[list[list[str]], str]:
    k = data.draw(st.integers(0, len(rows) - 1))
    junk = data.draw(
        st.text(alphabet="0123456789,.-+eE xäö#", min_size=1, max_size=8).filter(
            lambda t: t.strip() not in file_rows.NO_VALUE and not _reads_as_number(t)
        )
    )
    rows[k][3] = junk
    return rows, f"row {k + 2}, column 'value': '{junk.strip()}' is not a number"


def _reads_as_number(text: str) -> bool:
    try:
        file_rows.number_of(text)
    except ValueError:
        return False
    return True


def _bad_year(rows: list[list[str]], data: st.DataObject) -> tuple[list[list[str]], str]:
    k = data.draw(st.integers(0, len(rows) - 1))
    year = data.draw(st.one_of(st.integers(10000, 99999), st.integers(0, 1799), st.integers(2201, 9999)))
    rows[k][2] = str(year)
    return rows, f"row {k + 2}, column 'year': {year} is not a year"


def _unknown_area(rows: list[list[str]], data: st.DataObject) -> tuple[list[list[str]], str]:
    k = data.draw(st.integers(0, len(rows) - 1))
    code = data.draw(st.sampled_from(["999", "Atlantis", "maakunta:99", "seutukunta:Juva"]))
    rows[k][1] = code
    return rows, f"row {k + 2}, column 'area': no area '{code}'"


def _duplicate(rows: list[list[str]], data: st.DataObject) -> tuple[list[list[str]], str]:
    k = data.draw(st.integers(0, len(rows) - 1))
    rows.append(list(rows[k]))
    return rows, f"row {len(rows) + 1}: the same indicator, area, year, gender and classification as row {k + 2}"


def _too_many_cells(rows: list[list[str]], data: st.DataObject) -> tuple[list[list[str]], str]:
    k = data.draw(st.integers(0, len(rows) - 1))
    rows[k].append("extra")
    return rows, f"row {k + 2}: 5 cells, but the header names 4 columns"


BREAKAGES: list[Callable[[list[list[str]], st.DataObject], tuple[list[list[str]], str]]] = [
    _bad_value,
    _bad_year,
    _unknown_area,
    _duplicate,
    _too_many_cells,
]


@settings(max_examples=200)
@given(good_rows, st.sampled_from(BREAKAGES), st.data())
def test_a_broken_row_is_refused_naming_its_row_and_column(rows, breakage, data):
    table = [[i, area, str(year), as_text(v, comma=True)] for i, area, year, v, _ in rows]
    broken, message = breakage(table, data)
    with pytest.raises(ImportDataError) as raised:
        rows_from(read_table(long_csv([tuple(r) for r in broken])), areas=AREAS)  # type: ignore[misc]
    assert any(error.startswith(message) for error in raised.value.errors), raised.value.errors


@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_with_a_message(content):
    try:
        table = read_table(content)
    except (ImportDataError, TableError) as exc:
        assert exc.errors and all(exc.errors)
        return
    try:
        rows_from(table, areas=AREAS, indicator="x")
    except (ImportDataError, TableError) as exc:
        assert exc.errors and all(exc.errors)


@given(st.text(alphabet=st.sampled_from(list(';,"\n\r\t xä.0123456789FIabMikel:')), max_size=200))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        rows_from(read_table(text.encode("utf-8")), areas=AREAS)
    except (ImportDataError, TableError) as exc:
        assert exc.errors and all(exc.errors)


cells = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8).filter(lambda t: not t.startswith("=")),
    st.booleans(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1)),
    st.sampled_from(["491", "Mikkeli", "2020", "12,5", "..", "FI", "yhteensä"]),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(["indicator", "area", "year", "value", "gender", 2020, 2021]), cells), max_size=6
    ),
    st.lists(st.lists(cells, max_size=7), max_size=6),
)
def test_any_workbook_is_read_or_refused_with_a_message(header, rows):
    content = workbook_bytes({"Sheet": [header, *rows]})
    try:
        parsed = rows_from(read_table(content), areas=AREAS, indicator=None if "indicator" in header else "x")
    except (ImportDataError, TableError) as exc:
        assert exc.errors and all(exc.errors)
        return
    assert parsed.rows


@functools.cache
def sound_workbook() -> bytes:
    """Made once: an XLSX carries its save time, so two workbooks made a second apart differ in length, and
    Hypothesis needs the same draws in every run of one example."""
    return workbook_bytes({"Sheet": [["indicator", "area", "year", "value"], ["x", 491, 2020, 1.5]]})


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_damaged_workbook_is_refused_with_a_message(data):
    content = sound_workbook()
    start = data.draw(st.integers(0, len(content) - 1))
    damaged = content[:start] + data.draw(st.binary(min_size=1, max_size=40)) + content[start + 40 :]
    try:
        read_table(damaged)
    except (ImportDataError, TableError) as exc:
        assert exc.errors and all(exc.errors)


def test_numbers_as_finnish_excel_writes_them():
    assert file_rows.number_of("12,5") == 12.5
    assert file_rows.number_of("1 234 567,25") == 1234567.25
    assert file_rows.number_of("1\u00a0234") == 1234.0
    assert file_rows.number_of("\u22123,5") == -3.5
    assert file_rows.number_of("..") is None and file_rows.number_of("") is None
    for text in ["12,5x", "1.234,5", "12 5", "nan", "inf", "1_000", "-"]:
        with pytest.raises(ValueError, match="is not a number"):
            file_rows.number_of(text)


# --- faults through the whole command: nothing is written --------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(good_rows, st.sampled_from(BREAKAGES), st.data())
def test_a_broken_file_writes_nothing(world, tmp_path_factory, rows, breakage, data):
    table = [[i, area, str(year), as_text(v, comma=True)] for i, area, year, v, _ in rows]
    broken, message = breakage(table, data)
    path = tmp_path_factory.mktemp("broken") / "synthetic-broken.csv"
    path.write_bytes(long_csv([tuple(r) for r in broken]))  # type: ignore[misc]
    observations, indicators = Observation.objects.count(), Indicator.objects.count()
    with pytest.raises(CommandError) as raised:
        import_file(path)
    assert message in str(raised.value)
    assert (Observation.objects.count(), Indicator.objects.count()) == (observations, indicators)
    assert ImportRun.objects.latest("pk").status == ImportStatus.FAILED


# --- documentation -------------------------------------------------------------------------------------------


def test_every_option_and_column_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    parser = argparse.ArgumentParser()
    files.SOURCE.add_arguments(parser)
    options = [o for action in parser._actions for o in action.option_strings if o.startswith("--") and o != "--help"]
    assert options and all(option in text for option in options), [o for o in options if o not in text]
    for column in file_rows.COLUMNS:
        assert f"`{column}`" in text
    assert re.search(r"tilannekuva import file", text) and "tilannekuva export observations" in text
    for kind in AreaKind.values:
        if kind != AreaKind.OTHER:
            assert kind in text
