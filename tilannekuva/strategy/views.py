"""Public pages of a region's strategy."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def region_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    year = request.GET.get("year")
    if year is not None and not year.isdigit():
        raise Http404("year must be a number")
    page = selectors.strategy_page(region_slug=region_slug, year=int(year) if year else None)
    if page is None:
        raise Http404("no such region or year")
    return render(request, "strategy/region.html", {"page": page})
