"""Importing THL's and VM's official tables: one transaction, idempotent, faults named by row and column."""

import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilannekuva.dashboard.models import CacheGeneration
from tilannekuva.funding.files import FigureFileError, parse_number, parse_rows, read_table
from tilannekuva.funding.models import EuroFigure, FigureImport, IndicatorFigure
from tilannekuva.funding.services import import_content, import_figures

pytestmark = pytest.mark.django_db


def test_thl_and_vm_tables_are_stored_per_year(official_files, table_codes):
    thl, vm = official_files
    result = import_figures(path=thl, kind="thl")
    import_figures(path=vm, kind="vm")
    assert result.batches[0].rows_added == len(table_codes) * 28  # 21 indicators, 6 earlier years, the total
    assert IndicatorFigure.objects.filter(year=2024, indicator="total").count() == len(table_codes)
    assert EuroFigure.objects.filter(year=2024).count() == len(table_codes)
    assert not IndicatorFigure.objects.filter(synthetic=True).exists()


def test_second_identical_import_changes_nothing(official_files):
    thl, _vm = official_files
    import_figures(path=thl, kind="thl")
    again = import_figures(path=thl, kind="thl").batches[0]
    assert (again.rows_added, again.rows_changed, again.rows_removed) == (0, 0, 0)
    assert again.rows_unchanged > 0


def test_a_corrected_table_replaces_the_year(official_files, tmp_path):
    _thl, vm = official_files
    import_figures(path=vm, kind="vm")
    lines = vm.read_text(encoding="utf-8").splitlines()
    header, first, rest = lines[0], lines[1], lines[2:]
    year, code, residents, _eur = first.split(";")
    corrected = tmp_path / "vm-corrected.csv"
    corrected.write_text("\n".join([header, f"{year};{code};{residents};123,45", *rest[:-1]]) + "\n", encoding="utf-8")
    batch = import_figures(path=corrected, kind="vm").batches[0]
    assert (batch.rows_changed, batch.rows_removed) == (1, 1)
    assert EuroFigure.objects.get(year=2024, area__code=code, area__kind="municipality").eur == Decimal("123.45")


def test_a_bad_row_names_its_row_and_column_and_changes_nothing(official_files, tmp_path):
    thl, _vm = official_files
    lines = thl.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(";", 1)[0] + ";12,5x"
    lines[5] = "2024;999;P1;100;100"
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FigureFileError) as caught:
        import_figures(path=broken, kind="thl")
    assert "row 4, column 'points': '12,5x' is not a number" in str(caught.value)
    assert not IndicatorFigure.objects.exists() and not FigureImport.objects.exists()


def test_unknown_area_and_indicator_are_refused_by_row(tmp_path):
    content = (
        b"year;area_code;indicator;value\n2024;999;P1;100\n2024;491;no-such;1\n2031;491;total;1\n"
        b"2024;491;P2;50\n2024;491;O2;101\n2024;491;P3.previous;0\n"
    )
    with pytest.raises(FigureFileError) as caught:
        import_content(content=content, name="t.csv", kind="thl")
    message = str(caught.value)
    assert "row 2, column 'area_code': no municipality with code 999 in 2024" in message
    assert "row 3, column 'indicator': 'no-such' is not in hyte-municipalities-2024.yaml" in message
    assert "row 4, column 'year': there is no parameter file for municipality 2031" in message
    assert "row 5, column 'value': P2 is scored 0 or 100 (VNA 1393/2022 liite), not 50" in message
    assert "row 6, column 'value': 101 is outside O2's range 0–100" in message
    assert "row 7, column 'indicator': 'P3.previous' is not in hyte-municipalities-2024.yaml" in message


def test_a_missing_column_is_named(world):
    with pytest.raises(FigureFileError, match="column 'eur' is missing"):
        import_content(content=b"year;area_code\n2024;491\n", name="vm.csv", kind="vm")


def test_xlsx_is_read_like_csv(official_files, tmp_path):
    _thl, vm = official_files
    workbook = openpyxl.Workbook()
    for line in vm.read_text(encoding="utf-8").splitlines():
        workbook.active.append([int(c) if c.isdigit() else c for c in line.split(";")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_content(content=buffer.getvalue(), name="vm.xlsx", kind="vm")
    assert result.batches[0].rows_added == EuroFigure.objects.count() > 0


def test_a_synthetic_file_name_marks_the_figures_synthetic(official_files, tmp_path):
    _thl, vm = official_files
    synthetic = tmp_path / "SYNTHETIC-vm.csv"
    synthetic.write_bytes(vm.read_bytes())
    import_figures(path=synthetic, kind="vm")
    assert EuroFigure.objects.filter(synthetic=False).count() == 0
    assert FigureImport.objects.get().synthetic


def test_an_import_raises_the_dashboard_cache_generation(official_files, django_capture_on_commit_callbacks):
    thl, _vm = official_files
    before = CacheGeneration.objects.filter(key="dashboard").values_list("value", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        import_figures(path=thl, kind="thl")
    assert CacheGeneration.objects.get(key="dashboard").value > before


def test_finnish_and_english_numbers_are_read():
    assert parse_number("1 234,5") == 1234.5
    assert parse_number("−1,5") == -1.5
    assert parse_number("12.5") == 12.5
    assert parse_number("") is None
    with pytest.raises(ValueError):
        parse_number("1,2.3")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_give_rows_or_a_named_fault(content):
    try:
        parse_rows(read_table(content, name="x.csv"), kind="thl", level="municipality")
    except FigureFileError as exc:
        assert exc.errors


@settings(max_examples=40)
@given(st.binary(max_size=200))
def test_a_damaged_workbook_is_a_named_fault(content):
    with pytest.raises(FigureFileError, match="XLSX"):
        read_table(b"PK\x03\x04" + content, name="x.xlsx")
