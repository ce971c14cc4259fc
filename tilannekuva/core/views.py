"""The health check for load balancers: it needs nothing but this process and its database, so it stands on the
ground floor with the middleware and the logs (the home page is the roof's, tilannekuva.portal)."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


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
