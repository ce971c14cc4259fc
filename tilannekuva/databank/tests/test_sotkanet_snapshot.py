"""`tilannekuva import sotkanet-snapshot`: the bundled 2013 Sotkanet snapshot of Etelä-Savo, read from the real files
in data/sotkanet/snapshot-2013 (tests that break a file say so and work on a copy)."""

import gzip
import hashlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tilannekuva.databank.models import ImportRun, ImportStatus, Indicator, Observation
from tilannekuva.databank.services import ImportDataError
from tilannekuva.databank.sources import sotkanet_snapshot
from tilannekuva.regions.models import Area, AreaKind

pytestmark = pytest.mark.usefixtures("world")

SNAPSHOT = settings.DATA_DIR / "sotkanet" / "snapshot-2013"
FILE_ROWS = {AreaKind.MUNICIPALITY: 9446, AreaKind.SEUTUKUNTA: 1977, AreaKind.MAAKUNTA: 683}


def import_snapshot(*args: str) -> str:
    out = StringIO()
    call_command("import", "sotkanet-snapshot", *args, stdout=out)
    return out.getvalue()


def value(indicator: str, *, kind: str, name: str, year: int) -> float | None:
    return Observation.objects.get(
        indicator__source__key="sotkanet-snapshot",
        indicator__external_id=indicator,
        area__kind=kind,
        area__name_fi=name,
        year=year,
    ).value


def broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    directory = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT, directory)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


def test_every_row_of_the_three_tables_is_imported():
    output = import_snapshot()
    run = ImportRun.objects.get(source__key="sotkanet-snapshot")
    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_added, run.rows_changed, run.rows_unchanged) == (9446 + 683 + 1977, 0, 0)
    observations = Observation.objects.filter(indicator__source__key="sotkanet-snapshot")
    for kind, rows in FILE_ROWS.items():
        assert observations.filter(area__kind=kind).count() == rows
    assert Indicator.objects.filter(source__key="sotkanet-snapshot").count() == 52
    assert observations.filter(area__kind=AreaKind.MUNICIPALITY).values("area").distinct().count() == 14
    assert "12106 values of 52 indicators for 18 areas, 1990–2012" in output


def test_run_keeps_the_files_and_their_checksum():
    import_snapshot()
    run = ImportRun.objects.get(source__key="sotkanet-snapshot")
    payload = gzip.decompress(bytes(run.raw_payload or b""))
    assert run.checksum == hashlib.sha256(payload).hexdigest()
    for name in ["kunta_etela_savo_long.csv", "Sotkanet_valitut_indikaattorit_20130817.csv"]:
        assert (SNAPSHOT / name).read_bytes() in payload


def test_spot_values_of_municipalities_sub_regions_and_the_maakunta():
    import_snapshot()
    # Mikkeli's population 31.12.2009 is the same figure as in Sotkanet's own 2015 answer (54435).
    assert value("127", kind=AreaKind.MUNICIPALITY, name="Mikkeli", year=2009) == 54435
    assert value("127", kind=AreaKind.MUNICIPALITY, name="Mikkeli", year=2012) == 54519
    assert value("127", kind=AreaKind.MUNICIPALITY, name="Heinävesi", year=2012) == 3742
    assert value("127", kind=AreaKind.MUNICIPALITY, name="Joroinen", year=2012) == 5291
    # The area store names sub-regions 'Mikkeli'; the snapshot calls it 'Mikkelin seutukunta' (Sotkanet 545).
    assert value("181", kind=AreaKind.SEUTUKUNTA, name="Mikkeli", year=2007) == 9.9
    assert value("181", kind=AreaKind.MAAKUNTA, name="Etelä-Savo", year=2008) == 9.7


def test_indicators_take_titles_and_producer_from_the_catalogue():
    import_snapshot()
    indicators = {i.external_id: i for i in Indicator.objects.filter(source__key="sotkanet-snapshot")}
    population = indicators["127"]
    assert (population.title_fi, population.title_sv) == ("Väestö 31.12.", "Befolkning 31.12")
    assert population.organisation == "Tilastokeskus"
    assert "producer's own terms" in population.licence
    assert population.vintage == sotkanet_snapshot.VINTAGE
    assert (population.first_year, population.last_year) == (1990, 2012)
    assert population.metadata["group"] == "YLEISET"
    # THL's own indicator (id 4) is CC BY 4.0.
    assert indicators["4"].licence == "CC BY 4.0"
    # The list calls 178 'Nettomuutto / 1000 asukasta'; the snapshot and the catalogue use the newer title.
    assert indicators["178"].title_fi == "Kuntien välinen nettomuutto / 1 000 asukasta"
    # The list broke this title at its semicolons; it is still joined to its id.
    assert indicators["3855"].metadata["title_2013"].startswith("Tukku- ja vähittäiskauppa; Kuljetus")


def test_second_run_changes_nothing():
    import_snapshot()
    output = import_snapshot()
    second = ImportRun.objects.filter(source__key="sotkanet-snapshot").latest("pk")
    assert second.status == ImportStatus.UNCHANGED
    assert (second.rows_added, second.rows_changed, second.rows_unchanged) == (0, 0, 12106)
    assert "0 added, 0 changed" in output


def test_list_rows_broken_at_semicolons_keep_their_words():
    text = (SNAPSHOT / sotkanet_snapshot.INDICATOR_LIST).read_text(encoding="utf-8")
    listed = {item.id: item for item in sotkanet_snapshot.read_indicator_list(text)}
    assert len(listed) == 67
    title = "Tukku- ja vähittäiskauppa; Kuljetus ja varastointi; Majoitus- ja ravitsemistoiminta , % työllisistä"
    key = sotkanet_snapshot.words(title)
    assert listed[3855].words[: len(key)] == key
    assert listed[3855].group == "TYÖELÄMÄ"


def test_unmatched_title_is_named_and_nothing_is_written(tmp_path):
    # A copy of the maakunta table with one indicator renamed to a title the list does not have.
    directory = broken_copy(
        tmp_path, "maakunta_etela_savo_long.csv", "[YLEISET] Väestö 31.12.", "[YLEISET] Väestö 1.1."
    )
    with pytest.raises(CommandError, match=r"maakunta_etela_savo_long.csv row \d+: the indicator '\[YLEISET\] Väestö"):
        import_snapshot("--dir", str(directory))
    assert not Observation.objects.filter(indicator__source__key="sotkanet-snapshot").exists()
    assert not Indicator.objects.filter(source__key="sotkanet-snapshot").exists()
    assert ImportRun.objects.get(source__key="sotkanet-snapshot").status == ImportStatus.FAILED


def test_bad_number_is_named_with_its_row(tmp_path):
    # A copy of the municipality table with one value broken.
    directory = broken_copy(tmp_path, "kunta_etela_savo_long.csv", ",Mikkeli,2009,54435.0,", ",Mikkeli,2009,54435x,")
    with pytest.raises(
        CommandError, match=r"kunta_etela_savo_long.csv row \d+, column 'Arvo': '54435x' is not a number"
    ):
        import_snapshot("--dir", str(directory))
    assert not Observation.objects.filter(indicator__source__key="sotkanet-snapshot").exists()


def test_unknown_area_is_named(tmp_path):
    # A copy of the municipality table with one municipality misspelt.
    directory = broken_copy(tmp_path, "kunta_etela_savo_long.csv", ",Enonkoski,1997,38.8,", ",Enonkoskii,1997,38.8,")
    with pytest.raises(
        CommandError, match=r"row 2, column 'Alue': 'Enonkoskii' is not a municipality in the area store"
    ):
        import_snapshot("--dir", str(directory))


def test_failure_leaves_an_earlier_import_intact(tmp_path):
    import_snapshot()
    directory = broken_copy(tmp_path, "seutukunta_etela_savo_long.csv", "Savonlinnan seutukunta", "Savonlinnan alue")
    with pytest.raises(CommandError):
        import_snapshot("--dir", str(directory))
    assert Observation.objects.filter(indicator__source__key="sotkanet-snapshot").count() == 12106
    assert Area.objects.filter(kind=AreaKind.SEUTUKUNTA, sotkanet_id=547).exists()


def test_missing_folder_fails_with_its_path(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        import_snapshot("--dir", str(tmp_path / "nowhere"))


def test_list_without_header_is_refused():
    with pytest.raises(ImportDataError, match="row 1: expected the header"):
        sotkanet_snapshot.read_indicator_list("127,Väestö 31.12.,YLEISET\n")
