"""Public pages of a region's strategy."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tilannekuva.core.years import requested_year

from . import selectors


def region_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    page = selectors.strategy_page(region_slug=region_slug, year=requested_year(request))
    if page is None:
        raise Http404("no such region or year")
    return render(request, "strategy/region.html", {"page": page})
