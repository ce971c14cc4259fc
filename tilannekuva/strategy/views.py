"""Public pages of a region's strategy: the version in force in a year, and a draft for the region's people."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tilannekuva.core.years import requested_year
from tilannekuva.regions.access import refuse, region_for
from tilannekuva.regions.permissions import can_view_internal, can_view_public_pages

from . import selectors


def region_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    """`?year=`: the version in force that year (default: this year); `?draft=`: the draft of that year, for those
    with a role in the region (a draft is not public while an adopted version is in force)."""
    region = region_for(request, region_slug, may=can_view_public_pages, with_strategy=True)
    draft = requested_year(request, parameter="draft")
    if draft is not None and not can_view_internal(request.user, region):
        refuse(request)
    page = selectors.strategy_page(region=region, year=requested_year(request), draft=draft)
    if page is None:
        raise Http404("no such strategy version")
    return render(request, "strategy/region.html", {"page": page})
