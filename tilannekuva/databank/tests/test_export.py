"""Export: an indicator's values for a region's municipalities (members in each year), the region and the country.

The values are the real population file (data/population/sotkadata_population.csv, Sotkanet 127, 2000–2022),
loaded through the file import; values added by a test for other areas or years are synthetic and say so.
"""

import argparse
import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tilannekuva.databank import selectors
from tilannekuva.databank.exports import COLUMNS
from tilannekuva.databank.management.commands.export import Command
from tilannekuva.databank.models import ImportRun, ImportStatus, Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.regions.models import Area, AreaKind

POPULATION = settings.DATA_DIR / "population" / "sotkadata_population.csv"
DOCS = Path(settings.BASE_DIR) / "docs" / "FILE-IMPORT.md"
ETELA_SAVO_2023 = ["046", "097", "178", "213", "491", "507", "588", "593", "623", "681", "740", "768"]
ETELA_SAVO_2022_TOTAL = 130451  # the sum of the twelve municipalities' populations in the file, 2022


@pytest.fixture
def population(world) -> Indicator:
    call_command(
        "import",
        "file",
        str(POPULATION),
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
        stdout=io.StringIO(),
    )
    return Indicator.objects.get(source__key="sotkanet", external_id="127")


def export(*arguments: str) -> str:
    out = io.StringIO()
    call_command("export", "observations", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def add_synthetic(tmp_path: Path, lines: list[str]) -> None:
    """Synthetic values through the file import, for areas and years the population file does not cover."""
    path = tmp_path / "synthetic-extra.csv"
    path.write_text("indicator;area;year;value\n" + "\n".join(lines) + "\n", encoding="utf-8")
    call_command("import", "file", str(path), "--source-key", "sotkanet", stdout=io.StringIO())


def test_csv_lists_each_municipality_of_the_region_per_year(population):
    rows = read_csv(export("--indicator", "127", "--region", "etela-savo", "--years", "2020-2022"))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 12 * 3
    assert sorted({r["area_code"] for r in rows}) == ETELA_SAVO_2023
    mikkeli = [(r["year"], r["value"]) for r in rows if r["area_code"] == "491"]
    assert mikkeli == [("2020", "52583"), ("2021", "52122"), ("2022", "51980")]
    first = rows[0]
    assert first == {
        "indicator": "127",
        "area_code": "046",
        "area_name": "Enonkoski",
        "area_kind": "municipality",
        "year": "2020",
        "gender": "total",
        "value": "1369",
        "absolute_value": "",
    }
    assert sum(float(r["value"]) for r in rows if r["year"] == "2022") == ETELA_SAVO_2022_TOTAL


def test_every_year_with_values_is_the_default(population):
    rows = read_csv(export("--indicator", "127", "--source", "sotkanet", "--region", "maakunta:10"))
    assert sorted({int(r["year"]) for r in rows}) == list(range(2000, 2023))
    assert len(rows) == 12 * 23


def test_region_and_country_values_follow_the_municipalities(population, tmp_path):
    add_synthetic(tmp_path, [f"127;maakunta:10;2022;{ETELA_SAVO_2022_TOTAL}", "127;FI;2022;5563970"])
    rows = read_csv(export("--indicator", "127", "--region", "etela-savo", "--years", "2022"))
    assert [r["area_kind"] for r in rows] == ["municipality"] * 12 + ["maakunta", "country"]
    assert (rows[-2]["area_name"], rows[-2]["value"]) == ("Etelä-Savo", str(ETELA_SAVO_2022_TOTAL))
    assert (rows[-1]["area_code"], rows[-1]["area_name"]) == ("FI", "Koko maa")


def test_membership_is_per_year(population, tmp_path):
    # Synthetic values for 2024 and 2025: Pertunmaa (588) merged into Mäntyharju (507) on 1.1.2025.
    add_synthetic(tmp_path, ["127;588;2024;1700", "127;507;2024;5500", "127;507;2025;7100"])
    pertunmaa = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="588")
    Observation.objects.create(indicator=population, area=pertunmaa, year=2025, value=1.0)  # not a member in 2025
    rows = read_csv(export("--indicator", "127", "--region", "etela-savo", "--years", "2024-2025"))
    assert [(r["area_code"], r["year"]) for r in rows] == [("507", "2024"), ("507", "2025"), ("588", "2024")]


def test_json_and_xlsx_hold_the_same_rows_as_csv(population, tmp_path):
    arguments = ["--indicator", "127", "--region", "etela-savo", "--years", "2021-2022"]
    from_csv = read_csv(export(*arguments))
    from_json = json.loads(export(*arguments, "--format", "json"))
    assert len(from_json) == len(from_csv) == 24
    assert from_json[0] == {
        "indicator": "127",
        "area_code": "046",
        "area_name": "Enonkoski",
        "area_kind": "municipality",
        "year": 2021,
        "gender": "total",
        "value": 1362,
        "absolute_value": None,
    }
    output = tmp_path / "population.xlsx"
    message = export(*arguments, "--format", "xlsx", "--output", str(output))
    assert f"24 values of Väestö 31.12. (sotkanet 127) for Etelä-Savo written to {output}" in message
    workbook = openpyxl.load_workbook(output, read_only=True)
    header, *rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert header == list(COLUMNS)
    padded = [row + [None] * (len(COLUMNS) - len(row)) for row in rows]  # an empty last cell is not stored
    assert [dict(zip(COLUMNS, row, strict=True)) for row in padded] == from_json


def test_csv_to_a_file_has_a_byte_order_mark_for_excel(population, tmp_path):
    output = tmp_path / "population.csv"
    export("--indicator", "127", "--region", "etela-savo", "--years", "2022", "--output", str(output))
    content = output.read_bytes()
    assert content.startswith(b"\xef\xbb\xbfindicator;area_code;")
    assert "Mäntyharju" in content.decode("utf-8-sig")


def test_an_exported_csv_imports_back_unchanged(population, tmp_path):
    add_synthetic(tmp_path, ["127;maakunta:10;2022;1", "127;FI;2022;2"])
    output = tmp_path / "exported.csv"
    export("--indicator", "127", "--region", "etela-savo", "--output", str(output))
    out = io.StringIO()
    call_command("import", "file", str(output), "--source-key", "sotkanet", "--map", "area=area_code", stdout=out)
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.UNCHANGED and run.rows_unchanged == 12 * 23 + 2
    assert "Columns not read: 'area_name'" in out.getvalue()


def test_gender_and_classification_choose_the_series(world):
    indicator = Indicator.objects.create(source=source("file"), external_id="synthetic-by-gender", title_fi="Testi")
    mikkeli = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="491")
    for gender, value in [("total", 3.0), ("male", 1.0), ("female", 2.0)]:
        Observation.objects.create(indicator=indicator, area=mikkeli, year=2020, gender=gender, value=value)
    arguments = ["--indicator", "synthetic-by-gender", "--region", "mikkeli"]
    assert [r["value"] for r in read_csv(export(*arguments))] == ["3"]
    assert [r["gender"] for r in read_csv(export(*arguments, "--gender", "all"))] == ["female", "male", "total"]
    Observation.objects.create(indicator=indicator, area=mikkeli, year=2020, classification="15–24", value=0.5)
    with pytest.raises(CommandError, match="has several classifications \\('', '15–24'\\)"):
        export(*arguments)
    assert [r["value"] for r in read_csv(export(*arguments, "--classification", "15–24"))] == ["0.5"]


def test_unknown_indicator_region_and_shared_ids_are_clear_errors(population):
    with pytest.raises(CommandError, match="No indicator '999'"):
        export("--indicator", "999", "--region", "etela-savo")
    with pytest.raises(CommandError, match="No region or area 'etelä-savo'"):
        export("--indicator", "127", "--region", "etelä-savo")
    Indicator.objects.create(source=source("file"), external_id="127", title_fi="Toinen 127")
    with pytest.raises(CommandError, match="'127' is an indicator of several sources \\(file, sotkanet\\)"):
        export("--indicator", "127", "--region", "etela-savo")
    assert export("--indicator", "127", "--source", "file", "--region", "etela-savo") == (";".join(COLUMNS) + "\n")
    with pytest.raises(CommandError, match="XLSX is a binary file: give --output"):
        export("--indicator", "127", "--source", "sotkanet", "--region", "etela-savo", "--format", "xlsx")


def test_observations_selector_narrows_by_area_year_and_gender(population):
    mikkeli = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="491")
    juva = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="178")
    found = selectors.observations(indicator=population, areas=[mikkeli, juva], years=[2021, 2022], gender="total")
    assert [(o.area.code, o.year, o.value) for o in found] == [
        ("178", 2021, 5887.0),
        ("178", 2022, 5769.0),
        ("491", 2021, 52122.0),
        ("491", 2022, 51980.0),
    ]
    assert selectors.years_of(population)[0] == 2000 and selectors.classifications_of(population) == [""]


def test_every_export_option_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    parser = argparse.ArgumentParser()
    Command().add_arguments(parser)  # type: ignore[arg-type]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = [o for a in sub.choices["observations"]._actions for o in a.option_strings if o != "--help"]
    missing = [o for o in options if o.startswith("--") and o not in text]
    assert not missing
    for column in COLUMNS:
        assert f"`{column}`" in text


def test_the_finnish_dialect_to_standard_output_is_the_files(population, tmp_path):
    from tilannekuva.core.tests.finnish_spreadsheet import finnish_spreadsheet

    arguments = ("--indicator", "127", "--region", "etela-savo", "--years", "2022", "--dialect", "fi")
    printed = export(*arguments).encode("utf-8")
    output = tmp_path / "population.csv"
    export(*arguments, "--output", str(output))
    assert printed == output.read_bytes()
    header, *rows = finnish_spreadsheet(printed)
    enonkoski = dict(zip(header, rows[0], strict=True))
    assert enonkoski["area_code"] == "046" and isinstance(enonkoski["value"], float)
