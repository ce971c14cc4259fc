"""PTV client: paging, organisation records, distinct service counts, areas, and `tilannekuva import ptv`.

The organisation records and the code-list page are the real PTV answers in `data/ptv/` (see data/SOURCES.md),
served unchanged by the recorded server. What is constructed is built in this file and says so where it is:
pages 2–5 of the postal code list, the record of Mikkeli's sub-organisation, the arrays that
`Organization/businesscode/{code}` answers, a wellbeing services county's record, and broken answers.
"""

import argparse
import gzip
import json
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from tilannekuva.core.http import OutsideClient
from tilannekuva.databank.models import ImportRun, ImportStatus, Indicator, Observation
from tilannekuva.databank.services import ImportDataError
from tilannekuva.databank.sources import ptv, ptv_api
from tilannekuva.databank.tests.conftest import Answer, RecordedServer
from tilannekuva.regions.models import AreaKind, Organisation, OrganisationKind

DATA = settings.DATA_DIR / "ptv"
API = "/api/v11/"
NAANTALI = "3d1759a2-e47a-4947-9a31-cab1c1e2512b"
VAASA = "7fdd7f84-e52a-4c17-a59a-d7c2a3095ed5"
MIKKELI = "ae2682d3-6238-4019-b34f-b078c5f9bb50"
PIEKSAMAKI = "f3cb50b9-e97f-4c00-a9c7-04265bdcadb6"
MANTYHARJU = "9355a207-efd3-4cfb-a02b-67187f34c822"
VRK = "b458d033-042d-4cbe-b030-34e81da28821"
MIKKELI_ENVIRONMENT = "d6f490f6-1d7b-41c3-875b-9e17f184e049"  # Mikkeli's sub-organisation, named in its record
RECORDED = {
    NAANTALI: "organization_naantali_3d1759a2.json",
    VAASA: "organization_vaasa_7fdd7f84.json",
    MIKKELI: "organization_mikkeli_ae2682d3.json",
    PIEKSAMAKI: "organization_pieksamaki_f3cb50b9.json",
    MANTYHARJU: "organization_mantyharju_9355a207.json",
    VRK: "organization_vrk_b458d033.json",
}
PERUSOPETUS = "08ab5b97-d04d-4d16-a3f3-dac654b140ec"  # one of Mikkeli's recorded services


def recorded(organisation_id: str) -> dict[str, Any]:
    return json.loads((DATA / RECORDED[organisation_id]).read_text(encoding="utf-8"))


def entry(service_id: str, name: str, role: str) -> dict[str, Any]:
    return {"service": {"id": service_id, "name": name}, "roleType": role, "provisionType": None}


def mikkeli_environment_services() -> dict[str, Any]:
    """Constructed: PTV's record of "Mikkelin seudun ympäristöpalvelut" was not recorded. Its id, name and parent
    are real (Mikkeli's recorded record names it as its sub-organisation); its services are made up: Mikkeli's own
    Perusopetus (to show that a service counts once in a tree) and one service of its own, with a made-up id."""
    own = "0f0e0d0c-0000-4000-8000-000000000001"
    return {
        "id": MIKKELI_ENVIRONMENT,
        "parentOrganization": MIKKELI,
        "organizationType": "Municipality",
        "municipality": {"code": "491", "name": [{"value": "Mikkeli", "language": "fi"}]},
        "businessCode": "0165116-3",
        "organizationNames": [{"language": "fi", "value": "Mikkelin seudun ympäristöpalvelut", "type": "Name"}],
        "publishingStatus": "Published",
        "services": [
            entry(PERUSOPETUS, "Perusopetus", "Responsible"),
            entry(own, "Ympäristöluvat (constructed)", "Responsible"),
            entry(own, "Ympäristöluvat (constructed)", "Producer"),
        ],
        "subOrganizations": None,
    }


def serve_json(server: RecordedServer, path: str, body: Any, status: int = 200) -> None:
    payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    server.add(API + path, None, Answer(payload, status=status))


@pytest.fixture
def ptv_server(recorded_server: RecordedServer) -> RecordedServer:
    for organisation_id, name in RECORDED.items():
        recorded_server.add(f"{API}Organization/{organisation_id}", None, Answer((DATA / name).read_bytes()))
    serve_json(recorded_server, f"Organization/{MIKKELI_ENVIRONMENT}", mikkeli_environment_services())
    return recorded_server


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries back off for seconds in production; the tests need not wait."""
    monkeypatch.setattr("tilannekuva.core.http.time.sleep", lambda seconds: None)


def import_ptv(server: RecordedServer, *arguments: str) -> str:
    out = StringIO()
    call_command("import", "ptv", *arguments, "--base-url", server.url + API, stdout=out)
    return out.getvalue()


def count(key: str, code: str, *, year: int = 2025, kind: str = AreaKind.MUNICIPALITY) -> float | None:
    observation = Observation.objects.get(
        indicator__source__key="ptv", indicator__external_id=key, area__kind=kind, area__code=code, year=year
    )
    assert observation.absolute_value == observation.value
    return observation.value


# --- paging -------------------------------------------------------------------------------------------------


def test_paging_reads_every_page_of_a_list(recorded_server):
    """Page 1 is the real recorded postal code page (pageCount 5, 1000 items); pages 2–5 are constructed, served
    with the same envelope and an empty itemList, since only page 1 was recorded."""
    path = f"{API}CodeList/GetPostalCodes"
    recorded_server.add(path, {"page": "1"}, Answer((DATA / "codelist_postal_page1.json").read_bytes()))
    for number in range(2, 6):
        page = {"pageNumber": number, "pageSize": 1000, "pageCount": 5, "itemList": []}
        recorded_server.add(path, {"page": str(number)}, Answer(json.dumps(page).encode()))
    with OutsideClient(recorded_server.url + API, name="PTV") as client:
        items = ptv_api.list_items(client, "CodeList/GetPostalCodes")
    assert len(items) == 1000
    assert items[0]["code"] == "00002" and {"value": "HELSINKI", "language": "fi"} in items[0]["names"]
    assert recorded_server.requests == [f"{path}?page={n}" for n in range(1, 6)]


def test_an_empty_list_is_page_count_zero_and_asks_once(recorded_server):
    empty = {"pageNumber": 0, "pageSize": 0, "pageCount": 0, "itemList": None}  # the shape of an empty answer
    recorded_server.add(f"{API}Service", {"status": "Published", "page": "1"}, Answer(json.dumps(empty).encode()))
    with OutsideClient(recorded_server.url + API, name="PTV") as client:
        assert ptv_api.list_items(client, "Service", {"status": "Published"}) == []
    assert len(recorded_server.requests) == 1


def test_a_list_that_changes_while_paging_is_refused(recorded_server):
    path = f"{API}CodeList/GetPostalCodes"
    recorded_server.add(path, {"page": "1"}, Answer((DATA / "codelist_postal_page1.json").read_bytes()))
    grown = {"pageNumber": 2, "pageSize": 1000, "pageCount": 6, "itemList": []}  # constructed
    recorded_server.add(path, {"page": "2"}, Answer(json.dumps(grown).encode()))
    with (
        OutsideClient(recorded_server.url + API, name="PTV") as client,
        pytest.raises(ImportDataError, match="pageCount changed from 5 to 6 while paging"),
    ):
        ptv_api.list_items(client, "CodeList/GetPostalCodes")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "the answer is a list .*, not a page"),
        ({"pageNumber": 1, "pageSize": 10, "pageCount": 1, "itemList": None}, "itemList is missing .*pageCount is 1"),
        ({"pageNumber": 1, "pageSize": 10, "pageCount": "1", "itemList": []}, 'pageCount is text \\("1"\\)'),
        ({"pageNumber": 2, "pageSize": 10, "pageCount": 3, "itemList": []}, "asked for page 1, the answer is page 2"),
        ({"pageNumber": 1, "pageSize": 1, "pageCount": 1, "itemList": [1, 2]}, "2 items, more than pageSize 1"),
        ({"pageNumber": 0, "pageSize": 0, "pageCount": 0, "itemList": [1]}, "pageCount is 0 but itemList has"),
    ],
)
def test_a_page_that_is_not_a_page_is_named(payload, message):
    with pytest.raises(ImportDataError, match=message):
        ptv_api.read_page(payload, url="https://ptv/Service", asked=1)


# --- records and arguments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation_id", "responsible", "producer", "entries"),
    [(NAANTALI, 121, 113, 234), (VAASA, 296, 270, 566), (PIEKSAMAKI, 4, 3, 7), (MANTYHARJU, 0, 0, 0)],
)
def test_a_record_lists_each_service_once_per_role(organisation_id, responsible, producer, entries):
    payload = recorded(organisation_id)
    record = ptv_api.read_organisation(payload, where="test", asked=organisation_id)
    assert len(payload["services"]) == entries
    assert len(record.roles.get("Responsible", set())) == responsible
    assert len(record.roles.get("Producer", set())) == producer


def test_the_business_ids_argument_refuses_a_wrong_check_digit():
    assert ptv.business_ids("0165116-3, 2048903-4,0165116-3") == ["0165116-3", "2048903-4"]  # from data/ptv/
    with pytest.raises(argparse.ArgumentTypeError, match="'0165116-4' is not a business id"):
        ptv.business_ids("0165116-3,0165116-4")


def test_ptv_types_give_the_organisation_kind():
    assert ptv.KIND_OF_PTV_TYPE["Municipality"] == OrganisationKind.MUNICIPALITY
    assert ptv.KIND_OF_PTV_TYPE["Organization"] == OrganisationKind.ASSOCIATION


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--organisations", "mikkeli"], "'mikkeli' is not a PTV organisation id"),
        (["--business-ids", "0165116-4"], "'0165116-4' is not a business id"),
        (["--organisations", MIKKELI, "--business-ids", "0165116-3"], "not allowed with argument"),
        (["--year", "2025"], "one of the arguments --organisations --business-ids is required"),
        (["--organisations", MIKKELI, "--year", "25"], "'25' is not a year"),
    ],
)
def test_arguments_are_checked_before_asking(recorded_server, arguments, message):
    with pytest.raises(CommandError, match=message):
        import_ptv(recorded_server, *arguments)
    assert recorded_server.requests == []


# --- the import ---------------------------------------------------------------------------------------------


def test_naantali_and_vaasa_get_their_distinct_responsible_and_producer_counts(world, ptv_server):
    output = import_ptv(ptv_server, "--organisations", f"{NAANTALI},{VAASA}", "--year", "2025")
    assert count("services-responsible", "529") == 121 and count("services-responsible", "905") == 296
    assert count("services-producer", "529") == 113 and count("services-producer", "905") == 270
    responsible = Indicator.objects.get(source__key="ptv", external_id="services-responsible")
    assert responsible.title_fi == "PTV-palvelukuvausten määrä (vastuullinen)"
    assert (responsible.unit, responsible.first_year, responsible.last_year) == ("kpl", 2025, 2025)
    run = ImportRun.objects.get(source__key="ptv")
    assert (run.status, run.rows_added, run.parameters["year"]) == (ImportStatus.SUCCEEDED, 4, 2025)
    assert "Naantalin kaupunki (0135457-2, Municipality): 121 / 113 → Naantali" in output
    assert "by kind, municipality: 2 organisations, 417 / 383 distinct services" in output


def test_second_identical_run_changes_nothing(world, ptv_server):
    arguments = ["--organisations", f"{NAANTALI},{MIKKELI}", "--year", "2025"]
    import_ptv(ptv_server, *arguments)
    first = ImportRun.objects.get(source__key="ptv")
    output = import_ptv(ptv_server, *arguments)
    second = ImportRun.objects.filter(source__key="ptv").latest("pk")
    assert (second.status, second.rows_added, second.rows_changed, second.rows_unchanged) == (
        ImportStatus.UNCHANGED,
        0,
        0,
        4,
    )
    assert second.checksum == first.checksum
    assert "nothing changed" in output


def test_small_counts_empty_services_and_a_sub_organisation_in_etela_savo(world, ptv_server):
    """Mikkeli, Pieksämäki and Mäntyharju are sparse training data, not real figures: they show small counts, an
    empty services list (a real zero: the organisation is in PTV) and a sub-organisation summed in."""
    output = import_ptv(ptv_server, "--organisations", f"{MIKKELI},{PIEKSAMAKI},{MANTYHARJU}", "--year", "2025")
    # Mikkeli: 5 recorded Responsible services + the sub-organisation's own one (its Perusopetus counts once).
    assert count("services-responsible", "491") == 6 and count("services-producer", "491") == 6
    assert count("services-responsible", "593") == 4 and count("services-producer", "593") == 3
    assert count("services-responsible", "507") == 0 and count("services-producer", "507") == 0
    assert f"{API}Organization/{MIKKELI_ENVIRONMENT}" in ptv_server.requests
    detail = Indicator.objects.get(external_id="services-responsible", source__key="ptv").metadata["years"]["2025"]
    assert detail[MIKKELI]["sub_organisations"] == [
        {"id": MIKKELI_ENVIRONMENT, "name": "Mikkelin seudun ympäristöpalvelut", "responsible": 2, "producer": 1}
    ]
    assert detail[MANTYHARJU]["responsible"] == 0 and detail[MANTYHARJU]["area"] == "municipality:507"
    assert "Mikkelin kaupunki (0165116-3, Municipality, with 1 sub-organisations): 6 / 6 → Mikkeli" in output


def test_the_raw_payload_keeps_every_answer_and_the_detail(world, ptv_server):
    import_ptv(ptv_server, "--organisations", MIKKELI, "--year", "2025")
    run = ImportRun.objects.get(source__key="ptv")
    assert run.raw_payload is not None
    payload = json.loads(gzip.decompress(run.raw_payload))
    answers = payload["answers"]
    assert sorted(answers) == [f"{ptv_server.url}{API}Organization/{i}" for i in sorted([MIKKELI, MIKKELI_ENVIRONMENT])]
    assert answers[f"{ptv_server.url}{API}Organization/{MIKKELI}"] == (DATA / RECORDED[MIKKELI]).read_text()
    assert payload["organisations"][0]["responsible"] == 6 and payload["year"] == 2025
    assert payload["by_kind"] == {"municipality": {"organisations": 1, "responsible": 6, "producer": 6}}


def test_business_ids_find_the_organisations_and_a_missing_one_is_reported(world, ptv_server):
    # Constructed envelopes: the arrays Organization/businesscode/{code} answers, around the real Mikkeli record;
    # Naantali's business id is answered with an empty array to stand for an organisation PTV does not have.
    serve_json(ptv_server, "Organization/businesscode/0165116-3", [recorded(MIKKELI)])
    serve_json(ptv_server, "Organization/businesscode/0135457-2", [])
    output = import_ptv(ptv_server, "--business-ids", "0165116-3,0135457-2", "--year", "2025")
    assert count("services-responsible", "491") == 6
    assert Observation.objects.filter(indicator__source__key="ptv").count() == 2
    assert "0135457-2: PTV has no organisation with this business id; no count" in output


def test_a_sub_organisation_with_the_same_business_id_is_counted_inside_its_parent(world, ptv_server):
    # Constructed envelope: the array lists the parent and the sub-organisation, both with Mikkeli's business id.
    serve_json(ptv_server, "Organization/businesscode/0165116-3", [mikkeli_environment_services(), recorded(MIKKELI)])
    import_ptv(ptv_server, "--business-ids", "0165116-3", "--year", "2025")
    assert count("services-responsible", "491") == 6
    detail = Indicator.objects.get(external_id="services-responsible", source__key="ptv").metadata["years"]["2025"]
    assert list(detail) == [MIKKELI]


def test_a_sub_organisation_asked_beside_its_parent_is_counted_once(world, ptv_server):
    output = import_ptv(ptv_server, "--organisations", f"{MIKKELI_ENVIRONMENT},{MIKKELI}", "--year", "2025")
    assert count("services-responsible", "491") == 6
    assert (
        "Mikkelin seudun ympäristöpalvelut (d6f490f6-" in output and "is counted as part of Mikkelin kaupunki" in output
    )


def test_the_wellbeing_services_county_is_placed_by_its_business_id(world, ptv_server):
    """Constructed: no county record was recorded. The record below has a made-up id and business id (with a valid
    check digit) and two of Pieksämäki's recorded services; the county's Organisation is given that business id."""
    county = recorded(PIEKSAMAKI)
    county.update(
        id="00000000-0000-4000-8000-00000000e512",
        organizationType="Region",
        municipality=None,
        businessCode="1234567-1",
        organizationNames=[{"language": "fi", "value": "Etelä-Savon hyvinvointialue", "type": "Name"}],
        services=county["services"][:2],
    )
    Organisation.objects.filter(kind=OrganisationKind.WELLBEING_SERVICES_COUNTY, area__code="12").update(
        business_id="1234567-1"
    )
    serve_json(ptv_server, "Organization/businesscode/1234567-1", [county])
    import_ptv(ptv_server, "--business-ids", "1234567-1", "--year", "2025")
    assert count("services-responsible", "12", kind=AreaKind.WELLBEING_SERVICES_COUNTY) == 2


def test_an_organisation_without_an_area_is_reported_and_kept_in_the_detail_only(world, ptv_server):
    output = import_ptv(ptv_server, "--organisations", VRK, "--year", "2025")
    assert not Observation.objects.filter(indicator__source__key="ptv").exists()
    assert "Väestörekisterikeskus (0245437-2, State): 29 / 28 (no area" in output
    assert "by kind, public_body: 1 organisations, 29 / 28 distinct services" in output
    detail = Indicator.objects.get(external_id="services-producer", source__key="ptv").metadata["years"]["2025"]
    assert (detail[VRK]["responsible"], detail[VRK]["producer"], detail[VRK]["area"]) == (29, 28, None)


def test_each_year_is_its_own_observation_and_the_detail_of_both_is_kept(world, ptv_server):
    import_ptv(ptv_server, "--organisations", PIEKSAMAKI, "--year", "2024")
    import_ptv(ptv_server, "--organisations", PIEKSAMAKI)
    this_year = timezone.localdate().year
    assert count("services-responsible", "593", year=2024) == 4
    assert count("services-responsible", "593", year=this_year) == 4
    indicator = Indicator.objects.get(external_id="services-responsible", source__key="ptv")
    assert set(indicator.metadata["years"]) == {"2024", str(this_year)}
    assert (indicator.first_year, indicator.last_year) == (2024, this_year)


def test_an_unknown_municipality_code_is_named(world, ptv_server):
    wrong = recorded(MANTYHARJU)
    wrong["municipality"]["code"] = "999"  # constructed
    serve_json(ptv_server, f"Organization/{MANTYHARJU}", wrong)
    with pytest.raises(CommandError, match=f"Organization/{MANTYHARJU}: municipality.code '999' is not a municipality"):
        import_ptv(ptv_server, "--organisations", MANTYHARJU, "--year", "2025")


def broken_vaasa() -> dict[str, Any]:
    record = recorded(VAASA)
    record["services"][3]["roleType"] = None  # constructed: one entry without its role
    return record


@pytest.mark.usefixtures("no_waiting")
@pytest.mark.parametrize(
    ("answer", "message", "tries"),
    [
        (
            Answer(b"Service Unavailable", status=503),
            "answered HTTP 503 for .*/Organization/7fdd7f84.*after 3 tries",
            3,
        ),
        (Answer(b"<html>Huoltokatko</html>"), "something that is not JSON for .*/Organization/7fdd7f84", 1),
        (
            Answer(json.dumps(broken_vaasa()).encode()),
            "7fdd7f84.*: services\\[3\\]\\.roleType is missing \\(null\\)",
            1,
        ),
        (Answer(json.dumps(recorded(NAANTALI)).encode()), f"asked for organisation {VAASA}, the answer is", 1),
        (Answer(b'{"id": null}'), "Organization/7fdd7f84.*: id is missing \\(null\\), not an organisation id", 1),
    ],
)
def test_bad_answers_fail_clearly_and_write_nothing(world, ptv_server, answer, message, tries):
    ptv_server.add(f"{API}Organization/{VAASA}", None, answer)
    with pytest.raises(CommandError, match=message):
        import_ptv(ptv_server, "--organisations", f"{NAANTALI},{VAASA}", "--year", "2025")
    assert ptv_server.requests.count(f"{API}Organization/{VAASA}") == tries
    run = ImportRun.objects.get(source__key="ptv")
    assert run.status == ImportStatus.FAILED and run.errors
    assert not Indicator.objects.filter(source__key="ptv").exists()
    assert not Observation.objects.filter(indicator__source__key="ptv").exists()
