"""The home page: the regions that have a strategy, each with its dashboard (an internal region only for its
roles)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tilannekuva.regions.permissions import visible_regions
from tilannekuva.strategy.selectors import regions_with_strategy


def home(request: HttpRequest) -> HttpResponse:
    visible = set(visible_regions(request.user).values_list("pk", flat=True))
    regions = [r for r in regions_with_strategy() if r.pk in visible]
    return render(request, "portal/home.html", {"regions": regions})
