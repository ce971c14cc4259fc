"""`tilannekuva import statfin` against PxWeb as Statistics Finland serves it since 8 June 2026: short table ids,
dated variable codes, prefixed value codes, no dimension options; re-pointing an indicator to its new table.

The POST answer is a real recorded answer of table 11re (`fixtures/pxweb-11re-2025-recorded.json`, PxWeb's plain
json form; provenance in `fixtures/README-pxweb-2026.md`). The table search and the table metadata are constructed
from the documented format and say so in their names and notes.
"""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.databank.sources import pxweb_tables
from tilannekuva.databank.tests.conftest import Answer
from tilannekuva.databank.tests.test_pxweb import PostServer
from tilannekuva.regions.models import Area, AreaKind

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED = FIXTURES / "pxweb-11re-2025-recorded.json"
METADATA = FIXTURES / "pxweb-11re-metadata-CONSTRUCTED.json"
SEARCH = FIXTURES / "pxweb-search-11re-CONSTRUCTED.json"
DATA_11RA = Path(__file__).parents[3] / "data" / "statfin" / "recent" / "11ra-2025-recorded.json"
DATABASE = "/PxWeb/api/v1/fi/StatFin/"
TABLE = f"{DATABASE}vaerak/11re.px"
NEW_FORM = [
    "--value",
    "vaerak-vaesto",
    "--filter",
    "sukupuoli:SSS",
    "--indicator-id",
    "population",
    "--indicator-title",
    "Väestö 31.12.",
]


@dataclass
class PxWebServer(PostServer):
    """GET answers from `routes` (the table search, the table's metadata), POST answers from `posts` by path."""

    posts: dict[str, Answer] = field(default_factory=dict)


@pytest.fixture
def pxweb() -> Iterator[PxWebServer]:
    state = PxWebServer()

    class Handler(BaseHTTPRequestHandler):
        def answer(self, found: Answer | None) -> None:
            found = found or Answer(b'{"error": "not recorded"}', status=404)
            self.send_response(found.status)
            self.send_header("Content-Type", found.content_type)
            self.send_header("Content-Length", str(len(found.body)))
            self.end_headers()
            self.wfile.write(found.body)

        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            state.requests.append(f"GET {self.path}")
            self.answer(state.find(self.path))

        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(f"POST {self.path}")
            state.bodies.append(json.loads(body) if body else None)
            self.answer(state.posts.get(self.path))

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.add(DATABASE, {"query": "11re"}, Answer(json.dumps(json.loads(SEARCH.read_bytes())["hits"]).encode()))
    state.add(TABLE, None, Answer(METADATA.read_bytes()))
    yield state
    httpd.shutdown()
    httpd.server_close()


def serve_recorded(server: PxWebServer, body: bytes | None = None) -> None:
    server.posts[TABLE] = Answer(body if body is not None else RECORDED.read_bytes())


def run_import(server: PxWebServer, *arguments: str) -> str:
    out = StringIO()
    call_command("import", "statfin", *arguments, "--base-url", server.url + DATABASE, stdout=out)
    return out.getvalue()


def value(code: str, year: int, indicator: Indicator) -> float | None:
    return Observation.objects.get(
        indicator=indicator, area__kind=AreaKind.MUNICIPALITY, area__code=code, year=year
    ).value


@pytest.mark.parametrize("table", ["11re", "11re.px", "vaerak/11re", "vaerak/11re.px"])
def test_short_table_id_with_no_dimension_options_imports_the_recorded_answer(world, pxweb, table):
    serve_recorded(pxweb)
    output = run_import(pxweb, "--table", table, *NEW_FORM)
    indicator = Indicator.objects.get(source__key="statfin", external_id="11re:vaerak-vaesto")
    # Real figures of the recorded answer (and data/SOURCES.md's checks): Mikkeli and Helsinki 31.12.2025.
    assert value("491", 2025, indicator) == 51551
    assert value("091", 2025, indicator) == 694392
    country = Observation.objects.get(indicator=indicator, area__kind=AreaKind.COUNTRY)
    assert country.value == 5652881
    assert indicator.organisation == "Tilastokeskus, väestörakenne"
    assert str(indicator.data_updated) == "2026-04-01"
    assert indicator.metadata["area_dimension"] == "alue_23_20260101"
    # The query named the dated codes found in the metadata; the eliminable sex variable was narrowed by its stem.
    query = {q["code"]: q["selection"] for q in pxweb.bodies[-1]["query"]}
    assert set(query) == {"alue_23_20260101", "timeperiod_y", "contentscode", "sukupuoli_9_20180101"}
    assert query["contentscode"]["values"] == ["vaerak-vaesto"]
    assert query["sukupuoli_9_20180101"]["values"] == ["SSS"]
    searched = any(r.startswith(f"GET {DATABASE}?query=11re") for r in pxweb.requests)
    assert searched == ("/" not in table)
    assert "11re:vaerak-vaesto" in output


def test_old_value_code_finds_its_prefixed_successor(world, pxweb):
    serve_recorded(pxweb)
    arguments = [a if a != "vaerak-vaesto" else "vaesto" for a in NEW_FORM]
    output = run_import(pxweb, "--table", "11re", *arguments)
    assert "the value code 'vaesto' is now 'vaerak-vaesto'" in output
    assert Indicator.objects.filter(external_id="11re:vaerak-vaesto").exists()


def test_a_variable_without_a_total_must_be_chosen(world, pxweb):
    metadata = json.loads(METADATA.read_bytes())
    metadata["variables"][1]["elimination"] = False
    pxweb.add(TABLE, None, Answer(json.dumps(metadata).encode()))
    serve_recorded(pxweb)
    arguments = [a for a in NEW_FORM if a not in ("--filter", "sukupuoli:SSS")]
    with pytest.raises(CommandError, match=r"variable 'sukupuoli_9_20180101' \(Sukupuoli\) has 3 values"):
        run_import(pxweb, "--table", "11re", *arguments)


def test_a_short_id_the_search_does_not_find_is_named(world, pxweb):
    with pytest.raises(CommandError, match="table '11rx' is not in the database"):
        pxweb.add(DATABASE, {"query": "11rx"}, Answer(b"[]"))
        run_import(pxweb, "--table", "11rx", *NEW_FORM)


def old_series(mikkeli_2025: float) -> Indicator:
    """The series as imported before the change: the old table id and value code, bound by its id."""
    indicator = Indicator.objects.create(
        source=source("statfin"),
        external_id="statfin_vaerak_pxt_11re:vaesto",
        title_fi="Väestö 31.12.",
        metadata={"key": "population", "table": "statfin_vaerak_pxt_11re", "value": "Tiedot:vaesto"},
    )
    mikkeli = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="491")
    # 51 890 is Mikkeli's real population of 31.12.2024 (data/SOURCES.md, kunta_vaki2024); 51 551 that of 2025.
    Observation.objects.create(indicator=indicator, area=mikkeli, year=2024, value=51890)
    Observation.objects.create(indicator=indicator, area=mikkeli, year=2025, value=mikkeli_2025)
    return indicator


def test_re_pointing_an_indicator_to_the_new_table_continues_its_series(world, pxweb):
    indicator = old_series(51551)
    serve_recorded(pxweb)
    output = run_import(pxweb, "--table", "11re", *NEW_FORM)
    indicator.refresh_from_db()
    assert indicator.external_id == "statfin_vaerak_pxt_11re:vaesto"  # its id, and so its bindings, stay
    assert indicator.metadata["series"] == "11re:vaerak-vaesto"
    assert indicator.metadata["previous"] == ["statfin_vaerak_pxt_11re:vaesto"]
    assert value("491", 2024, indicator) == 51890
    assert value("178", 2025, indicator) is not None
    assert not Indicator.objects.filter(external_id="11re:vaerak-vaesto").exists()
    assert "the 1 values both have are equal" in output
    # A later import of the new table is an ordinary update, not another move.
    again = run_import(pxweb, "--table", "11re", *NEW_FORM)
    assert "moves" not in again


def test_re_pointing_to_a_table_that_disagrees_is_refused_and_writes_nothing(world, pxweb):
    indicator = old_series(51000)
    serve_recorded(pxweb)
    with pytest.raises(CommandError, match=r"1 of the 1 shared values differ \(KU491 2025: stored 51000.0, new 51551"):
        run_import(pxweb, "--table", "11re", *NEW_FORM)
    indicator.refresh_from_db()
    assert "series" not in indicator.metadata
    assert Observation.objects.filter(indicator=indicator).count() == 2


def test_saved_answer_reads_by_its_column_types(world):
    out = StringIO()
    call_command(
        "import",
        "statfin",
        "--table",
        "11ra",
        "--value",
        "vaerak-vaesto",
        "--indicator-id",
        "population-11ra",
        "--indicator-title",
        "Väestö 31.12.",
        "--from-file",
        str(DATA_11RA),
        stdout=out,
    )
    indicator = Indicator.objects.get(external_id="11ra:vaerak-vaesto")
    assert value("491", 2025, indicator) == 51551  # data/SOURCES.md's check of 11ra
    share = Indicator.objects.filter(external_id="11ra:vaesto_yli64_p")
    assert not share.exists()


def test_plain_json_reader_keeps_every_cell_and_its_roles():
    dataset = pxweb_tables.read_plain_json(json.loads(RECORDED.read_bytes()))
    assert [d.id for d in dataset.dimensions] == [
        "alue_23_20260101",
        "sukupuoli_9_20180101",
        "timeperiod_y",
        "contentscode",
    ]
    assert dataset.roles == {"time": ("timeperiod_y",), "metric": ("contentscode",)}
    cells = {tuple(codes.values()): number for codes, number in dataset.cells()}
    assert cells[("KU491", "2", "2025", "vaerak-vaesto")] == 26329


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"columns": [], "data": []}, "no value column"),
        (
            {
                "columns": [{"code": "a", "type": "d"}, {"code": "v", "type": "c"}],
                "data": [{"key": [1], "values": ["1"]}],
            },
            "data\\[0\\] key",
        ),
        (
            {
                "columns": [{"code": "a", "type": "d"}, {"code": "v", "type": "c"}],
                "data": [{"key": ["x"], "values": ["y"]}],
            },
            "value of v is text",
        ),
    ],
)
def test_broken_plain_json_names_the_fault(payload: dict[str, Any], message: str):
    with pytest.raises(Exception, match=message):
        pxweb_tables.read_plain_json(payload)


def test_dated_codes_have_stems():
    assert pxweb_tables.stem("alue_23_20260101") == "alue"
    assert pxweb_tables.stem("timeperiod_y") == "timeperiod_y"
    assert pxweb_tables.matches("Sukupuoli", "sukupuoli_9_20180101")


def test_saved_jsonstat_answer_reads_by_its_roles(world):
    """The constructed json-stat2 fixture of test_pxweb.py (its roles: geo Alue, time Vuosi, metric Tiedot)."""
    call_command(
        "import",
        "statfin",
        "--table",
        "statfin_vaerak_pxt_11ra",
        "--value",
        "vaesto",
        "--indicator-id",
        "population-roles",
        "--indicator-title",
        "Väestö 31.12.",
        "--from-file",
        str(FIXTURES / "pxweb-population-constructed-from-real-values.json"),
        stdout=StringIO(),
    )
    indicator = Indicator.objects.get(external_id="statfin_vaerak_pxt_11ra:vaesto")
    assert value("491", 2021, indicator) == 52122
    assert indicator.metadata["area_dimension"] == "Alue" and indicator.metadata["year_dimension"] == "Vuosi"
