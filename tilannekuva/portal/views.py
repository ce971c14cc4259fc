"""The home page: the regions that have a strategy, each with its dashboard."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tilannekuva.strategy.selectors import regions_with_strategy


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"regions": regions_with_strategy()})
