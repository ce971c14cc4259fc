"""Site-wide pages: the home page that lists the regions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tilannekuva.strategy.selectors import regions_with_strategy


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"regions": regions_with_strategy()})
