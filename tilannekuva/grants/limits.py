"""The public application form's limits per client address (tilannekuva.core.limits): applications accepted, and
the megabytes sent, an hour (settings.GRANT_APPLICATIONS_PER_ADDRESS, GRANT_UPLOAD_MB_PER_ADDRESS)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tilannekuva.core import limits


def application_limits(request: HttpRequest, kwargs: dict[str, Any]) -> list[limits.Rule]:
    """Per address and hour: accepted applications, and the megabytes sent (settings.GRANT_*_PER_ADDRESS)."""
    address = limits.client_address(request)
    try:
        size = max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        size = 0
    return [
        limits.Rule("grant-applications", address, settings.GRANT_APPLICATIONS_PER_ADDRESS, limits.HOUR),
        limits.Rule(
            "grant-upload",
            address,
            settings.GRANT_UPLOAD_MB_PER_ADDRESS * limits.MEGABYTE,
            limits.HOUR,
            amount=size,
            refunds=False,
        ),
    ]
