"""Statistics Finland's PxWeb client: the JSON-stat 2.0 reader, the area mapping and `tilannekuva import statfin`.

There is no recorded PxWeb answer in the repository. The fixture
`fixtures/pxweb-population-constructed-from-real-values.json` is therefore constructed, and says so in its name and
its `note`: the 15 values are real (population 31.12. of Enonkoski, Juva, Mikkeli, Mäntyharju and Pieksämäki in
2020–2022, Statistics Finland's figures as served by Sotkanet indicator 127, copied from
`data/population/sotkadata_population.csv`); the JSON-stat envelope around them (ids, labels, order, unit) is written
by hand in the shape of a PxWeb json-stat2 answer. Tests that change the document further (a changed value, an
unknown area, an empty cell) say so where they do it.
"""

import copy
import gzip
import hashlib
import json
import math
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tilannekuva.databank.models import ImportRun, ImportStatus, Indicator, Observation
from tilannekuva.databank.services import ImportDataError, source
from tilannekuva.databank.sources import pxweb, pxweb_jsonstat
from tilannekuva.databank.sources.base import year_span
from tilannekuva.databank.tests.conftest import Answer, RecordedServer
from tilannekuva.regions.models import Area, AreaKind

FIXTURE = Path(__file__).parent / "fixtures" / "pxweb-population-constructed-from-real-values.json"
DATABASE = "/PXWeb/api/v1/fi/StatFin/"
TABLE = f"{DATABASE}vaerak/statfin_vaerak_pxt_11ra.px"
ARGUMENTS = [
    "--table",
    "statfin_vaerak_pxt_11ra",
    "--area-dimension",
    "Alue",
    "--year-dimension",
    "Vuosi",
    "--value-dimension",
    "Tiedot:vaesto",
    "--indicator-id",
    "population",
    "--indicator-title",
    "Väestö 31.12.",
    "--years",
    "2020-2022",
]
REAL_POPULATION = {  # data/population/sotkadata_population.csv, indicator 127
    ("046", 2020): 1369,
    ("178", 2021): 5887,
    ("491", 2020): 52583,
    ("491", 2021): 52122,
    ("491", 2022): 51980,
    ("507", 2022): 5564,
    ("593", 2022): 17077,
}


def fixture_bytes() -> bytes:
    return FIXTURE.read_bytes()


def fixture_document() -> dict[str, Any]:
    return json.loads(fixture_bytes())


# --- a local PxWeb: the shared recorded server answers GET only, so POST gets its own small handler here -----


@dataclass
class PostServer(RecordedServer):
    """RecordedServer's routes, answering POST; every request body is kept (parsed as JSON) in `bodies`."""

    bodies: list[Any] = field(default_factory=list)


@pytest.fixture
def pxweb_server() -> Iterator[PostServer]:
    state = PostServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(self.path)
            state.bodies.append(json.loads(body) if body else None)
            answer = state.find(self.path) or Answer(b'{"error": "not recorded"}', status=404)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries back off for seconds in production; the tests need not wait."""
    monkeypatch.setattr("tilannekuva.core.http.time.sleep", lambda seconds: None)


def serve(server: PostServer, body: bytes | dict[str, Any], status: int = 200) -> None:
    payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    server.add(TABLE, None, Answer(payload, status=status))


def import_statfin(server: PostServer, *extra: str) -> str:
    out = StringIO()
    call_command("import", "statfin", *ARGUMENTS, "--base-url", server.url + DATABASE, *extra, stdout=out)
    return out.getvalue()


def population(code: str, year: int) -> float | None:
    return Observation.objects.get(
        indicator__source__key="statfin", area__kind=AreaKind.MUNICIPALITY, area__code=code, year=year
    ).value


# --- JSON-stat 2.0 reader -----------------------------------------------------------------------------------


def test_fixture_reads_as_the_real_population_values_in_row_major_order():
    cells = list(pxweb_jsonstat.jsonstat_cells(fixture_document()))
    assert len(cells) == 15
    assert cells[0] == ({"Alue": "KU046", "Tiedot": "vaesto", "Vuosi": "2020"}, 1369.0)
    assert cells[7] == ({"Alue": "KU491", "Tiedot": "vaesto", "Vuosi": "2021"}, 52122.0)
    by_cell = {(c["Alue"][2:], int(c["Vuosi"])): v for c, v in cells}
    assert {key: by_cell[key] for key in REAL_POPULATION} == REAL_POPULATION


def test_index_as_a_list_and_value_as_an_object_read_the_same():
    document = fixture_document()
    other = copy.deepcopy(document)
    other["dimension"]["Alue"]["category"]["index"] = ["KU046", "KU178", "KU491", "KU507", "KU593"]
    other["value"] = {str(i): v for i, v in enumerate(document["value"])}
    assert list(pxweb_jsonstat.jsonstat_cells(other)) == list(pxweb_jsonstat.jsonstat_cells(document))


def test_a_single_category_may_leave_out_its_index_and_missing_positions_have_no_value():
    document = fixture_document()
    del document["dimension"]["Tiedot"]["category"]["index"]
    document["value"] = {"0": 1369, "14": 17077}
    document["status"] = {"1": ".."}
    dataset = pxweb_jsonstat.read_dataset(document)
    values = [value for _, value in dataset.cells()]
    assert values[0] == 1369.0 and values[14] == 17077.0 and values[1:14] == [None] * 13
    assert dataset.status == {1: ".."}


def test_json_with_a_key_twice_or_nan_is_refused():
    with pytest.raises(ImportDataError, match="has the key 'KU491' twice in one object"):
        pxweb_jsonstat.load_json(b'{"index": {"KU491": 0, "KU491": 1}}', url="http://x")
    with pytest.raises(ImportDataError, match="contains NaN, which is not a JSON number"):
        pxweb_jsonstat.load_json(b'{"value": [NaN]}', url="http://x")


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid JSON-stat 2.0 dataset of 1–3 dimensions of 1–4 categories, index and value in either form."""
    ids = draw(st.lists(st.from_regex(r"[A-Z][a-z]{1,6}", fullmatch=True), min_size=1, max_size=3, unique=True))
    dimension = {}
    sizes = []
    for dimension_id in ids:
        codes = draw(st.lists(st.from_regex(r"[A-Z0-9]{1,5}", fullmatch=True), min_size=1, max_size=4, unique=True))
        index: list[str] | dict[str, int] = codes if draw(st.booleans()) else {c: i for i, c in enumerate(codes)}
        labels = {c: f"{dimension_id} {c}" for c in codes}
        dimension[dimension_id] = {"label": dimension_id, "category": {"index": index, "label": labels}}
        sizes.append(len(codes))
    numbers = st.one_of(st.none(), st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False))
    values = draw(st.lists(numbers, min_size=math.prod(sizes), max_size=math.prod(sizes)))
    value: list[Any] | dict[str, Any] = values
    if draw(st.booleans()):
        value = {str(i): v for i, v in enumerate(values) if v is not None}
    return {"version": "2.0", "class": "dataset", "id": ids, "size": sizes, "dimension": dimension, "value": value}


def codes_of(document: dict[str, Any], dimension_id: str) -> list[str]:
    index = document["dimension"][dimension_id]["category"]["index"]
    return list(index) if isinstance(index, list) else sorted(index, key=index.__getitem__)


@given(datasets())
def test_any_valid_dataset_reads_back_cell_by_cell(document):
    ids, sizes = document["id"], document["size"]
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
    raw = document["value"]
    cells = list(pxweb_jsonstat.jsonstat_cells(document))
    assert len(cells) == math.prod(sizes)
    for codes, value in cells:
        position = sum(codes_of(document, d).index(codes[d]) * stride for d, stride in zip(ids, strides, strict=True))
        expected = raw[position] if isinstance(raw, list) else raw.get(str(position))
        assert value == (None if expected is None else float(expected))


def _pick(draw: st.DrawFn, document: dict[str, Any], *, min_size: int = 1) -> str:
    candidates = [d for d, s in zip(document["id"], document["size"], strict=True) if s >= min_size]
    assume(candidates)
    return draw(st.sampled_from(candidates))


def _as_list(document: dict[str, Any]) -> list[Any]:
    raw = document["value"]
    if isinstance(raw, dict):
        document["value"] = [raw.get(str(i)) for i in range(math.prod(document["size"]))]
    return document["value"]


def drop_a_value(draw: st.DrawFn, document: dict[str, Any]) -> str:
    values = _as_list(document)
    values.pop()
    return rf"value has {len(values)} entries, size says {re.escape(pxweb_jsonstat._product(document['size']))} = \d+"


def add_a_value(draw: st.DrawFn, document: dict[str, Any]) -> str:
    values = _as_list(document)
    values.append(1)
    return rf"value has {len(values)} entries, size says .* = {len(values) - 1}$"


def list_a_code_twice(draw: st.DrawFn, document: dict[str, Any]) -> str:
    dimension_id = _pick(draw, document, min_size=2)
    codes = codes_of(document, dimension_id)
    codes[1] = codes[0]
    document["dimension"][dimension_id]["category"]["index"] = codes
    return f"dimension '{dimension_id}' category index lists '{codes[0]}' twice"


def give_a_position_twice(draw: st.DrawFn, document: dict[str, Any]) -> str:
    dimension_id = _pick(draw, document, min_size=2)
    codes = codes_of(document, dimension_id)
    index = {c: i for i, c in enumerate(codes)}
    index[codes[1]] = 0
    document["dimension"][dimension_id]["category"]["index"] = index
    return f"dimension '{dimension_id}' category index gives position 0 to both '{codes[0]}' and '{codes[1]}'"


def give_a_position_outside(draw: st.DrawFn, document: dict[str, Any]) -> str:
    dimension_id = _pick(draw, document)
    codes = codes_of(document, dimension_id)
    index = {c: i for i, c in enumerate(codes)}
    index[codes[-1]] = len(codes)
    document["dimension"][dimension_id]["category"]["index"] = index
    return f"dimension '{dimension_id}' category index gives '{codes[-1]}' position {len(codes)}, outside 0–"


def shorten_size(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["size"].pop()
    count = len(document["id"])
    return rf"id names {count} dimensions \(.*\), size has {count - 1} entries"


def overstate_a_size(draw: st.DrawFn, document: dict[str, Any]) -> str:
    i = draw(st.integers(0, len(document["id"]) - 1))
    document["size"][i] += 1
    size = document["size"][i]
    return f"dimension '{document['id'][i]}' has {size - 1} categories, size says {size}"


def forget_a_dimension(draw: st.DrawFn, document: dict[str, Any]) -> str:
    dimension_id = _pick(draw, document)
    del document["dimension"][dimension_id]
    return f"dimension '{dimension_id}' is named in id but not described in dimension"


def describe_an_extra_dimension(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["dimension"]["Ylimääräinen"] = {"category": {"index": ["A"]}}
    return "dimension describes 'Ylimääräinen', which id does not name"


def name_a_dimension_twice(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["id"].append(document["id"][0])
    document["size"].append(document["size"][0])
    return f"id lists dimension '{document['id'][0]}' twice"


def give_a_negative_size(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["size"][0] = -1
    return rf"size of dimension '{document['id'][0]}' is a number \(-1\), not a whole number ≥ 0"


def put_text_in_a_value(draw: st.DrawFn, document: dict[str, Any]) -> str:
    values = _as_list(document)
    position = draw(st.integers(0, len(values) - 1))
    values[position] = draw(st.sampled_from(["12,5x", True, [1]]))
    return rf"value\[{position}\] \(.+=.+\) is .*, not a number"


def point_a_value_outside(draw: st.DrawFn, document: dict[str, Any]) -> str:
    total = math.prod(document["size"])
    document["value"] = {str(total): 1}
    return f"value has position {total}, outside 0–{total - 1}"


def mismatch_the_status(draw: st.DrawFn, document: dict[str, Any]) -> str:
    total = math.prod(document["size"])
    document["status"] = ["."] * (total + 1)
    return f"status has {total + 1} entries, value has {total}"


def label_a_category_with_a_number(draw: st.DrawFn, document: dict[str, Any]) -> str:
    dimension_id = _pick(draw, document)
    code = codes_of(document, dimension_id)[0]
    document["dimension"][dimension_id]["category"]["label"][code] = 5
    return f"dimension '{dimension_id}' category label of '{code}' is a number \\(5\\), not text"


def change_the_version(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["version"] = draw(st.sampled_from(["1.0", None, 2]))
    return "version is .*, not '2.0'"


def change_the_class(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["class"] = "collection"
    return "class is 'collection', not 'dataset'"


BREAKAGES: list[Callable[[st.DrawFn, dict[str, Any]], str]] = [
    drop_a_value,
    add_a_value,
    list_a_code_twice,
    give_a_position_twice,
    give_a_position_outside,
    shorten_size,
    overstate_a_size,
    forget_a_dimension,
    describe_an_extra_dimension,
    name_a_dimension_twice,
    give_a_negative_size,
    put_text_in_a_value,
    point_a_value_outside,
    mismatch_the_status,
    label_a_category_with_a_number,
    change_the_version,
    change_the_class,
]


@settings(max_examples=300)
@given(datasets(), st.sampled_from(BREAKAGES), st.data())
def test_broken_dataset_fails_with_a_message_naming_the_fault(document, breakage, data):
    expected = breakage(data.draw, document)
    with pytest.raises(ImportDataError) as caught:
        pxweb_jsonstat.read_dataset(document)
    assert any(re.search(expected, error) for error in caught.value.errors), (expected, caught.value.errors)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([1, 2], "the answer is a list .*, not a JSON-stat dataset object"),
        ({"version": "2.0", "class": "dataset", "id": "Alue"}, "id is text .*, not a list of dimension ids"),
        ({"version": "2.0", "class": "dataset", "id": ["Alue"], "size": [1]}, "dimension is missing"),
    ],
)
def test_what_is_not_a_dataset_is_named(payload, message):
    with pytest.raises(ImportDataError, match=message):
        pxweb_jsonstat.read_dataset(payload)


def test_example_message_for_a_value_list_that_is_too_short():
    document = fixture_document()
    document["value"] = document["value"][:12]
    with pytest.raises(ImportDataError, match=re.escape("value has 12 entries, size says 5 × 1 × 3 = 15")):
        pxweb_jsonstat.read_dataset(document)


# --- PxWeb addresses, codes, arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("KU491", ("municipality", "491")),
        ("KU91", ("municipality", "091")),
        ("MK10", ("maakunta", "10")),
        ("SK101", ("seutukunta", "101")),
        ("HV12", ("wellbeing_services_county", "12")),
        ("SSS", ("country", "FI")),
        ("KU1234", None),
        ("SA1", None),
        ("KU", None),
        ("MKx1", None),
    ],
)
def test_statfin_area_codes_map_to_kind_and_code(code, key):
    assert pxweb.area_key(code) == key


def test_table_id_gives_the_table_path():
    assert pxweb.table_path("statfin_vaerak_pxt_11ra") == "vaerak/statfin_vaerak_pxt_11ra.px"
    assert pxweb.table_path("vaerak/statfin_vaerak_pxt_11ra") == "vaerak/statfin_vaerak_pxt_11ra.px"
    assert pxweb.table_path("11ra") is None  # a short id: its folder is looked up (test_pxweb_2026.py)
    assert pxweb.table_path("vaerak/11ra") == "vaerak/11ra.px"
    with pytest.raises(ValueError, match="not a table id"):
        pxweb.table_path("statfin vaerak")


def test_years_are_a_span_or_a_list():
    assert year_span("2020-2022") == [2020, 2021, 2022]
    assert year_span("2024,2020") == [2020, 2024]
    for wrong in ("2022-2020", "vuosi", "20"):
        with pytest.raises(Exception, match="not a"):
            year_span(wrong)


def test_query_asks_for_every_area_the_years_the_value_and_the_filters():
    query = pxweb.query_for(
        area_dimension="Alue",
        year_dimension="Vuosi",
        value=("Tiedot", "vaesto"),
        years=[2020, 2021],
        filters=[("Sukupuoli", "SSS")],
    )
    assert query == {
        "query": [
            {"code": "Alue", "selection": {"filter": "all", "values": ["*"]}},
            {"code": "Vuosi", "selection": {"filter": "item", "values": ["2020", "2021"]}},
            {"code": "Tiedot", "selection": {"filter": "item", "values": ["vaesto"]}},
            {"code": "Sukupuoli", "selection": {"filter": "item", "values": ["SSS"]}},
        ],
        "response": {"format": "json-stat2"},
    }


# --- the import ---------------------------------------------------------------------------------------------


def test_import_writes_the_population_of_five_municipalities(world, pxweb_server):
    serve(pxweb_server, fixture_bytes())
    output = import_statfin(pxweb_server)

    indicator = Indicator.objects.get(source__key="statfin", external_id="statfin_vaerak_pxt_11ra:vaesto")
    assert (indicator.title_fi, indicator.unit, indicator.decimals) == ("Väestö 31.12.", "lukumäärä", 0)
    assert (indicator.first_year, indicator.last_year, indicator.organisation) == (2020, 2022, "Tilastokeskus")
    assert indicator.metadata["key"] == "population" and indicator.metadata["value_label"] == "Väestö 31.12."
    assert indicator.observations.count() == 15
    for (code, year), value in REAL_POPULATION.items():
        assert population(code, year) == value
    run = ImportRun.objects.get(source__key="statfin")
    assert (run.status, run.rows_added, run.rows_changed) == (ImportStatus.SUCCEEDED, 15, 0)
    assert run.checksum == hashlib.sha256(fixture_bytes()).hexdigest()
    assert run.raw_payload is not None and gzip.decompress(run.raw_payload) == fixture_bytes()
    assert run.source_url == pxweb_server.url + TABLE
    assert pxweb_server.requests == [TABLE]
    assert pxweb_server.bodies[0]["query"][1] == {
        "code": "Vuosi",
        "selection": {"filter": "item", "values": ["2020", "2021", "2022"]},
    }
    assert "15 values for 5 areas, 2020–2022" in output and "15 added" in output


def test_second_identical_import_changes_nothing(world, pxweb_server):
    serve(pxweb_server, fixture_bytes())
    import_statfin(pxweb_server)
    output = import_statfin(pxweb_server)
    second = ImportRun.objects.filter(source__key="statfin").latest("pk")
    assert (second.status, second.rows_added, second.rows_changed, second.rows_unchanged) == (
        ImportStatus.UNCHANGED,
        0,
        0,
        15,
    )
    assert "0 changed: nothing changed" in output
    assert Observation.objects.filter(indicator__source__key="statfin").count() == 15


def test_a_revised_value_is_updated_and_counted(world, pxweb_server):
    serve(pxweb_server, fixture_bytes())
    import_statfin(pxweb_server)
    revised = fixture_document()
    revised["value"][7] = 52123  # constructed: Mikkeli 2021 revised by one person
    serve(pxweb_server, revised)
    import_statfin(pxweb_server)
    run = ImportRun.objects.filter(source__key="statfin").latest("pk")
    assert (run.rows_added, run.rows_changed, run.rows_unchanged) == (0, 1, 14)
    assert population("491", 2021) == 52123


def test_unknown_area_codes_and_empty_cells_are_skipped_and_reported(world, pxweb_server):
    document = fixture_document()
    # Constructed: Enonkoski's code changed to one no municipality has, Juva's 2022 value withdrawn.
    category = document["dimension"]["Alue"]["category"]
    category["index"] = {("KU999" if c == "KU046" else c): i for c, i in category["index"].items()}
    category["label"] = {("KU999" if c == "KU046" else c): label for c, label in category["label"].items()}
    document["value"][5] = None
    document["status"] = {"5": ".."}
    serve(pxweb_server, document)
    output = import_statfin(pxweb_server)
    assert Observation.objects.filter(indicator__source__key="statfin").count() == 11
    assert "1 area codes are not areas of Tilannekuva and were skipped: KU999" in output
    assert "1 cells have no value at the source and were skipped: KU178 2022 (..)" in output


def test_other_dimensions_must_be_narrowed_to_one_category(world, pxweb_server):
    document = fixture_document()
    # Constructed: a second variable Sukupuoli with two categories, the values repeated for both.
    document["id"].append("Sukupuoli")
    document["size"].append(2)
    document["dimension"]["Sukupuoli"] = {"label": "Sukupuoli", "category": {"index": ["1", "2"]}}
    document["value"] = [v for v in document["value"] for _ in range(2)]
    serve(pxweb_server, document)
    with pytest.raises(CommandError, match="dimension 'Sukupuoli' has 2 categories .* --filter Sukupuoli:CODE"):
        import_statfin(pxweb_server)

    document["size"][-1] = 1
    document["dimension"]["Sukupuoli"]["category"] = {"index": ["1"], "label": {"1": "Miehet"}}
    document["value"] = fixture_document()["value"]
    serve(pxweb_server, document)
    import_statfin(pxweb_server, "--filter", "Sukupuoli:1")
    assert pxweb_server.bodies[-1]["query"][3] == {
        "code": "Sukupuoli",
        "selection": {"filter": "item", "values": ["1"]},
    }
    classifications = set(Observation.objects.values_list("classification", flat=True).distinct())
    assert classifications == {"Sukupuoli=1"}


@pytest.mark.usefixtures("no_waiting")
@pytest.mark.parametrize(
    ("status", "body", "message", "tries"),
    [
        (500, b"Internal Server Error", "answered HTTP 500 for .*statfin_vaerak_pxt_11ra.px \\(after 3 tries\\)", 3),
        (400, b"Parameter error: Vuosi 2030", "answered HTTP 400 \\(Parameter error: Vuosi 2030\\)", 1),
        (200, b"<html>Huoltokatko</html>", "something that is not JSON for .*statfin_vaerak_pxt_11ra.px", 1),
        (200, b'{"version": "2.0", "class": "collection"}', "class is 'collection', not 'dataset'", 1),
        (200, None, re.escape("value has 14 entries, size says 5 × 1 × 3 = 15"), 1),
    ],
)
def test_bad_answers_fail_clearly_and_write_nothing(world, pxweb_server, status, body, message, tries):
    if body is None:
        document = fixture_document()
        document["value"].pop()  # constructed: one value lost
        body = json.dumps(document).encode()
    serve(pxweb_server, body, status=status)
    with pytest.raises(CommandError, match=message):
        import_statfin(pxweb_server)
    assert len(pxweb_server.requests) == tries
    run = ImportRun.objects.get(source__key="statfin")
    assert run.status == ImportStatus.FAILED and re.search(message, run.errors)
    assert not Indicator.objects.filter(source__key="statfin").exists()
    assert not Observation.objects.filter(indicator__source__key="statfin").exists()


def test_a_failed_import_leaves_the_earlier_values_untouched(world, pxweb_server):
    serve(pxweb_server, fixture_bytes())
    import_statfin(pxweb_server)
    broken = fixture_document()
    broken["value"][7] = "52 122"  # constructed: a value that is not a number
    serve(pxweb_server, broken)
    with pytest.raises(CommandError, match=r"value\[7\] \(Alue=KU491, Tiedot=vaesto, Vuosi=2021\) is text"):
        import_statfin(pxweb_server)
    assert population("491", 2021) == 52122


def test_indicator_id_already_naming_another_series_is_refused(world, pxweb_server):
    Indicator.objects.create(
        source=source("statfin"),
        external_id="statfin_vaerak_pxt_11re:vaesto",
        title_fi="Toinen",
        metadata={"key": "population"},
    )
    serve(pxweb_server, fixture_bytes())
    with pytest.raises(
        CommandError, match="--indicator-id 'population' is already the name of statfin_vaerak_pxt_11re"
    ):
        import_statfin(pxweb_server)


def test_what_is_not_a_table_id_is_refused_before_asking():
    # A short id without its folder (11ra) is now looked up: test_pxweb_2026.py.
    with pytest.raises(CommandError, match="not a table id"):
        call_command("import", "statfin", *ARGUMENTS[2:], "--table", "statfin vaerak 11ra")


def test_areas_known_to_tilannekuva_cover_the_fixture(world):
    codes = {c[2:] for c in fixture_document()["dimension"]["Alue"]["category"]["index"]}
    assert set(Area.objects.filter(kind=AreaKind.MUNICIPALITY, code__in=codes).values_list("code", flat=True)) == codes
