"""The Sotkanet REST API 1.1 client and `tilannekuva import sotkanet`, run against a local server that serves the
recorded real answers in data/sotkanet/ (never the internet).

Where a test serves something that was not recorded, it says so:
- there is no recorded `/indicators/127` answer, so it is built from indicator 127's entry in the recorded 2015
  catalogue (`indicators-2015.json`): id, titles, producer and classifications, without data-updated or range;
- there is no recorded `/json` answer, so the `/json` route serves the rows of the recorded CSV
  (`csv-indicator127-2009-total.csv`) in the documented JSON shape {indicator, region, year, gender, value,
  absValue?}, numbers as JSON ints/floats and absValue left out where the CSV's is empty;
- broken answers are the recorded ones broken on purpose, each named where it is made.
"""

import csv
import gzip
import hashlib
import json
from datetime import date
from io import StringIO
from typing import Any
from unittest.mock import patch

import httpx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.databank.models import ImportRun, ImportStatus, Indicator, Observation
from tilannekuva.databank.services import ImportDataError
from tilannekuva.databank.sources import sotkanet, sotkanet_api
from tilannekuva.databank.sources.sotkanet_api import parse_csv_rows, parse_json_rows
from tilannekuva.databank.tests.conftest import Answer, RecordedServer
from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.models import Direction

BASE = "/rest/1.1"
DATA = settings.DATA_DIR / "sotkanet"
RECORDED_CSV = (DATA / "csv-indicator127-2009-total.csv").read_bytes()
CSV_QUERY = [("indicator", "127"), ("years", "2009"), ("genders", "total")]
CSV_TYPE = "text/csv; charset=utf-8"


# --- the recorded answers ----------------------------------------------------------------------------------


def catalogue() -> list[dict[str, Any]]:
    return json.loads((DATA / "indicators-2015.json").read_text(encoding="utf-8"))


def metadata_127(**extra: Any) -> dict[str, Any]:
    """No `/indicators/127` answer was recorded: built from 127's entry in the recorded 2015 catalogue."""
    entry = next(item for item in catalogue() if item["id"] == 127)
    return {**entry, **extra}


def metadata_2025() -> dict[int, dict[str, Any]]:
    """The recorded `/indicators/{id}` answers of 2025, unwrapped from the collecting tool's `indicators` dict."""
    return sotkanet.read_recorded_metadata((DATA / "metadata-2025").glob("*.json"))


def csv_records() -> list[list[str]]:
    return list(csv.reader(StringIO(RECORDED_CSV.decode("utf-8"), newline=""), delimiter=";"))[1:]


def number(text: str) -> int | float:
    return int(text) if text.lstrip("-").isdigit() else float(text)


def csv_rows_as_json() -> bytes:
    """The recorded CSV's rows in the documented JSON shape of `/json` (no `/json` answer was recorded)."""
    rows = []
    for indicator, region, year, gender, value, absolute in csv_records():
        row: dict[str, Any] = {
            "indicator": int(indicator),
            "region": int(region),
            "year": int(year),
            "gender": gender,
            "value": number(value),
        }
        if absolute:
            row["absValue"] = number(absolute)
        rows.append(row)
    return json.dumps(rows).encode()


def route(server: RecordedServer, path: str, query: list[tuple[str, str]], answer: Answer) -> None:
    """A route whose query may repeat a parameter (years=2008&years=2009), which `RecordedServer.add` cannot."""
    server.routes[(BASE + path, tuple(sorted(query)))] = answer


def json_answer(document: Any) -> Answer:
    return Answer(json.dumps(document).encode())


@pytest.fixture
def server(recorded_server: RecordedServer, world: None) -> RecordedServer:
    route(recorded_server, "/regions", [], Answer((DATA / "regions-2015.json").read_bytes()))
    route(recorded_server, "/indicators", [], Answer((DATA / "indicators-2015.json").read_bytes()))
    route(recorded_server, "/indicators/127", [], json_answer(metadata_127()))
    for indicator_id, answer in metadata_2025().items():
        route(recorded_server, f"/indicators/{indicator_id}", [], json_answer(answer))
    route(recorded_server, "/csv", CSV_QUERY, Answer(RECORDED_CSV, content_type=CSV_TYPE))
    route(recorded_server, "/json", CSV_QUERY, Answer(csv_rows_as_json()))
    return recorded_server


def sotkanet_import(server: RecordedServer, *args: str) -> str:
    out = StringIO()
    call_command("import", "sotkanet", "--base-url", f"{server.url}{BASE}", "--backoff", "0", *args, stdout=out)
    return out.getvalue()


def requests_to(server: RecordedServer, path: str) -> list[str]:
    return [r for r in server.requests if r.split("?")[0] == BASE + path]


def population(sotkanet_id: int, year: int = 2009) -> float | None:
    return Observation.objects.get(
        indicator__source__key="sotkanet", indicator__external_id="127", area__sotkanet_id=sotkanet_id, year=year
    ).value


def last_run() -> ImportRun:
    return ImportRun.objects.filter(source__key="sotkanet").latest("pk")


def kept_payload(run: ImportRun) -> bytes:
    return gzip.decompress(bytes(run.raw_payload or b""))


# --- the required acceptance test: the recorded CSV, every region row, twice ----------------------------------


def test_csv_import_takes_every_region_row_of_the_recorded_answer(server):
    output = sotkanet_import(server, "--indicators", "127", "--years", "2009", "--format", "csv")
    run = last_run()
    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_added, run.rows_changed, run.rows_unchanged) == (466, 0, 0)
    assert Observation.objects.filter(indicator__external_id="127", year=2009, gender="total").count() == 466
    mikkeli = Area.objects.get(sotkanet_id=228)
    assert (mikkeli.kind, mikkeli.code, mikkeli.name_fi) == (AreaKind.MUNICIPALITY, "491", "Mikkeli")
    assert population(228) == 54435
    assert population(344) == 37204  # Savonlinna
    assert population(282) == 20151  # Pieksämäki
    assert population(658) == 5351427  # Koko maa
    assert Area.objects.get(sotkanet_id=658).kind == AreaKind.COUNTRY
    assert run.source_url == f"{server.url}{BASE}/csv?indicator=127&years=2009&genders=total"
    assert kept_payload(run) == RECORDED_CSV
    assert run.checksum == hashlib.sha256(RECORDED_CSV).hexdigest()
    assert "Sotkanet 127 (Väestö 31.12.): 466 values, 2009–2009." in output

    output = sotkanet_import(server, "--indicators", "127", "--years", "2009", "--format", "csv")
    second = last_run()
    assert second.status == ImportStatus.UNCHANGED
    assert (second.rows_added, second.rows_changed, second.rows_unchanged) == (0, 0, 466)
    assert "466 rows, 0 added, 0 changed: nothing changed." in output
    assert Observation.objects.filter(indicator__external_id="127").count() == 466


def test_regions_missing_from_the_store_become_other_areas(server):
    output = sotkanet_import(server, "--indicators", "127", "--years", "2009", "--format", "csv")
    assert len(requests_to(server, "/regions")) == 1
    in_answer = {int(record[1]) for record in csv_records()}
    in_store = Area.objects.exclude(kind=AreaKind.OTHER).filter(sotkanet_id__in=in_answer)
    made = Area.objects.filter(kind=AreaKind.OTHER, slug__startswith="sotkanet-")
    assert set(made.values_list("sotkanet_id", flat=True)) == in_answer - set(
        in_store.values_list("sotkanet_id", flat=True)
    )
    regions = json.loads((DATA / "regions-2015.json").read_text(encoding="utf-8"))
    listed = next(r for r in regions if r["category"] == "SAIRAANHOITOPIIRI" and r["id"] in in_answer)
    district = Area.objects.get(sotkanet_id=listed["id"])
    assert (district.kind, district.code) == (AreaKind.OTHER, f"SAIRAANHOITOPIIRI-{listed['code']}")
    assert district.slug == f"sotkanet-{listed['id']}"
    assert [district.name_fi, district.name_sv, district.name_en] == [listed["title"][k] for k in ("fi", "sv", "en")]
    # Three regions of the 2009 answer (455, 456, 730; all zero) are not in Sotkanet's 2015 region list.
    unlisted = Area.objects.get(sotkanet_id=455)
    assert (unlisted.kind, unlisted.code, unlisted.name_fi) == (AreaKind.OTHER, "SOTKANET-455", "Sotkanet-alue 455")
    assert "not in Sotkanet's own region list and are named by their id: 455, 456, 730." in output


def test_indicator_from_the_catalogue_entry(server):
    sotkanet_import(server, "--indicators", "127", "--years", "2009", "--format", "csv")
    indicator = Indicator.objects.get(source__key="sotkanet", external_id="127")
    assert (indicator.title_fi, indicator.title_sv, indicator.title_en) == (
        "Väestö 31.12.",
        "Befolkning 31.12",
        "Population at year end",
    )
    assert indicator.organisation == "Tilastokeskus"
    assert "producer's own terms (Tilastokeskus)" in indicator.licence
    assert indicator.direction == Direction.NEUTRAL
    assert indicator.data_updated is None  # the catalogue entry has no data-updated date
    assert (indicator.first_year, indicator.last_year) == (2009, 2009)  # no range: the years held
    assert indicator.vintage.startswith("Sotkanet, haettu 20")
    assert indicator.metadata == metadata_127()


# --- the JSON route -----------------------------------------------------------------------------------------


def test_json_import_gives_the_same_values_as_csv(server):
    sotkanet_import(server, "--indicators", "127", "--years", "2009")
    assert requests_to(server, "/json") == [f"{BASE}/json?indicator=127&years=2009&genders=total"]
    assert Observation.objects.filter(indicator__external_id="127").count() == 466
    assert population(228) == 54435
    assert population(658) == 5351427
    assert last_run().parameters["format"] == "json"


def test_one_request_per_indicator_covers_every_year_and_gender(server):
    # The CSV's rows (2009, total) answer the wider question too: Sotkanet leaves out what it does not have.
    query = [("indicator", "127"), ("years", "2008"), ("years", "2009"), ("genders", "total"), ("genders", "male")]
    route(server, "/json", query, Answer(csv_rows_as_json()))
    sotkanet_import(server, "--indicators", "127", "--years", "2008-2009", "--genders", "total,male")
    assert requests_to(server, "/json") == [
        f"{BASE}/json?indicator=127&years=2008&years=2009&genders=total&genders=male"
    ]
    assert Observation.objects.filter(indicator__external_id="127").count() == 466


def test_two_indicators_in_one_run_with_real_2025_metadata(server):
    # Indicator 5051's values were not recorded; its /json answer here is an empty list (no values asked for).
    route(server, "/json", [("indicator", "5051"), ("years", "2009"), ("genders", "total")], json_answer([]))
    output = sotkanet_import(server, "--indicators", "127,5051", "--years", "2009")
    hip_fractures = Indicator.objects.get(source__key="sotkanet", external_id="5051")
    recorded = metadata_2025()[5051]
    assert hip_fractures.title_fi == recorded["title"]["fi"]
    assert hip_fractures.organisation == "Terveyden ja hyvinvoinnin laitos (THL)"
    assert hip_fractures.licence == "CC BY 4.0"
    assert (hip_fractures.unit, hip_fractures.decimals) == ("Prosenttia", 1)
    assert hip_fractures.data_updated == date(2025, 4, 3)
    assert (hip_fractures.first_year, hip_fractures.last_year) == (2001, 2023)
    assert hip_fractures.metadata == recorded
    assert "Sotkanet 5051" in output and ": 0 values, no years." in output
    run = last_run()
    payload = kept_payload(run)
    assert payload.startswith(f"GET {server.url}{BASE}/json?indicator=127&years=2009&genders=total\n".encode())
    assert f"GET {server.url}{BASE}/json?indicator=5051&years=2009&genders=total\n[]\n".encode() in payload
    assert run.source_url.splitlines() == [
        f"{server.url}{BASE}/json?indicator=127&years=2009&genders=total",
        f"{server.url}{BASE}/json?indicator=5051&years=2009&genders=total",
    ]


def test_metadata_of_other_producers_names_their_terms():
    fields = sotkanet.indicator_fields(metadata_2025()[186], indicator_id=186)
    assert fields["organisation"] == "Tilastokeskus"
    assert fields["licence"].startswith("the producer's own terms (Tilastokeskus)")
    assert fields["unit"] == "Sataa tuhatta asukasta kohden"
    assert fields["title_en"] == "Mortality per 100 000 inhabitants"
    assert (fields["first_year"], fields["last_year"], fields["data_updated"]) == (1990, 2024, date(2025, 4, 29))


def test_metadata_for_another_id_is_refused():
    with pytest.raises(ImportDataError, match=r"/indicators/322, field 'id': 186, expected 322"):
        sotkanet.indicator_fields(metadata_2025()[186], indicator_id=322)


# --- failures: a clear error, nothing written, the run recorded as failed -----------------------------------


def assert_failed_and_nothing_written(match: str) -> ImportRun:
    run = last_run()
    assert run.status == ImportStatus.FAILED
    assert match in run.errors
    assert run.finished_at is not None
    assert not Observation.objects.filter(indicator__source__key="sotkanet").exists()
    assert not Indicator.objects.filter(source__key="sotkanet").exists()
    assert not Area.objects.filter(slug__startswith="sotkanet-").exists()
    return run


def test_server_error_three_times_fails_cleanly(server):
    route(server, "/json", CSV_QUERY, Answer(b'{"error": "internal"}', status=500))
    with pytest.raises(CommandError, match="Sotkanet answered HTTP 500 for .*/json.* \\(after 3 tries\\)"):
        sotkanet_import(server, "--indicators", "127", "--years", "2009")
    assert len(requests_to(server, "/json")) == 3
    assert_failed_and_nothing_written("HTTP 500")


def test_failure_of_a_later_indicator_undoes_the_whole_run(server):
    route(server, "/json", [("indicator", "5051"), ("years", "2009"), ("genders", "total")], Answer(b"", status=503))
    with pytest.raises(CommandError, match="HTTP 503"):
        sotkanet_import(server, "--indicators", "127,5051", "--years", "2009")
    assert len(requests_to(server, "/json")) == 4  # 127 once, 5051 three times
    assert_failed_and_nothing_written("HTTP 503")


def test_garbage_json_fails_and_leaves_earlier_data_intact(server):
    sotkanet_import(server, "--indicators", "127", "--years", "2009")
    route(
        server,
        "/json",
        CSV_QUERY,
        Answer(b"<html><body>Palvelu ei ole k\xc3\xa4ytett\xc3\xa4viss\xc3\xa4</body></html>"),
    )
    with pytest.raises(CommandError, match="json: the answer is not valid JSON"):
        sotkanet_import(server, "--indicators", "127", "--years", "2009", "--force")
    run = last_run()
    assert run.status == ImportStatus.FAILED
    assert run.raw_payload is not None  # what came is kept for the audit
    assert Observation.objects.filter(indicator__external_id="127").count() == 466
    assert population(228) == 54435


def test_slow_answer_beyond_the_timeout_fails(server):
    route(server, "/json", CSV_QUERY, Answer(csv_rows_as_json(), delay=1.0))
    with pytest.raises(CommandError, match="no answer in time"):
        sotkanet_import(server, "--indicators", "127", "--years", "2009", "--timeout", "0.2")
    assert_failed_and_nothing_written("no answer in time")


def test_non_numeric_value_half_way_names_its_row_and_column(server):
    sotkanet_import(server, "--indicators", "127", "--years", "2009", "--format", "csv")
    # The recorded CSV with row 14's primary value (570521) broken.
    lines = RECORDED_CSV.split(b"\r\n")
    lines[13] = lines[13].replace(b";570521;", b";12,5x;")
    route(server, "/csv", CSV_QUERY, Answer(b"\r\n".join(lines), content_type=CSV_TYPE))
    with pytest.raises(CommandError, match="csv row 14, column 'primary value': '12,5x' is not a number"):
        sotkanet_import(server, "--indicators", "127", "--years", "2009", "--format", "csv", "--force")
    assert last_run().status == ImportStatus.FAILED
    assert Observation.objects.filter(indicator__external_id="127").count() == 466
    assert population(835) == 570521


BROKEN_ANSWERS = {
    # name: (format, the recorded answer broken as said, the error expected)
    "unknown gender": ("json", lambda rows: rows[2].update(gender="both"), "json row 3, field 'gender': 'both'"),
    "value as text": ("json", lambda rows: rows[5].update(value="54435"), "json row 6, field 'value'"),
    "missing region": ("json", lambda rows: rows[0].pop("region"), "json row 1: field 'region' is missing"),
    "another indicator": ("json", lambda rows: rows[7].update(indicator=128), "json row 8, field 'indicator': 128"),
    "a year not asked": ("json", lambda rows: rows[9].update(year=2010), "json row 10, field 'year': 2010 was not"),
    "truncated csv": ("csv", lambda text: text[: text.index(b"\r\n", 400) - 2], "the answer ends in the middle"),
    "wrong header": ("csv", lambda text: text.replace(b"primary value", b"value", 1), "csv header: expected"),
    "extra column": ("csv", lambda text: text.replace(b";54435;\r\n", b";54435;;\r\n"), "csv row 105: 7 columns"),
}


@pytest.mark.parametrize("case", BROKEN_ANSWERS)
def test_broken_answer_fails_with_a_clear_error_and_writes_nothing(server, case):
    fmt, breaks, expected = BROKEN_ANSWERS[case]
    if fmt == "json":
        rows = json.loads(csv_rows_as_json())
        breaks(rows)
        route(server, "/json", CSV_QUERY, json_answer(rows))
    else:
        route(server, "/csv", CSV_QUERY, Answer(breaks(RECORDED_CSV), content_type=CSV_TYPE))
    with pytest.raises(CommandError) as failure:
        sotkanet_import(server, "--indicators", "127", "--years", "2009", "--format", fmt)
    assert expected in str(failure.value)
    assert_failed_and_nothing_written(expected)


# --- --regions and the incremental skip ---------------------------------------------------------------------


def test_regions_filter_keeps_the_region_its_municipalities_and_the_country(server):
    output = sotkanet_import(server, "--indicators", "127", "--years", "2009", "--regions", "etela-savo")
    maakunta = Area.objects.get(kind=AreaKind.MAAKUNTA, code="10")
    expected = {maakunta.name_fi, "Koko maa", *members_of(maakunta, year=2009).values_list("name_fi", flat=True)}
    imported = set(Observation.objects.filter(indicator__external_id="127").values_list("area__name_fi", flat=True))
    assert imported == expected
    assert len(imported) == 14  # 12 municipalities (the earliest key answers for 2009), the maakunta, the country
    assert "Mikkeli" in imported and "Kuopio" not in imported
    assert not requests_to(server, "/regions")
    assert not Area.objects.filter(slug__startswith="sotkanet-").exists()
    assert "14 values, 2009–2009 (452 outside --regions left out)." in output


def test_unknown_region_is_refused_before_any_request(server):
    with pytest.raises(CommandError, match="No region or area 'etela-savonia'"):
        sotkanet_import(server, "--indicators", "127", "--years", "2009", "--regions", "etela-savonia")
    assert server.requests == []


def test_unchanged_source_is_skipped_until_forced_or_updated(server):
    # The recorded catalogue entry has no data-updated date or range; the test adds them to exercise the skip.
    route(server, "/indicators/127", [], json_answer(metadata_127(**{"data-updated": "2015-10-01"})))
    sotkanet_import(server, "--indicators", "127", "--years", "2009")
    assert last_run().status == ImportStatus.SUCCEEDED

    output = sotkanet_import(server, "--indicators", "127", "--years", "2009")
    assert last_run().status == ImportStatus.SKIPPED
    assert "skipped" in output
    assert len(requests_to(server, "/json")) == 1

    sotkanet_import(server, "--indicators", "127", "--years", "2009", "--force")
    assert last_run().status == ImportStatus.UNCHANGED
    assert len(requests_to(server, "/json")) == 2

    route(server, "/indicators/127", [], json_answer(metadata_127(**{"data-updated": "2016-03-01"})))
    sotkanet_import(server, "--indicators", "127", "--years", "2009")
    assert last_run().status == ImportStatus.UNCHANGED
    assert len(requests_to(server, "/json")) == 3
    assert Indicator.objects.get(external_id="127", source__key="sotkanet").data_updated == date(2016, 3, 1)


def test_years_without_observations_are_fetched_despite_an_unchanged_date(server):
    route(server, "/indicators/127", [], json_answer(metadata_127(**{"data-updated": "2015-10-01"})))
    sotkanet_import(server, "--indicators", "127", "--years", "2009")
    query = [("indicator", "127"), ("years", "2009"), ("years", "2010"), ("genders", "total")]
    route(server, "/json", query, Answer(csv_rows_as_json()))
    sotkanet_import(server, "--indicators", "127", "--years", "2009-2010")
    assert last_run().status == ImportStatus.UNCHANGED
    assert requests_to(server, "/json")[-1] == f"{BASE}/json?indicator=127&years=2009&years=2010&genders=total"


def test_client_reads_the_recorded_catalogue_regions_and_data(server):
    with sotkanet_api.SotkanetClient(f"{server.url}{BASE}", backoff=0) as client:
        catalogue_entries = client.indicators()
        regions = client.regions()
        rows = client.data(127, years=[2009], genders=["total"], fmt="csv")
        assert parsed(client.data(127, years=[2009], genders=["total"])) == parsed(rows)
        client.regions()  # answered from the client's cache
    assert len(catalogue_entries) == 2434
    assert len(regions) == 511
    assert len(rows) == 466
    assert len(requests_to(server, "/regions")) == 1


def test_client_sends_a_user_agent():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    with sotkanet_api.SotkanetClient(
        "https://sotkanet.example/rest/1.1", transport=httpx.MockTransport(answer)
    ) as client:
        assert client.regions() == []
    assert seen[0].url == "https://sotkanet.example/rest/1.1/regions"
    assert seen[0].headers["User-Agent"].startswith("Tilannekuva/")


def test_user_agent_carries_the_operators_contact(settings, monkeypatch):
    import importlib

    from tilannekuva import settings as project_settings

    monkeypatch.setenv("HTTP_CONTACT", "mailto:tietopalvelut@example.fi")
    try:
        agent = importlib.reload(project_settings).HTTP_USER_AGENT
    finally:
        monkeypatch.delenv("HTTP_CONTACT")
        importlib.reload(project_settings)
    assert agent.endswith("; +mailto:tietopalvelut@example.fi)")
    assert "github.com/tilannekuva" not in agent  # no placeholder address
    seen: list[httpx.Request] = []
    settings.HTTP_USER_AGENT = agent

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    with sotkanet_api.SotkanetClient(
        "https://sotkanet.example/rest/1.1", transport=httpx.MockTransport(answer)
    ) as client:
        client.regions()
    assert "+mailto:tietopalvelut@example.fi" in seen[0].headers["User-Agent"]


# --- the parsers, with hypothesis: every broken answer fails with the row and field named -------------------

valid_rows = st.lists(
    st.fixed_dictionaries(
        {
            "indicator": st.integers(1, 20000),
            "region": st.integers(1, 5000),
            "year": st.integers(1990, 2030),
            "gender": st.sampled_from(sotkanet_api.GENDERS),
            "value": st.one_of(
                st.integers(-(10**9), 10**9), st.floats(-1e9, 1e9, allow_nan=False).map(lambda f: round(f, 3))
            ),
        },
        optional={"absValue": st.integers(0, 10**7)},
    ),
    min_size=1,
    max_size=12,
)


def as_csv(rows: list[dict[str, Any]]) -> str:
    lines = [";".join(sotkanet_api.CSV_HEADER)]
    for row in rows:
        cells = [row["indicator"], row["region"], row["year"], row["gender"], row["value"], row.get("absValue", "")]
        lines.append(";".join(str(cell) for cell in cells))
    return "\r\n".join(lines) + "\r\n"


def as_tuples(rows: list[dict[str, Any]]) -> list[tuple]:
    return [(r["indicator"], r["region"], r["year"], r["gender"], float(r["value"]), r.get("absValue")) for r in rows]


def parsed(rows: list[sotkanet_api.SotkanetRow]) -> list[tuple]:
    return [(r.indicator, r.region, r.year, r.gender, r.value, r.absolute_value) for r in rows]


@given(valid_rows)
def test_valid_answers_parse_alike_in_json_and_csv(rows):
    assert parsed(parse_json_rows(json.dumps(rows))) == as_tuples(rows)
    assert parsed(parse_csv_rows(as_csv(rows))) == as_tuples(rows)


@given(valid_rows, st.data())
def test_truncated_answers_fail(rows, data):
    text = json.dumps(rows)
    with pytest.raises(ImportDataError, match="json: the answer is not valid JSON"):
        parse_json_rows(text[: data.draw(st.integers(1, len(text) - 1))])
    lines = as_csv(rows).split("\r\n")
    row = data.draw(st.integers(1, len(rows)))
    cut = data.draw(st.integers(1, len(lines[row])))
    truncated = "\r\n".join(lines[:row]) + "\r\n" + lines[row][:cut]
    with pytest.raises(ImportDataError, match=rf"csv row {row + 1}: the answer ends in the middle of this row"):
        parse_csv_rows(truncated)


wrong_values = st.one_of(
    st.text(max_size=5), st.lists(st.integers(), max_size=2), st.booleans(), st.none(), st.just({"a": 1})
)


@given(valid_rows, st.data())
def test_wrong_types_in_json_name_row_and_field(rows, data):
    row = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.sampled_from(["indicator", "region", "year", "gender", "value"]))
    wrong = data.draw(wrong_values.filter(lambda v: v not in sotkanet_api.GENDERS))
    if field in ("indicator", "region", "year"):
        wrong = data.draw(st.one_of(st.just(wrong), st.just(2009.5), st.just(-1)))
    rows[row][field] = wrong
    with pytest.raises(ImportDataError, match=rf"json row {row + 1}, field '{field}'"):
        parse_json_rows(json.dumps(rows))


@given(valid_rows, st.data())
def test_missing_fields_in_json_are_named(rows, data):
    row = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.sampled_from(sotkanet_api.JSON_REQUIRED))
    del rows[row][field]
    with pytest.raises(ImportDataError) as failure:
        parse_json_rows(json.dumps(rows))
    assert f"json row {row + 1}: field '{field}' is missing" in str(failure.value)


@given(valid_rows, st.data())
def test_fields_sotkanet_adds_are_ignored_and_logged_not_fatal(rows, data):
    row = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)) + "_extra"
    plain = parse_json_rows(json.dumps(rows))
    rows[row][field] = {"anything": [1]}
    with patch.object(sotkanet_api.logger, "warning") as warning:
        assert parse_json_rows(json.dumps(rows)) == plain
    assert field in warning.call_args.args[-1]


def test_a_csv_column_sotkanet_adds_is_ignored_and_logged():
    text = "indicator;region;year;gender;primary value;absolute value;new column\n127;18;2020;total;1369;1369;x\n"
    with patch.object(sotkanet_api.logger, "warning") as warning:
        rows = sotkanet_api.parse_csv_rows(text)
    assert [(r.region, r.year, r.value) for r in rows] == [(18, 2020, 1369.0)]
    assert "new column" in warning.call_args.args[-1]


def test_json_that_is_not_a_list_of_objects_is_refused():
    with pytest.raises(ImportDataError, match="json: the answer is an object, not a list of rows"):
        parse_json_rows(b'{"error": "not found"}')
    with pytest.raises(ImportDataError, match="json row 2: a list, not an object"):
        parse_json_rows(b'[{"indicator": 1, "region": 2, "year": 2009, "gender": "total", "value": 1}, [1]]')
    with pytest.raises(ImportDataError, match="json row 1, field 'value': 'NaN' is not a number"):
        parse_json_rows(b'[{"indicator": 1, "region": 2, "year": 2009, "gender": "total", "value": NaN}]')


bad_numbers = st.text(alphabet=st.characters(blacklist_characters=';\r\n"\x00'), min_size=0, max_size=8).filter(
    lambda s: not sotkanet_api.DECIMAL_NUMBER.fullmatch(s.strip())
)


@given(valid_rows, st.data())
def test_bad_numbers_in_csv_name_row_and_column(rows, data):
    text = as_csv(rows)
    lines = text.split("\r\n")
    row = data.draw(st.integers(1, len(rows)))
    bad = data.draw(bad_numbers)
    cells = lines[row].split(";")
    cells[4] = bad
    lines[row] = ";".join(cells)
    with pytest.raises(ImportDataError) as failure:
        parse_csv_rows("\r\n".join(lines))
    assert f"csv row {row + 1}, column 'primary value': {bad.strip()!r} is not a number" in str(failure.value)


@given(valid_rows, st.data())
def test_missing_and_extra_columns_in_csv_are_named(rows, data):
    lines = as_csv(rows).split("\r\n")
    row = data.draw(st.integers(1, len(rows)))
    if data.draw(st.booleans()):
        lines[row] = lines[row].rsplit(";", 1)[0]
        count = 5
    else:
        lines[row] += ";" + data.draw(st.text(alphabet="0123456789x", max_size=4))
        count = 7
    with pytest.raises(ImportDataError, match=rf"csv row {row + 1}: {count} columns, expected 6"):
        parse_csv_rows("\r\n".join(lines))


@given(valid_rows, st.data())
def test_wrong_csv_header_is_refused(rows, data):
    # A header missing a column is refused; one with an added column is read by the names (and the addition
    # logged: test_a_csv_column_sotkanet_adds_is_ignored_and_logged).
    header = list(sotkanet_api.CSV_HEADER)
    change = data.draw(st.sampled_from(["drop", "rename", "twice"]))
    if change == "drop":
        header.pop(data.draw(st.integers(0, 5)))
    elif change == "rename":
        header[data.draw(st.integers(0, 5))] = "arvo"
    else:
        header[data.draw(st.integers(1, 5))] = header[0]
    text = as_csv(rows).split("\r\n", 1)[1]
    with pytest.raises(ImportDataError, match="csv header: expected 'indicator;region;year;gender;primary value"):
        parse_csv_rows(";".join(header) + "\r\n" + text)


def test_csv_accepts_empty_absolute_values_and_comma_decimals():
    rows = parse_csv_rows(
        ";".join(sotkanet_api.CSV_HEADER) + "\r\n127;228;2009;male;12,5;\r\n127;228;2009;female;7.25;3\r\n"
    )
    assert parsed(rows) == [(127, 228, 2009, "male", 12.5, None), (127, 228, 2009, "female", 7.25, 3.0)]
