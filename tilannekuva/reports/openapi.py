"""The open data API's OpenAPI 3 description: one description in code, served at /api/v1/openapi.json and
checked against the API by schemathesis in the tests."""

from typing import Any

from django.conf import settings

from .opendata import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

JSON = "application/json"
CSV = "text/csv"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str, where: str, description: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "description": description, "required": required, "schema": schema}


def _format(choices: list[str]) -> dict[str, Any]:
    return _param("format", "query", "Answer format (default json).", {"type": "string", "enum": choices})


DIALECT = _param(
    "dialect",
    "query",
    "CSV dialect: machine (decimal point, default) or fi (a Finnish spreadsheet: decimal comma, codes as text).",
    {"type": "string", "enum": ["machine", "fi"]},
)
PAGE = _param("page", "query", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 1000000})
PAGE_SIZE = _param(
    "page_size",
    "query",
    f"Rows per page (default {DEFAULT_PAGE_SIZE}).",
    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
)
TEXT = {"type": "string"}
INDICATORS = {"type": "string", "pattern": r"^([a-z0-9-]+:)?[A-Za-z0-9_.-]+(,([a-z0-9-]+:)?[A-Za-z0-9_.-]+){0,19}$"}
YEARS = {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{4})?(,[0-9]{4}(-[0-9]{4})?){0,19}$"}
AREAS = {"type": "string", "pattern": r"^[a-z0-9_-]+(:[a-z0-9_-]+)?(,[a-z0-9_-]+(:[a-z0-9_-]+)?){0,49}$"}
YEAR = {"type": "integer", "minimum": 1990, "maximum": 2100}
GENDER = {"type": "string", "enum": ["total", "male", "female", "all"]}
REGION_PATH = _param("region", "path", "A region's identifier, e.g. etela-savo.", {"type": "string"}, required=True)


def _answers(json_schema: dict[str, Any], *, csv: bool = False, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {JSON: {"schema": json_schema}}
    if csv:
        content[CSV] = {"schema": {"type": "string"}}
    error = {JSON: {"schema": _ref("Error")}}
    headers = {
        "ETag": {"description": "Changes when the data changes.", "schema": {"type": "string"}},
        "Link": {"description": "The licence: rel=license.", "schema": {"type": "string"}},
        "X-Attribution": {"description": "The sources to credit.", "schema": {"type": "string"}},
    }
    answers = {
        "200": {"description": "The data, with its licence and sources.", "headers": headers, "content": content},
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
        "400": {"description": "A parameter that cannot be answered; the message names it.", "content": error},
        "404": {
            "description": "No such public region, indicator, area or published survey.",
            "content": error,
        },
        "429": {
            "description": "Too many requests from this address; try again after Retry-After seconds.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": error,
        },
    }
    answers.update(extra or {})
    return answers


def _attributed(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["licence", "sources", *required],
        "properties": {"licence": _ref("Licence"), "sources": {"type": "array", "items": _ref("Source")}, **properties},
    }


def _list(item: str) -> dict[str, Any]:
    return _attributed(
        {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "next": {"type": ["string", "null"]},
            "previous": {"type": ["string", "null"]},
            "results": {"type": "array", "items": _ref(item)},
        },
        ["count", "results"],
    )


SCHEMAS: dict[str, Any] = {
    "Licence": {
        "type": "object",
        "required": ["name", "url"],
        "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
    },
    "Source": {
        "type": "object",
        "required": ["name", "licence", "attribution"],
        "properties": {
            "name": {"type": "string"},
            "licence": {"type": "string"},
            "attribution": {"type": "string"},
            "url": {"type": "string"},
            "producer": {"type": "string"},
        },
    },
    "Error": _attributed({"error": {"type": "string"}}, ["error"]),
    "Area": {
        "type": "object",
        "required": ["code", "kind", "slug", "name_fi"],
        "properties": {
            "code": {"type": "string"},
            "kind": {"type": "string"},
            "slug": {"type": "string"},
            "name_fi": {"type": "string"},
            "name_sv": {"type": "string"},
        },
    },
    "Region": {
        "type": "object",
        "required": ["slug", "name", "area"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "area": _ref("Area"),
            "strategy": {"type": "string"},
        },
    },
    "Metric": {
        "type": "object",
        "required": ["key", "title", "kind", "binding_type"],
        "properties": {
            "key": {"type": "string"},
            "title": {"type": "string"},
            "kind": {"type": "string"},
            "unit": {"type": "string"},
            "direction": {"type": "string"},
            "frequency": {"type": "string"},
            "target": {"type": "string"},
            "source": {"type": "string"},
            "binding_type": {"type": "string"},
            "latest": {
                "type": ["object", "null"],
                "properties": {
                    "year": {"type": "integer"},
                    "value": {"type": "number"},
                    "vintage": {"type": "string"},
                    "synthetic": {"type": "boolean", "description": "true: derived from SYNTHETIC demo input."},
                },
            },
            "status": {"type": ["string", "null"]},
        },
    },
    "Goal": {
        "type": "object",
        "required": ["key", "level", "title", "metrics"],
        "properties": {
            "key": {"type": "string"},
            "code": {"type": "string"},
            "level": {"type": "string"},
            "title": {"type": "string"},
            "parent": {"type": ["string", "null"]},
            "responsible": {"type": "string"},
            "metrics": {"type": "array", "items": _ref("Metric")},
        },
    },
    "Indicator": {
        "type": "object",
        "required": ["id", "source", "external_id", "title_fi", "licence"],
        "properties": {
            "id": {"type": "string"},
            "source": {"type": "string"},
            "external_id": {"type": "string"},
            "title_fi": {"type": "string"},
            "title_sv": {"type": "string"},
            "title_en": {"type": "string"},
            "unit": {"type": "string"},
            "decimals": {"type": ["integer", "null"]},
            "direction": {"type": "string"},
            "producer": {"type": "string"},
            "licence": {"type": "string"},
            "first_year": {"type": ["integer", "null"]},
            "last_year": {"type": ["integer", "null"]},
            "vintage": {"type": "string"},
            "data_updated": {"type": ["string", "null"]},
        },
    },
    "Observation": {
        "type": "object",
        "required": ["indicator", "area_code", "area_kind", "year", "gender", "value"],
        "properties": {
            "indicator": {"type": "string"},
            "area_code": {"type": "string"},
            "area_kind": {"type": "string"},
            "area_name": {"type": "string"},
            "year": {"type": "integer"},
            "gender": {"type": "string", "enum": ["total", "male", "female"]},
            "classification": {"type": "string"},
            "value": {"type": ["number", "null"]},
            "absolute_value": {"type": ["number", "null"]},
        },
    },
    "JsonStatDataset": {
        "type": "object",
        "description": "A JSON-stat 2.0 dataset (https://json-stat.org/format/); licence and sources in extension.",
        "required": ["version", "class", "id", "size", "dimension", "value", "source", "extension"],
        "properties": {
            "version": {"type": "string", "enum": ["2.0"]},
            "class": {"type": "string", "enum": ["dataset"]},
            "label": {"type": "string"},
            "source": {"type": "string"},
            "updated": {"type": "string"},
            "id": {"type": "array", "items": {"type": "string"}},
            "size": {"type": "array", "items": {"type": "integer"}},
            "dimension": {"type": "object"},
            "value": {"type": ["object", "array"]},
            "extension": {"type": "object"},
        },
    },
}
NUMBER = {"type": ["number", "null"]}
SCHEMAS["Survey"] = {
    "type": "object",
    "required": ["id", "region", "key", "year", "title_fi", "respondents", "threshold", "demo", "results"],
    "properties": {
        "id": {"type": "integer"},
        "region": {"type": "string"},
        "key": {"type": "string"},
        "year": {"type": "integer"},
        "title_fi": {"type": "string"},
        "title_sv": {"type": "string"},
        "title_en": {"type": "string"},
        "status": {"type": "string"},
        "respondents": {"type": "integer", "description": "n: everyone who answered."},
        "threshold": {"type": "integer", "description": "The smallest group whose results are shown (at least 5)."},
        "demo": {"type": "boolean", "description": "true: SYNTHETIC demo answers, not anyone's real answers."},
        "synthetic": {"type": ["string", "null"]},
        "published_at": {"type": ["string", "null"]},
        "results": {"type": "string"},
        "page": {"type": "string"},
    },
}
SCHEMAS["SurveyQuestion"] = {
    "type": "object",
    "required": ["key", "kind", "text_fi", "n"],
    "properties": {
        "key": {"type": "string"},
        "kind": {"type": "string", "enum": ["nps", "scale_1_10", "scale_1_5", "likert", "single", "multiple", "text"]},
        "text_fi": {"type": "string"},
        "text_sv": {"type": "string"},
        "text_en": {"type": "string"},
        "scale_min": {"type": ["integer", "null"]},
        "scale_max": {"type": ["integer", "null"]},
        "n": {"type": "integer"},
        "nps": {
            "type": ["object", "null"],
            "description": "NPS = % promoters (9–10) − % detractors (up to 6); `label` names the scale asked on.",
            "properties": {
                "label": {"type": "string"},
                "score": {"type": ["integer", "null"]},
                "ci_low": {"type": ["integer", "null"]},
                "ci_high": {"type": ["integer", "null"]},
                "n": {"type": "integer"},
                "promoters": {"type": "integer"},
                "passives": {"type": "integer"},
                "detractors": {"type": "integer"},
            },
        },
        "mean": NUMBER,
        "median": NUMBER,
        "distribution": {
            "type": "array",
            "items": {"type": "object", "properties": {"value": {"type": "integer"}, "count": {"type": "integer"}}},
        },
        "choices": {"type": "array", "items": {"type": "object"}},
        "open_answers": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Only the open answers a moderator has approved for publication.",
        },
    },
}
SCHEMAS["SurveyGroup"] = {
    "type": "object",
    "description": "One kind of organisation; a suppressed group carries no figures (fewer respondents than the "
    "threshold, or hidden so that such a group cannot be worked out from the total).",
    "required": ["kind", "suppressed"],
    "properties": {
        "kind": {"type": ["string", "null"]},
        "suppressed": {"type": "boolean"},
        "reason": {"type": "string", "enum": ["fewer_than_threshold", "complementary"]},
        "n": {"type": "integer"},
        "values": {"type": "object", "additionalProperties": NUMBER},
    },
}
SCHEMAS["SurveyList"] = _list("Survey")
SCHEMAS["SurveyResults"] = _attributed(
    {
        "survey": _ref("Survey"),
        "shown": {"type": "boolean", "description": "false: fewer respondents than the threshold, no figures."},
        "n": {"type": "integer"},
        "score": {"type": ["object", "null"]},
        "questions": {"type": "array", "items": _ref("SurveyQuestion")},
        "by_organisation_kind": {"type": "array", "items": _ref("SurveyGroup")},
    },
    ["survey", "shown", "n", "questions", "by_organisation_kind"],
)
SCHEMAS["RegionList"] = _list("Region")
SCHEMAS["IndicatorList"] = _list("Indicator")
SCHEMAS["ObservationList"] = _list("Observation")
SCHEMAS["RegionAnswer"] = _attributed({"region": _ref("Region")}, ["region"])
SCHEMAS["IndicatorAnswer"] = _attributed({"indicator": _ref("Indicator")}, ["indicator"])
SCHEMAS["StrategyAnswer"] = _attributed(
    {
        "region": {"type": "string"},
        "follow_up_year": {"type": "integer"},
        "version": {"type": "object"},
        "goals": {"type": "array", "items": _ref("Goal")},
    },
    ["region", "version", "goals"],
)
SCHEMAS["Index"] = _attributed({"links": {"type": "object"}}, ["links"])


def document() -> dict[str, Any]:
    limit = settings.API_RATE_LIMIT
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tilannekuva open data API",
            "version": "1.0.0",
            "description": (
                "Read-only public data of Tilannekuva: regions with a public dashboard, their strategies with goals "
                "and metrics, the data bank's indicators and observations, and the published results of their "
                "surveys (the region is their source; demo surveys say SYNTHETIC). Every answer names its licence and "
                "sources: in JSON the top-level fields `licence` and `sources`, in CSV the `Link` (rel=license) and "
                "`X-Attribution` headers, in JSON-stat the `source` and `extension` fields. Answers carry an ETag "
                "and Cache-Control; "
                + (
                    f"each client address may make {limit} requests a minute (429 with Retry-After after that)."
                    if limit
                    else "no rate limit is set."
                )
            ),
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/": {
                "get": {"operationId": "index", "summary": "The API's parts", "responses": _answers(_ref("Index"))}
            },
            "/api/v1/regions/": {
                "get": {
                    "operationId": "regions",
                    "summary": "Regions with a public dashboard",
                    "parameters": [_format(["json", "csv"])],
                    "responses": _answers(_ref("RegionList"), csv=True),
                }
            },
            "/api/v1/regions/{region}/": {
                "get": {
                    "operationId": "region",
                    "summary": "A region",
                    "parameters": [REGION_PATH],
                    "responses": _answers(_ref("RegionAnswer")),
                }
            },
            "/api/v1/regions/{region}/strategy/": {
                "get": {
                    "operationId": "strategy",
                    "summary": "The strategy of a year: goals, metrics, each metric's latest value and status",
                    "parameters": [
                        REGION_PATH,
                        _param("year", "query", "Follow-up year (default: last full year).", YEAR),
                        _format(["json", "csv"]),
                    ],
                    "responses": _answers(_ref("StrategyAnswer"), csv=True),
                }
            },
            "/api/v1/regions/{region}/surveys/": {
                "get": {
                    "operationId": "surveys",
                    "summary": "The region's surveys whose results are published",
                    "parameters": [REGION_PATH, PAGE, PAGE_SIZE, _format(["json", "csv"])],
                    "responses": _answers(_ref("SurveyList"), csv=True),
                }
            },
            "/api/v1/surveys/{id}/results": {
                "get": {
                    "operationId": "survey_results",
                    "summary": "A survey's published results: small groups suppressed, approved open answers only",
                    "parameters": [
                        _param(
                            "id",
                            "path",
                            "The survey's id, from the region's survey list.",
                            {"type": "integer", "minimum": 1, "maximum": 2147483647},
                            required=True,
                        ),
                        _format(["json", "csv"]),
                    ],
                    "responses": _answers(_ref("SurveyResults"), csv=True),
                }
            },
            "/api/v1/indicators/": {
                "get": {
                    "operationId": "indicators",
                    "summary": "The data bank's indicators",
                    "parameters": [
                        _param("source", "query", "Only this source, e.g. sotkanet.", {"type": "string"}),
                        PAGE,
                        PAGE_SIZE,
                        _format(["json", "csv"]),
                    ],
                    "responses": _answers(_ref("IndicatorList"), csv=True),
                }
            },
            "/api/v1/indicators/{indicator}/": {
                "get": {
                    "operationId": "indicator",
                    "summary": "One indicator",
                    "parameters": [
                        _param("indicator", "path", "SOURCE:ID, e.g. sotkanet:127.", {"type": "string"}, required=True)
                    ],
                    "responses": _answers(_ref("IndicatorAnswer")),
                }
            },
            "/api/v1/observations/": {
                "get": {
                    "operationId": "observations",
                    "summary": "Observations of indicators, filtered by region, area, year and gender",
                    "parameters": [
                        _param(
                            "indicator", "query", "Indicators: sotkanet:127,sotkanet:3037.", INDICATORS, required=True
                        ),
                        _param("region", "query", "Only the areas of this region, and the region's own.", TEXT),
                        _param("area", "query", "Areas: slugs or KIND:CODE, comma-separated.", AREAS),
                        _param("year", "query", "Years: 2020, 2010-2022 or 2015,2020.", YEARS),
                        _param("gender", "query", "total (default), male, female or all.", GENDER),
                        PAGE,
                        PAGE_SIZE,
                        _format(["json", "csv", "jsonstat"]),
                        DIALECT,
                    ],
                    "responses": _answers({"anyOf": [_ref("ObservationList"), _ref("JsonStatDataset")]}, csv=True),
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
