"""The dashboard's pages: the strategy at a glance, a metric, a comparison of areas, a municipality's profile,
and a metric's downloads. Public unless the region marks its dashboard internal."""

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tilannekuva.core import charts
from tilannekuva.inequality.selectors import inequality_of
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_view_dashboard, can_view_internal

from . import downloads, selectors, services
from .geo import region_features

MIN_YEAR, MAX_YEAR = 1900, 2100


def _region(request: HttpRequest, region_slug: str) -> Region:
    try:
        region = selectors.region_for(region_slug)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc
    if not can_view_dashboard(request.user, region):
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise PermissionDenied
    return region


class _LoginRequired(Exception):
    """An anonymous visitor asked for an internal dashboard: send them to log in."""


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    if not text:
        return selectors.default_year()
    if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise Http404("year must be a year such as 2024")
    return int(text)


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _page(request: HttpRequest, body_template: str, parts: tuple[object, ...], build: Any) -> HttpResponse:
    """Render the page around a body fragment that is cached per generation, language and visitor kind.

    The fragment holds no CSRF token and nothing of the user's own, so one rendering serves every visitor of
    the same kind. For a signed-in user the frame (header with the log-out form) is rendered around it on each
    request; for anonymous visitors the frame holds nothing of their own either (the language switch needs no
    token), so the whole response is kept by `AnonymousPageCacheMiddleware`.
    """
    region: Region = parts[0]  # type: ignore[assignment]
    internal = can_view_internal(request.user, region)
    key = (body_template, region.pk, _language(), internal, *parts[1:])

    def render_body() -> dict[str, Any]:
        context = build()
        context.update(internal=internal, region=region)
        return {
            "title": context["title"],
            "body": render_to_string(body_template, context),
            "charts": context.get("charts", False),
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
    return response


def _guarded(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_GET(wrapper)


@_guarded
def dashboard(request: HttpRequest, region_slug: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)

    def build() -> dict[str, Any]:
        board = selectors.dashboard(region=region, year=year)
        title = _("Dashboard: %(region)s") % {"region": region.name}
        return {"board": board, "municipalities": selectors.municipalities(region, year=year), "title": title}

    return _page(request, "dashboard/_dashboard.html", (region, year), build)


@_guarded
def metric_page(request: HttpRequest, region_slug: str, metric_key: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)
    choice = downloads.chart_choice(request.GET)

    def build() -> dict[str, Any]:
        card = selectors.metric_card(region=region, metric_key=metric_key, year=year)
        chart = downloads.metric_chart(card, region=region, choice=choice, language=_language())
        return {
            "card": card,
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

    return _page(request, "dashboard/_metric.html", (region, metric_key, year, choice.key), build)


@_guarded
def comparison(request: HttpRequest, region_slug: str, metric_key: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)
    sort, order = request.GET.get("sort", "better"), request.GET.get("order", "asc")

    def build() -> dict[str, Any]:
        result = selectors.comparison(region=region, metric_key=metric_key, year=year, sort=sort, order=order)
        spec = None
        if any(v is not None for v in result.values_by_code.values()):
            spec = charts.choropleth(
                region_features(region.area, year=year),
                result.values_by_code,
                title=result.card.metric.title[:120],
                legend_title=result.card.unit or "",
                language=_language(),
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

    return _page(request, "dashboard/_comparison.html", (region, metric_key, year, sort, order), build)


@_guarded
def municipality(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region, year = _region(request, region_slug), _year(request)

    def build() -> dict[str, Any]:
        profile = selectors.municipality_profile(region=region, code=code, year=year)
        title = _("%(municipality)s in the %(region)s partnership") % {
            "municipality": profile.municipality.name,
            "region": region.name,
        }
        years = selectors.year_choices(profile.version, [row.card for row in profile.rows], year=year)
        return {"profile": profile, "year": year, "years": years, "title": title}

    return _page(request, "dashboard/_municipality.html", (region, code, year), build)


@_guarded
def metric_download(request: HttpRequest, region_slug: str, metric_key: str, fmt: str) -> HttpResponse:
    """The metric's data (csv, xlsx) or its chart (svg, png), as on the metric page with the same filters."""
    region, year = _region(request, region_slug), _year(request)
    try:
        card = selectors.metric_card(region=region, metric_key=metric_key, year=year)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc
    return downloads.response(
        card, region=region, fmt=fmt, choice=downloads.chart_choice(request.GET), language=_language()
    )
