"""Sign-in throttling: wrong passwords in a row lock one user name at one address for a while.

Kept in the database, so that every app server process sees the same counts. An attempt is counted before its
password is checked (`claim_attempt`, one locked row per pair), so that parallel attempts cannot all pass the check
before any of them is counted: at most LOGIN_FAILURE_LIMIT passwords are checked per lock period, however many
workers and servers take them; a right password forgets the count (`record_success`). A lock concerns one
(user name, address) pair: the same person elsewhere, and everyone else at the same address, can still sign in.
An address that fails with many user names (LOGIN_FAILURE_LIMIT_PER_ADDRESS within the lock time) is refused
whatever name it tries. The settings are in settings.py and docs/SETTINGS.md.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from tilannekuva.accounts.models import LoginFailure
from tilannekuva.core.limits import client_address  # noqa: F401 - the sign-in form's one reading of the address

logger = logging.getLogger(__name__)


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _address_wait(address: str, now: datetime) -> int:
    """0, or the seconds an address that failed with too many user names stays refused."""
    window = now - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    recent = LoginFailure.objects.filter(address=address, last_failure_at__gt=window)
    if (recent.aggregate(total=Sum("failures"))["total"] or 0) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
        latest = recent.order_by("-last_failure_at").values_list("last_failure_at", flat=True).first()
        assert latest is not None
        return max(1, int((latest + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS) - now).total_seconds()))
    return 0


def claim_attempt(*, username: str, address: str) -> int:
    """Count one sign-in attempt of (user name, address) as a wrong password before the password is checked.

    0: go on and check it (`record_success` forgets the count if it was right); else the seconds the pair (or the
    address) stays refused, and the password must not be checked. The pair's row is locked while it is counted
    (SELECT ... FOR UPDATE; SQLite takes its write lock at the transaction's start), so parallel attempts are
    counted one after another and the attempt that reaches LOGIN_FAILURE_LIMIT sets the lock for all after it."""
    now = timezone.now()
    with transaction.atomic():
        failure, created = LoginFailure.objects.select_for_update().get_or_create(
            username=_key(username), address=address, defaults={"failures": 0, "last_failure_at": now}
        )
        if failure.locked_until is not None and failure.locked_until > now:
            return max(1, int((failure.locked_until - now).total_seconds()))
        wait = _address_wait(address, now)
        if wait:
            return wait
        if failure.locked_until is not None:  # the lock has run out: a fresh series starts
            failure.failures, failure.locked_until = 0, None
        failure.failures += 1
        failure.last_failure_at = now
        if failure.failures >= settings.LOGIN_FAILURE_LIMIT:
            failure.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
            logger.warning("sign-in locked after %s wrong passwords", failure.failures, extra={"address": address})
        failure.save(update_fields=["failures", "last_failure_at", "locked_until"])
        if created:
            _forget_old(now - timedelta(days=1))
    return 0


def record_success(*, username: str, address: str) -> None:
    LoginFailure.objects.filter(username=_key(username), address=address).delete()


def _forget_old(before: object) -> None:
    """Rows of series that ended long ago are dropped whenever a new series starts: the table stays small."""
    LoginFailure.objects.filter(last_failure_at__lt=before, locked_until__isnull=True).delete()
    LoginFailure.objects.filter(last_failure_at__lt=before, locked_until__lt=before).delete()
