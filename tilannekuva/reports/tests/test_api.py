"""The open data API: public data only, JSON, CSV and JSON-stat with attribution on every answer, pagination and
filters, caching headers, the rate limit, and the OpenAPI document checked against the API by schemathesis."""

import csv
import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from jsonstat_validator import validate_jsonstat
from schemathesis.core.result import Ok

from tilannekuva.regions.models import Region

pytestmark = pytest.mark.django_db

OBSERVATIONS = "/api/v1/observations/"


def _attributed(body: dict) -> None:
    assert body["licence"]["name"] == "CC BY 4.0"
    assert body["sources"][0]["name"] == "Tilannekuva"


def test_regions_lists_only_public_regions_with_attribution(client, world):
    Region.objects.filter(slug="pohjois-savo").update(dashboard_public=False)
    response = client.get("/api/v1/regions/")
    assert response.status_code == 200
    body = response.json()
    _attributed(body)
    slugs = [r["slug"] for r in body["results"]]
    assert "etela-savo" in slugs and "pohjois-savo" not in slugs
    assert client.get("/api/v1/regions/pohjois-savo/strategy/").status_code == 404
    assert client.get(OBSERVATIONS, {"indicator": "x", "region": "pohjois-savo"}).status_code == 404


def test_strategy_lists_goals_and_metrics_with_latest_value_and_status(client, injuries):
    body = client.get("/api/v1/regions/etela-savo/strategy/", {"year": "2024"}).json()
    _attributed(body)
    metrics = {m["key"]: m for goal in body["goals"] for m in goal["metrics"]}
    assert metrics[injuries.key]["latest"]["year"] == 2024
    assert metrics[injuries.key]["status"] in {"on_track", "needs_attention", "off_track", "not_assessed"}
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/api/v1/regions/etela-savo/strategy/?format=csv").content.decode()), delimiter=";"
        )
    )
    assert any(row["metric"] == injuries.key for row in rows)


def test_observations_filter_by_region_year_and_area_and_page(client, thl_series):
    response = client.get(OBSERVATIONS, {"indicator": "sotkanet:900001", "region": "etela-savo", "year": "2021-2022"})
    body = response.json()
    _attributed(body)
    assert body["sources"][1]["licence"] == "CC BY 4.0"
    assert {r["year"] for r in body["results"]} == {2021, 2022}
    assert {r["area_code"] for r in body["results"]} == {"491", "178", "10"}  # the country is not in the region
    mikkeli = client.get(OBSERVATIONS, {"indicator": "900001", "area": "mikkeli", "gender": "all"}).json()
    assert mikkeli["count"] == 8 and {r["gender"] for r in mikkeli["results"]} == {"total", "female"}
    first = client.get(OBSERVATIONS, {"indicator": "sotkanet:900001", "page_size": "5"}).json()
    assert first["count"] == 16 and len(first["results"]) == 5 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["page"] == 2 and second["results"][0] != first["results"][0]


def test_observations_as_csv_carry_the_licence_in_headers(client, thl_series):
    response = client.get(OBSERVATIONS, {"indicator": "sotkanet:900001", "format": "csv", "year": "2023"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'rel="license"' in response["Link"] and "creativecommons.org/licenses/by/4.0" in response["Link"]
    assert "Sotkanet / THL" in response["X-Attribution"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    assert {row["area_code"] for row in rows} == {"491", "178", "10", "FI"}


def test_observations_as_jsonstat_pass_the_validator_and_carry_the_sources(client, thl_series):
    response = client.get(
        OBSERVATIONS, {"indicator": "sotkanet:900001", "region": "etela-savo", "gender": "all", "format": "jsonstat"}
    )
    dataset = response.json()
    assert validate_jsonstat(dataset)
    assert dataset["size"] == [1, 3, 4, 2]
    assert "Sotkanet / THL" in dataset["source"]
    assert dataset["extension"]["licence"]["name"] == "CC BY 4.0"
    areas = dataset["dimension"]["area"]["category"]["index"]
    assert set(areas) == {"maakunta:10", "municipality:178", "municipality:491"}
    assert dataset["dimension"]["gender"]["category"]["index"] == {"total": 0, "female": 1}
    mikkeli_2023_total = ((0 * 3 + areas["municipality:491"]) * 4 + 3) * 2 + 0
    assert dataset["value"][str(mikkeli_2023_total)] == 13.0


def test_empty_jsonstat_answer_is_still_a_valid_dataset(client, thl_series):
    dataset = client.get(OBSERVATIONS, {"indicator": "sotkanet:900001", "year": "1990", "format": "jsonstat"}).json()
    assert validate_jsonstat(dataset)


def test_bad_parameters_are_named_in_a_400_with_attribution(client, thl_series):
    for params, word in (
        ({}, "indicator"),
        ({"indicator": "sotkanet:no pe"}, "indicator"),
        ({"indicator": "900001", "year": "20x"}, "year"),
        ({"indicator": "900001", "page_size": "5000"}, "page_size"),
        ({"indicator": "900001", "format": "xml"}, "format"),
    ):
        response = client.get(OBSERVATIONS, params)
        assert response.status_code == 400, params
        assert word in response.json()["error"]
        _attributed(response.json())


def test_etag_answers_not_modified_until_the_data_changes(client, thl_series):
    first = client.get("/api/v1/indicators/")
    assert first["Cache-Control"].startswith("public")
    again = client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    from tilannekuva.dashboard.services import invalidate

    invalidate()
    assert client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_rate_limit_answers_429_with_retry_after(client, world, settings):
    settings.API_RATE_LIMIT = 3
    answers = [client.get("/api/v1/", REMOTE_ADDR="192.0.2.7").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/", REMOTE_ADDR="192.0.2.7")
    assert 1 <= int(limited["Retry-After"]) <= 61
    _attributed(limited.json())
    assert client.get("/api/v1/", REMOTE_ADDR="192.0.2.8").status_code == 200


def test_openapi_document_is_served(client, world):
    document = client.get(reverse("reports:api_openapi")).json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/observations/" in document["paths"]


def test_api_conforms_to_its_openapi_document(thl_series, settings):
    """schemathesis generates requests from the OpenAPI document (a few per operation) and checks each answer
    against it: status codes, content types, response schemas, and no server errors."""
    settings.API_RATE_LIMIT = 0
    settings.ALLOWED_HOSTS = ["*"]
    # As Django's test client does: the WSGI handler must not close the test's database connection (and with it
    # the test's transaction) at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _check_every_operation()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _check_every_operation() -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), "the OpenAPI document has an invalid operation"
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case):
            case.call_and_validate()

        check()
