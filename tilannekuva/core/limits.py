"""Limits that hold across processes and servers: counters in a store every server process shares.

The open data API's requests per minute, open survey answers per address and per link, grant applications and
their upload volume per address: each is a counter per (scope, who) and fixed period, added to in one atomic
statement, so that five gunicorn workers or three servers count together. The store is the database
(`INSERT ... ON CONFLICT ... RETURNING`, one statement, PostgreSQL and SQLite alike), or the cache named by
RATE_LIMIT_CACHE when it is shared by every server (Redis: `add` and `incr` are atomic there). Never a
per-process cache: a limit counted per process multiplies with the workers (docs/DECISIONS.md, "Shared limits").
"""

import contextlib
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import RateCounter

View = Callable[..., HttpResponse]
HOUR = 3600
MEGABYTE = 1024 * 1024


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


@dataclass(frozen=True)
class Count:
    """The counter after a hit: its total in this period, and the seconds until the period ends."""

    total: int
    limit: int
    reset_in: int

    @property
    def over(self) -> bool:
        return self.limit > 0 and self.total > self.limit

    @property
    def retry_after(self) -> int:
        """0 when within the limit; else the seconds to wait (for `Retry-After`)."""
        return self.reset_in if self.over else 0


def _name(scope: str, who: str) -> str:
    name = f"{scope}:{who}"
    if len(name) > 200:
        name = f"{scope}:{hashlib.sha256(who.encode('utf-8')).hexdigest()}"
    return name[:200]


def hit(scope: str, who: str, *, limit: int, seconds: int, amount: int = 1) -> Count:
    """Add `amount` to the counter of (`scope`, `who`) in the current period of `seconds`, atomically across every
    process, and say whether it went over `limit` (0: no limit, nothing is stored)."""
    now = time.time()
    period = int(now // seconds)
    ends = (period + 1) * seconds
    reset_in = max(1, int(ends - now) + 1)
    if limit <= 0:
        return Count(0, 0, reset_in)
    name = _name(scope, who)
    if settings.RATE_LIMIT_CACHE:
        return Count(_hit_cache(f"rate:{name}:{period}", amount, seconds), limit, reset_in)
    table = RateCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, period, amount, expires_at) VALUES (%s, %s, %s, %s) "  # noqa: S608 - our table
            "ON CONFLICT (name) DO UPDATE SET "
            f"amount = CASE WHEN {table}.period = excluded.period THEN {table}.amount + excluded.amount "
            "ELSE excluded.amount END, period = excluded.period, expires_at = excluded.expires_at "
            "RETURNING amount",
            [name, period, amount, ends],
        )
        total = int(cursor.fetchone()[0])
        if total == amount:  # a new period began for this counter: drop the counters whose periods have ended
            cursor.execute(f"DELETE FROM {table} WHERE expires_at < %s", [now])  # noqa: S608 - our table
    return Count(total, limit, reset_in)


def give_back(scope: str, who: str, *, seconds: int, amount: int = 1) -> None:
    """Take `amount` off the current period's counter again (a reserved slot that was not used: a form returned
    with errors does not count as an answer)."""
    period = int(time.time() // seconds)
    name = _name(scope, who)
    if settings.RATE_LIMIT_CACHE:
        with contextlib.suppress(ValueError):  # gone already: nothing to give back
            caches[settings.RATE_LIMIT_CACHE].decr(f"rate:{name}:{period}", amount)
        return
    RateCounter.objects.filter(name=name, period=period, amount__gte=amount).update(amount=models.F("amount") - amount)


def _hit_cache(key: str, amount: int, seconds: int) -> int:
    store = caches[settings.RATE_LIMIT_CACHE]
    if store.add(key, amount, seconds + 5):
        return amount
    try:
        return int(store.incr(key, amount))
    except ValueError:  # expired between add and incr
        store.add(key, 0, seconds + 5)
        return int(store.incr(key, amount))


@dataclass(frozen=True)
class Rule:
    """One limit a request counts against: `amount` more on (`scope`, `who`) within `seconds`. A rule that
    `refunds` is given back when the request was not accepted (a form returned with errors)."""

    scope: str
    who: str
    limit: int
    seconds: int
    amount: int = 1
    refunds: bool = True


def take(rules: list[Rule]) -> int:
    """Count the request against every rule: 0 when all hold; else the seconds to wait, and nothing stays counted
    but what does not refund (the upload volume was sent either way)."""
    counts = [hit(r.scope, r.who, limit=r.limit, seconds=r.seconds, amount=r.amount) for r in rules]
    wait = max((c.retry_after for c in counts), default=0)
    if wait:
        give_back_all(rules)
    return wait


def give_back_all(rules: list[Rule]) -> None:
    for rule in rules:
        if rule.refunds and rule.limit > 0:
            give_back(rule.scope, rule.who, seconds=rule.seconds, amount=rule.amount)


def refused(request: HttpRequest, wait: int) -> HttpResponse:
    """429 with Retry-After and a page that says how long to wait."""
    minutes = max(1, round(wait / 60))
    response = render(request, "core/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


ACCEPTED = frozenset({301, 302, 303})  # a form that was accepted redirects (post/redirect/get)


def limit_posts(rules: Callable[[HttpRequest, dict[str, Any]], list[Rule]]) -> Callable[[View], View]:
    """A view's POSTs count against `rules(request, view keyword arguments)`; over a limit: 429 (`refused`). A POST
    that is not accepted (no redirect, or an error) gives back what refunds."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            chosen = rules(request, kwargs)
            wait = take(chosen)
            if wait:
                return refused(request, wait)
            try:
                response = view(request, *args, **kwargs)
            except BaseException:
                give_back_all(chosen)
                raise
            if response.status_code not in ACCEPTED:
                give_back_all(chosen)
            return response

        return wrapped

    return decorator
