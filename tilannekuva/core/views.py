"""Site-wide pages: the home page that lists the regions, and the health check for load balancers."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tilannekuva.strategy.selectors import regions_with_strategy

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"regions": regions_with_strategy()})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when this process can answer and reach its database; 503 otherwise. No version, no secrets:
    the answer is public. One `SELECT 1`, so a load balancer may ask every few seconds."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check: the database cannot be reached (%s)", exc.__class__.__name__)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
