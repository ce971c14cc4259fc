"""The dashboard's pages: the strategy at a glance, a metric, a comparison of areas, a municipality's profile,
and a metric's downloads. Public unless the region marks its dashboard internal."""

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tilannekuva.core import charts
from tilannekuva.core.i18n import current_language
from tilannekuva.core.years import requested_year
from tilannekuva.inequality.selectors import inequality_of
from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_view_dashboard, can_view_internal

from . import downloads, profiles, progress, selectors, services
from .geo import region_features


def _region(request: HttpRequest, region_slug: str) -> Region:
    return region_for(request, region_slug, may=can_view_dashboard, with_strategy=True)


def _year(request: HttpRequest) -> int:
    return requested_year(request, default=selectors.default_year())


def _page(
    request: HttpRequest,
    body_template: str,
    parts: tuple[object, ...],
    build: Any,
    reads: list[tuple[str, str]],
) -> HttpResponse:
    """Render the page around a body fragment that is cached per generation, language and visitor kind.

    The fragment holds no CSRF token and nothing of the user's own, so one rendering serves every visitor of
    the same kind. For a signed-in user the frame (header with the log-out form) is rendered around it on each
    request; for anonymous visitors the frame holds nothing of their own either (the language switch needs no
    token), so the whole response is kept by `AnonymousPageCacheMiddleware`, under the query parameters the page
    read (`reads`: each parameter with the value as the page understood it).
    """
    region: Region = parts[0]  # type: ignore[assignment]
    internal = can_view_internal(request.user, region)
    key = (body_template, region.pk, current_language(), internal, *parts[1:])

    def render_body() -> dict[str, Any]:
        context = build()
        context.update(internal=internal, region=region)
        return {
            "title": context["title"],
            "body": render_to_string(body_template, context),
            "charts": context.get("charts", False),
            "dashboard_script": context.get("dashboard_script", False),
        }

    def render_page() -> str:
        page = services.cached_fragment(key, render_body)
        context = {**page, "body": mark_safe(page["body"])}  # noqa: S308 - our own rendering, escaped by its template
        return render_to_string("dashboard/page.html", context, request=request)

    try:
        response = HttpResponse(render_page())
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc
    # An anonymous visitor's page holds nothing of their own: AnonymousPageCacheMiddleware keeps it whole.
    response.cache_for_anonymous = not request.user.is_authenticated  # type: ignore[attr-defined]
    response.cache_params = reads  # type: ignore[attr-defined]
    return response


OPEN_PARAMETER = "auki"  # ?auki=key1,key2: the goals whose metrics are open on the dashboard
OPEN_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
OPEN_MAX = 20


def _open_areas(request: HttpRequest) -> tuple[str, ...]:
    """The goal keys of `?auki=`, sorted and at most OPEN_MAX, so that one rendering serves every order."""
    keys = {k for k in request.GET.get(OPEN_PARAMETER, "").lower().split(",") if OPEN_KEY.fullmatch(k)}
    return tuple(sorted(keys)[:OPEN_MAX])


@require_GET
def dashboard(request: HttpRequest, region_slug: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)
    code = request.GET.get("kunta", "")
    if code:  # the picker's shareable address: ?kunta=491 opens Mikkeli's profile
        if not any(m.code == code for m in selectors.municipalities(region, year=year)):
            raise Http404(f"municipality {code} is not in {region} in {year}")
        profile = reverse("dashboard:municipality", args=[region.slug, code])
        return HttpResponseRedirect(f"{profile}?{urlencode({'year': year})}")
    open_areas = _open_areas(request)

    def build() -> dict[str, Any]:
        board = selectors.dashboard(region=region, year=year)
        title = _("Dashboard: %(region)s") % {"region": region.name}
        return {
            "board": board,
            "municipalities": selectors.municipalities(region, year=year),
            "title": title,
            "open_areas": open_areas,
            "dashboard_script": True,
        }

    reads = [("year", str(year)), (OPEN_PARAMETER, ",".join(open_areas))]
    return _page(request, "dashboard/_dashboard.html", (region, year, ",".join(open_areas)), build, reads)


@require_GET
def metric_page(request: HttpRequest, region_slug: str, metric_key: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)
    choice = downloads.chart_choice(request.GET)
    # Only the region's own municipalities are drawn: other codes neither change the page nor make new cache entries.
    members = {area.code for area in selectors.municipalities(region, year=year)}
    choice = downloads.ChartChoice(gender=choice.gender, codes=tuple(c for c in choice.codes if c in members))

    def build() -> dict[str, Any]:
        card = selectors.metric_card(region=region, metric_key=metric_key, year=year)
        chart = downloads.metric_chart(card, region=region, choice=choice, language=current_language())
        return {
            "card": card,
            "progress": progress.progress_of(card),
            "chart": chart,
            "inequality": inequality_of(
                metric=card.metric,
                indicator=card.data.indicator if card.data else None,
                area=region.area,
                direction=card.assessment.direction,
                series=card.data.series if card.data else None,
                up_to=year,
            ),
            "choice": choice,
            "year": year,
            "query": urlencode([("year", str(year)), ("gender", choice.gender), *(("m", c) for c in choice.codes)]),
            "title": card.metric.title[:80],
            "charts": True,
        }

    reads = [("year", str(year)), ("gender", choice.gender), *(("m", code) for code in choice.codes)]
    return _page(request, "dashboard/_metric.html", (region, metric_key, year, choice.key), build, reads)


@require_GET
def comparison(request: HttpRequest, region_slug: str, metric_key: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)
    sort = request.GET.get("sort", "better")
    sort = sort if sort in selectors.SORTS else "better"
    order = "desc" if request.GET.get("order") == "desc" else "asc"

    def build() -> dict[str, Any]:
        result = selectors.comparison(region=region, metric_key=metric_key, year=year, sort=sort, order=order)
        spec = None
        if any(v is not None for v in result.values_by_code.values()):
            spec = charts.choropleth(
                region_features(region.area, year=result.year),
                result.values_by_code,
                title=result.card.metric.title[:120],
                legend_title=result.card.unit or "",
                language=current_language(),
                higher_is_better=downloads.higher_is_better(result.direction),
            )
        title = _("Comparison: %(metric)s") % {"metric": result.card.metric.title[:80]}
        return {
            "comparison": result,
            "card": result.card,
            "map_spec": spec,
            "year": year,
            "years": selectors.year_choices(result.card.metric.version, [result.card], year=year),
            "keep": [("sort", result.sort), ("order", result.order)],
            "sort_columns": [("name", _("Area")), ("better", _("Rank")), ("value", _("Value"))],
            "title": title,
            "charts": True,
        }

    reads = [("year", str(year)), ("sort", sort), ("order", order)]
    return _page(request, "dashboard/_comparison.html", (region, metric_key, year, sort, order), build, reads)


@require_GET
def municipality(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)

    def build() -> dict[str, Any]:
        profile = profiles.municipality_profile(region=region, code=code, year=year)
        municipalities = selectors.municipalities(region, year=year)
        title = _("%(municipality)s in the %(region)s partnership") % {
            "municipality": profile.municipality.name,
            "region": region.name,
        }
        years = selectors.year_choices(profile.version, [row.card for row in profile.rows], year=year)
        return {"profile": profile, "year": year, "years": years, "title": title, "municipalities": municipalities}

    return _page(request, "dashboard/_municipality.html", (region, code, year), build, [("year", str(year))])


@require_GET
def metric_download(request: HttpRequest, region_slug: str, metric_key: str, fmt: str) -> HttpResponse:
    """The metric's data (csv, xlsx) or its chart (svg, png), as on the metric page with the same filters."""
    region, year = _region(request, region_slug), _year(request)
    try:
        card = selectors.metric_card(region=region, metric_key=metric_key, year=year)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc
    return downloads.response(
        card,
        region=region,
        fmt=fmt,
        choice=downloads.chart_choice(request.GET),
        language=current_language(),
        dialect=request.GET.get("dialect", ""),
    )
