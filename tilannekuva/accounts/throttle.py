"""Sign-in throttling: wrong passwords in a row lock one user name at one address for a while.

Kept in the database, so that every app server process sees the same counts. A lock concerns one
(user name, address) pair: the same person elsewhere, and everyone else at the same address, can still sign in.
An address that fails with many user names (LOGIN_FAILURE_LIMIT_PER_ADDRESS within the lock time) is refused
whatever name it tries. The settings are in settings.py and docs/SETTINGS.md.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from tilannekuva.accounts.models import LoginFailure

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the header the reverse proxy sets (CLIENT_ADDRESS_HEADER)."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        # X-Forwarded-For may be a list; the last entry is the one our own proxy added.
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def seconds_locked(*, username: str, address: str) -> int:
    """0 when a sign-in may be tried; else how many seconds the pair (or the address) stays refused."""
    now = timezone.now()
    locked_until = (
        LoginFailure.objects.filter(username=_key(username), address=address, locked_until__gt=now)
        .values_list("locked_until", flat=True)
        .first()
    )
    if locked_until is not None:
        return max(1, int((locked_until - now).total_seconds()))
    window = now - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    recent = LoginFailure.objects.filter(address=address, last_failure_at__gt=window)
    if (recent.aggregate(total=Sum("failures"))["total"] or 0) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
        latest = recent.order_by("-last_failure_at").values_list("last_failure_at", flat=True).first()
        assert latest is not None
        return max(1, int((latest + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS) - now).total_seconds()))
    return 0


def record_failure(*, username: str, address: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        failure, created = LoginFailure.objects.select_for_update().get_or_create(
            username=_key(username), address=address, defaults={"failures": 1, "last_failure_at": now}
        )
        if not created:
            if failure.locked_until is not None and failure.locked_until <= now:
                failure.failures = 1  # the lock has run out: a fresh series starts
                failure.locked_until = None
            else:
                failure.failures = F("failures") + 1  # type: ignore[assignment]
            failure.last_failure_at = now
            failure.save(update_fields=["failures", "last_failure_at", "locked_until"])
            failure.refresh_from_db(fields=["failures"])
        if created:
            _forget_old(now - timedelta(days=1))
        if failure.failures >= settings.LOGIN_FAILURE_LIMIT and failure.locked_until is None:
            failure.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
            failure.save(update_fields=["locked_until"])
            logger.warning("sign-in locked after %s wrong passwords", failure.failures, extra={"address": address})


def record_success(*, username: str, address: str) -> None:
    LoginFailure.objects.filter(username=_key(username), address=address).delete()


def _forget_old(before: object) -> None:
    """Rows of series that ended long ago are dropped whenever a new series starts: the table stays small."""
    LoginFailure.objects.filter(last_failure_at__lt=before, locked_until__isnull=True).delete()
    LoginFailure.objects.filter(last_failure_at__lt=before, locked_until__lt=before).delete()
