"""The health check for load balancers: it needs nothing but this process and its database, so it stands on the
ground floor with the middleware and the logs (the home page is the roof's, tilannekuva.portal). And the answer to
an error: while the database cannot be reached, 503 with Retry-After and what the person typed, never a bare 500."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
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


# Seconds after which a request may be sent again while the database is away (a restart takes a few seconds).
RETRY_AFTER_SECONDS = 30
# Fields never written back into a page: passwords, and the CSRF token (kept as a hidden field only).
NOT_SHOWN = ("password", "csrfmiddlewaretoken")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an error while the database cannot be reached (a restart, a lost connection) is 503 with
    Retry-After and a page that keeps what the person typed, to send again; any other error is Django's 500."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    logger.error("database unreachable: answered 503 (%s: %s)", error.__class__.__name__, error)
    typed: list[tuple[str, list[str]]] = []
    token = ""
    if request.method == "POST":
        try:
            token = request.POST.get("csrfmiddlewaretoken", "")
            typed = [
                (name, values)
                for name, values in request.POST.lists()
                if not any(hidden in name.lower() for hidden in NOT_SHOWN)
            ]
        except Exception:  # noqa: BLE001 - an unreadable body: nothing to keep, the 503 stands
            typed = []
    # Rendered without the request: the context processors (the user, messages) would ask the database.
    content = loader.get_template("core/unavailable.html").render(
        {"typed": typed, "token": token, "action": request.path, "retry": RETRY_AFTER_SECONDS}
    )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
