"""Every indicator is reachable through the open data API whatever its id at the source holds (StatFin's ids
carry colons), and the API's observations CSV is the command line's export, column for column and byte for byte.
The values are SYNTHETIC unless a test says otherwise."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command

from tilannekuva.dashboard.tests.conftest import area
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source

# One id of each form the importers give (databank/sources/): Sotkanet's number, the 2013 snapshot's number,
# StatFin's table:value (old long table id and the short one since June 2026), a re-pointed StatFin series kept
# under a plain id, PTV's series names, a file's own ids.
ID_FORMS = [
    ("sotkanet", "127"),
    ("sotkanet-snapshot", "127"),
    ("statfin", "statfin_vaerak_pxt_11ra:vaesto"),
    ("statfin", "11re:vaerak-vaesto"),
    ("statfin", "vaesto"),
    ("ptv", "services-responsible"),
    ("file", "hyvinvointikertomus.osuus_2"),
]


def make(source_key: str, external_id: str) -> Indicator:
    indicator = Indicator.objects.create(
        source=source(source_key), external_id=external_id, title_fi=f"SYNTEETTINEN {external_id}"
    )
    for year, value in ((2023, 1.5), (2024, 2.0)):
        Observation.objects.create(indicator=indicator, area=area("municipality", "491"), year=year, value=value)
    return indicator


@pytest.mark.parametrize(("source_key", "external_id"), ID_FORMS)
def test_every_id_form_answers_as_indicator_observations_and_jsonstat(client, world, source_key, external_id):
    make(source_key, external_id)
    full = f"{source_key}:{external_id}"
    found = client.get(f"/api/v1/indicators/{full}/")
    assert found.status_code == 200, found.content
    assert found.json()["indicator"]["id"] == full
    listed = client.get("/api/v1/observations/", {"indicator": full})
    assert listed.status_code == 200, listed.content
    assert [r["value"] for r in listed.json()["results"]] == [1.5, 2]
    dataset = client.get("/api/v1/observations/", {"indicator": full, "format": "jsonstat"})
    assert dataset.status_code == 200, dataset.content
    assert sorted(
        dataset.json()["value"].values() if isinstance(dataset.json()["value"], dict) else dataset.json()["value"]
    ) == [1.5, 2]


def test_an_id_without_its_source_is_found_when_only_one_source_has_it(client, world):
    make("statfin", "11re:vaerak-vaesto")
    assert client.get("/api/v1/indicators/11re:vaerak-vaesto/").status_code == 200
    make("statfin", "127")
    make("sotkanet", "127")
    assert client.get("/api/v1/indicators/127/").status_code == 404  # ambiguous: SOURCE: is needed
    assert client.get("/api/v1/indicators/statfin:nothing/").status_code == 404


def test_api_csv_is_the_command_lines_export(client, world, tmp_path):
    make("statfin", "11re:vaerak-vaesto")
    output = tmp_path / "export.csv"
    call_command(
        "export",
        "observations",
        "--indicator",
        "11re:vaerak-vaesto",
        "--source",
        "statfin",
        "--region",
        "municipality:491",
        "--output",
        str(output),
        stdout=StringIO(),
    )
    answer = client.get(
        "/api/v1/observations/",
        {"indicator": "statfin:11re:vaerak-vaesto", "area": "municipality:491", "format": "csv"},
    )
    assert answer.status_code == 200
    assert answer.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, like the exported file
    assert answer.content == output.read_bytes()
    header = next(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert header == ["indicator", "area_code", "area_name", "area_kind", "year", "gender", "value", "absolute_value"]


def test_api_csv_in_the_finnish_dialect(client, world):
    make("statfin", "11re:vaerak-vaesto")
    answer = client.get(
        "/api/v1/observations/", {"indicator": "statfin:11re:vaerak-vaesto", "format": "csv", "dialect": "fi"}
    )
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["area_code"], r["value"]) for r in rows] == [('="491"', "1,5"), ('="491"', "2")]
    assert client.get("/api/v1/observations/", {"indicator": "127", "dialect": "excel"}).status_code == 400


def test_a_statfin_series_imported_from_its_recorded_answer_answers_as_jsonstat(client, world):
    """Real: the recorded PxWeb answer of table 11ra (data/statfin/recent/, data/SOURCES.md), imported as
    `statfin:11ra:vaerak-vaesto`; Mikkeli's population 31.12.2025 is 51 551."""
    from django.conf import settings

    call_command(
        "import",
        "statfin",
        "--table",
        "11ra",
        "--value",
        "vaerak-vaesto",
        "--indicator-id",
        "vaesto-11ra",
        "--indicator-title",
        "Väestö 31.12.",
        "--from-file",
        str(settings.DATA_DIR / "statfin" / "recent" / "11ra-2025-recorded.json"),
        stdout=StringIO(),
    )
    answer = client.get(
        "/api/v1/observations/",
        {"indicator": "statfin:11ra:vaerak-vaesto", "area": "municipality:491", "format": "jsonstat"},
    )
    assert answer.status_code == 200
    values = answer.json()["value"]
    assert list(values.values() if isinstance(values, dict) else values) == [51551]
    assert client.get("/api/v1/indicators/statfin:11ra:vaerak-vaesto/").json()["indicator"]["last_year"] == 2025
