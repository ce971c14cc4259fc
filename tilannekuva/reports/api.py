"""The open data API (/api/v1/): read-only, public data only, JSON, CSV and JSON-stat 2.0, with the licence and
sources on every answer, an ETag tied to the dashboard's cache generation, and a rate limit per client address."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode

from tilannekuva.core import csv_dialects, limits
from tilannekuva.core.limits import client_address
from tilannekuva.core.years import BadYear, parse_year
from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.dashboard import services as dashboard_services
from tilannekuva.databank import exports
from tilannekuva.surveys import selectors as survey_selectors

from . import jsonstat, openapi, opendata
from .opendata import BadRequest, NotFound

MAX_AGE = 300  # seconds a client or a proxy may keep an answer without asking again
WINDOW = 60  # the rate limit counts requests per minute


class Answer:
    """What a handler gives back: a JSON body with its attribution, or CSV rows, or a JSON-stat dataset."""

    def __init__(
        self,
        body: dict[str, Any],
        *,
        meta: dict[str, Any],
        csv_rows: list[dict[str, Any]] | None = None,
        csv_columns: tuple[str, ...] | None = None,
    ) -> None:
        self.body = body
        self.meta = meta
        self.csv_rows = csv_rows
        self.csv_columns = csv_columns


def _json(body: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), status=status, content_type="application/json; charset=utf-8"
    )


def _attribute(response: HttpResponse, meta: dict[str, Any]) -> HttpResponse:
    response["Link"] = f'<{meta["licence"]["url"]}>; rel="license"'
    response["X-Attribution"] = opendata.attribution_text(meta)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, *, status: int, meta: dict[str, Any] | None = None) -> HttpResponse:
    meta = meta or opendata.attribution()
    return _attribute(_json({**meta, "error": message}, status=status), meta)


def _csv(
    rows: list[dict[str, Any]], columns: tuple[str, ...] | None = None, dialect: str = csv_dialects.MACHINE
) -> str:
    """';'-separated UTF-8 with a byte-order mark, as `tilannekuva export` writes a CSV file; `dialect=fi` for a
    Finnish spreadsheet (a decimal comma, codes such as area_code kept as text)."""
    names = list(columns or (rows[0] if rows else []))
    codes = [n for n in names if n == "code" or n.endswith("_code")]
    return csv_dialects.csv_in_dialect(
        [names, *([row[c] for c in names] for row in rows)] if names else [], dialect, codes=codes
    )


def _rate_limited(request: HttpRequest) -> int:
    """0 when the request may go on; else the seconds until this address may ask again (counted in the store every
    server process shares, tilannekuva.core.limits)."""
    return limits.hit("api", client_address(request), limit=settings.API_RATE_LIMIT, seconds=WINDOW).retry_after


def _etag(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.get_full_path().encode("utf-8")).hexdigest()[:20]
    return f'"{dashboard_services.generation()}-{digest}"'


def api_view(handler: Callable[..., Answer], *, formats: tuple[str, ...] = ("json",)) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = _error("only GET and HEAD", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        wait = _rate_limited(request)
        if wait:
            response = _error(f"too many requests: try again in {wait} seconds", status=429)
            response["Retry-After"] = str(wait)
            return response
        fmt = request.GET.get("format", "json")
        if fmt not in formats:
            return _error(f"format: one of {', '.join(formats)}", status=400)
        dialect = request.GET.get("dialect", csv_dialects.MACHINE)
        if dialect not in csv_dialects.DIALECTS:
            return _error(f"dialect: one of {', '.join(csv_dialects.DIALECTS)}", status=400)
        etag = _etag(request)
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            response = _attribute(HttpResponse(status=304), opendata.attribution())
        else:
            try:
                answer = handler(request, **kwargs)
            except BadRequest as exc:
                return _error(str(exc), status=400)
            except (NotFound, dashboard_selectors.NotFound) as exc:
                return _error(str(exc), status=404)
            if fmt == "csv":
                response = HttpResponse(
                    _csv(answer.csv_rows or [], answer.csv_columns, dialect), content_type="text/csv; charset=utf-8"
                )
            elif fmt == "jsonstat":
                response = _json(answer.body)
            else:
                response = _json({**answer.meta, **answer.body})
            _attribute(response, answer.meta)
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response["Vary"] = "Accept-Encoding"
        return response

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _page_links(request: HttpRequest, page: opendata.Page) -> dict[str, str | None]:
    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return f"{request.path}?{params.urlencode()}"

    return {
        "next": link(page.number + 1) if page.has_next else None,
        "previous": link(page.number - 1) if page.number > 1 else None,
    }


def _index(request: HttpRequest) -> Answer:
    links = {
        "openapi": "/api/v1/openapi.json",
        "regions": "/api/v1/regions/",
        "indicators": "/api/v1/indicators/",
        "observations": "/api/v1/observations/?indicator=sotkanet:127&region=etela-savo",
        "surveys": "/api/v1/regions/etela-savo/surveys/",
    }
    return Answer({"links": links}, meta=opendata.attribution())


def _regions(request: HttpRequest) -> Answer:
    regions = [opendata.region_json(r) for r in opendata.public_regions()]
    rows = [
        {"slug": r["slug"], "name": r["name"], "area_kind": r["area"]["kind"], "area_code": r["area"]["code"]}
        for r in regions
    ]
    body = {"count": len(regions), "page": 1, "page_size": len(regions), "next": None, "previous": None}
    return Answer({**body, "results": regions}, meta=opendata.attribution(), csv_rows=rows)


def _region(request: HttpRequest, region: str) -> Answer:
    return Answer({"region": opendata.region_json(opendata.public_region(region))}, meta=opendata.attribution())


def _strategy(request: HttpRequest, region: str) -> Answer:
    found = opendata.public_region(region)
    text = request.GET.get("year", "")
    try:
        year = parse_year(text) if text.strip() else dashboard_selectors.default_year()
    except BadYear as exc:
        raise BadRequest(str(exc)) from None
    body = opendata.strategy_json(found, year=year)
    rows = [
        {
            "goal": goal["key"],
            "goal_title": goal["title"],
            "metric": metric["key"],
            "metric_title": metric["title"],
            "unit": metric["unit"],
            "target": metric["target"],
            "source": metric["source"],
            "year": metric["latest"]["year"] if metric["latest"] else None,
            "value": metric["latest"]["value"] if metric["latest"] else None,
            "vintage": metric["latest"]["vintage"] if metric["latest"] else "",
            "status": metric["status"],
        }
        for goal in body["goals"]
        for metric in goal["metrics"]
    ]
    return Answer(body, meta=opendata.attribution(), csv_rows=rows)


def _indicators(request: HttpRequest) -> Answer:
    page = opendata.paginate(opendata.indicators(source=request.GET.get("source", "")), request.GET)
    results = [opendata.indicator_json(i) for i in page.items]
    body = {"count": page.count, "page": page.number, "page_size": page.size, **_page_links(request, page)}
    return Answer({**body, "results": results}, meta=opendata.attribution(page.items), csv_rows=results)


def _indicator(request: HttpRequest, indicator: str) -> Answer:
    found = opendata.indicator_for(indicator)
    return Answer({"indicator": opendata.indicator_json(found)}, meta=opendata.attribution([found]))


def _observations(request: HttpRequest) -> Answer:
    chosen = opendata.parse_filter(request.GET)
    page = opendata.paginate(opendata.observations(chosen), request.GET)
    meta = opendata.attribution(chosen.indicators)
    if request.GET.get("format") == "jsonstat":
        params = request.GET.copy()
        params.pop("format", None)
        label = ", ".join(i.title_fi for i in chosen.indicators)[:300]
        json_link = request.build_absolute_uri(
            f"{request.path}?{urlencode(sorted((k, str(v)) for k, v in params.items()))}"
        )
        return Answer(jsonstat.dataset(page.items, meta=meta, label=label, links={"json": json_link}), meta=meta)
    results = [opendata.observation_json(o) for o in page.items]
    body = {"count": page.count, "page": page.number, "page_size": page.size, **_page_links(request, page)}
    # The CSV has the columns of `tilannekuva export observations` (databank/exports.py), in its order.
    rows = [exports.record(o) for o in page.items]
    return Answer({**body, "results": results}, meta=meta, csv_rows=rows, csv_columns=exports.COLUMNS)


def _surveys(request: HttpRequest, region: str) -> Answer:
    found = opendata.public_region(region)
    page = opendata.paginate(survey_selectors.published_surveys(found), request.GET)
    results = [opendata.survey_json(s) for s in page.items]
    body = {"count": page.count, "page": page.number, "page_size": page.size, **_page_links(request, page)}
    rows = [{k: v for k, v in r.items() if k not in ("results", "page")} for r in results]
    return Answer({**body, "results": results}, meta=opendata.survey_attribution(found, page.items), csv_rows=rows)


def _survey_results(request: HttpRequest, id: int) -> Answer:
    survey = opendata.published_survey(id)
    body = opendata.survey_results_json(survey)
    meta = opendata.survey_attribution(survey.region, [survey])
    return Answer(body, meta=meta, csv_rows=opendata.survey_csv_rows(body))


def openapi_json(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3 description of this API."""
    if request.method not in ("GET", "HEAD"):
        return _error("only GET and HEAD", status=405)
    response = _attribute(_json(openapi.document()), opendata.attribution())
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


index = api_view(_index)
regions = api_view(_regions, formats=("json", "csv"))
region = api_view(_region)
strategy = api_view(_strategy, formats=("json", "csv"))
indicators = api_view(_indicators, formats=("json", "csv"))
indicator = api_view(_indicator)
observations = api_view(_observations, formats=("json", "csv", "jsonstat"))
surveys = api_view(_surveys, formats=("json", "csv"))
survey_results = api_view(_survey_results, formats=("json", "csv"))
