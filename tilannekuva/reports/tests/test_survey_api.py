"""The published survey results in the open data API: a public region's published surveys only, suppressed groups
without figures, only approved open answers, the region as the source and SYNTHETIC where the survey is demo data."""

import csv
import io

import jsonschema
import pytest
from django.urls import reverse

from tilannekuva.regions.models import Region
from tilannekuva.reports.openapi import SCHEMAS
from tilannekuva.surveys import services
from tilannekuva.surveys.models import Answer, Survey, SurveyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world, users) -> Survey:
    """Twelve SYNTHETIC answers: municipalities 6, the county 5, the regional council 1; three open answers, the
    first one approved."""
    region = Region.objects.get(slug="etela-savo")
    admin = users["alice"]
    found = services.create_survey(region=region, template="partner-survey", year=2025, user=admin)
    services.set_status(survey=found, status=SurveyStatus.OPEN, user=admin)
    kinds = ["municipality"] * 6 + ["wellbeing_services_county"] * 5 + ["regional_council"]
    for index, kind in enumerate(kinds):
        text = f"Avoin vastaus {index}" if index < 3 else ""
        values: dict[str, int | str] = {"nps": 10 - index % 4, "q1": 7, "q2": 8, "q3": 6, "q4": 9, "q5": 5, "q6": text}
        services.submit_response(survey=found, values=values, organisation_kind=kind)
    first = Answer.objects.filter(response__survey=found).exclude(text="").order_by("pk")[0]
    services.moderate(answer=first, publish=True, user=admin)
    return services.set_status(survey=found, status=SurveyStatus.CLOSED, user=admin)  # only closed ones publish


def conforms(body: dict, schema: str) -> None:
    """The answer against its schema in the OpenAPI document (schemathesis's random ids rarely hit a survey)."""
    jsonschema.validate(body, {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}})


def results_url(survey: Survey) -> str:
    return reverse("reports:api_survey_results", args=[survey.pk])


def test_an_unpublished_survey_is_404_with_attribution(client, survey):
    for url in (results_url(survey), reverse("reports:api_surveys", args=["etela-savo"])):
        response = client.get(url)
        body = response.json()
        assert body["licence"]["name"] == "CC BY 4.0"
        if "results" not in url:
            assert response.status_code == 200 and body["count"] == 0
        else:
            assert response.status_code == 404 and "error" in body
    assert client.get("/api/v1/surveys/999999/results").status_code == 404


def test_published_results_suppress_small_groups_and_unapproved_answers(client, survey, users):
    services.publish_results(survey=survey, publish=True, user=users["alice"])
    response = client.get(results_url(survey))
    assert response.status_code == 200 and response["ETag"] and "max-age" in response["Cache-Control"]
    body = response.json()
    conforms(body, "SurveyResults")
    assert body["n"] == 12 and body["shown"] and body["survey"]["threshold"] == 5
    region_source = body["sources"][1]
    assert region_source["name"] == "Etelä-Savo" and region_source["licence"] == "CC BY 4.0"
    nps = next(q for q in body["questions"] if q["key"] == "nps")["nps"]
    assert nps["label"] == "NPS (1–10)" and nps["n"] == 12
    assert next(q for q in body["questions"] if q["key"] == "q6")["open_answers"] == ["Avoin vastaus 0"]
    assert "Avoin vastaus 1" not in response.text and "Avoin vastaus 2" not in response.text
    groups = {g["kind"]: g for g in body["by_organisation_kind"]}
    # the council (1) is under five, and the county (5) is hidden too so that the council cannot be worked out
    for kind in ("regional_council", "wellbeing_services_county"):
        assert groups[kind]["suppressed"] and "n" not in groups[kind] and "values" not in groups[kind]
    assert groups["municipality"]["n"] == 6 and groups["municipality"]["values"]["nps"] is not None
    listed = client.get(reverse("reports:api_surveys", args=["etela-savo"])).json()
    conforms(listed, "SurveyList")
    assert [s["id"] for s in listed["results"]] == [survey.pk]


def test_results_as_csv_have_no_hidden_group_and_no_open_answer(client, survey, users):
    services.publish_results(survey=survey, publish=True, user=users["alice"])
    response = client.get(results_url(survey), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv") and "license" in response["Link"]
    assert "Etela-Savo" in response["X-Attribution"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    assert {r["group"] for r in rows} == {"all", "municipality"}
    assert any(r["measure"] == "NPS (1–10)" and r["n"] == "12" for r in rows)
    assert "Avoin vastaus" not in response.content.decode()


def test_demo_surveys_say_synthetic_and_internal_regions_stay_out(client, survey, users):
    Survey.objects.filter(pk=survey.pk).update(demo=True)
    services.publish_results(survey=Survey.objects.get(pk=survey.pk), publish=True, user=users["alice"])
    body = client.get(results_url(survey)).json()
    assert body["survey"]["demo"] and "SYNTHETIC" in body["survey"]["synthetic"]
    assert "SYNTHETIC" in body["sources"][1]["attribution"]
    Region.objects.filter(slug="etela-savo").update(dashboard_public=False)
    assert client.get(results_url(survey)).status_code == 404
    assert client.get(reverse("reports:api_surveys", args=["etela-savo"])).status_code == 404


def test_under_the_threshold_the_published_results_have_no_figures(client, world, users):
    region = Region.objects.get(slug="etela-savo")
    small = services.create_survey(region=region, template="partner-survey", year=2024, user=users["alice"])
    services.set_status(survey=small, status=SurveyStatus.OPEN, user=users["alice"])
    services.submit_response(
        survey=small,
        values={"nps": 9, "q1": 7, "q2": 8, "q3": 6, "q4": 9, "q5": 5, "q6": "Yksin"},
        organisation_kind="municipality",
    )
    services.moderate(answer=Answer.objects.exclude(text="").get(), publish=True, user=users["alice"])
    services.set_status(survey=small, status=SurveyStatus.CLOSED, user=users["alice"])
    services.publish_results(survey=small, publish=True, user=users["alice"])
    body = client.get(results_url(small)).json()
    assert not body["shown"] and body["by_organisation_kind"] == []
    assert all(q["nps"] is None and q["mean"] is None and q["open_answers"] == [] for q in body["questions"])
