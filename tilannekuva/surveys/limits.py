"""Rate limits of the open anonymous link: answers per address and per link. An open link lets anyone add answers
whose content they know, and known answers are what lifts a small group over the threshold to be subtracted
again; the limits make that slow and visible. An invitation answers once by itself and is not limited here.

The counters live in the default cache under a hash of the address (no address is stored): shared by every
process where the cache is (the database or Redis cache), per process with the local-memory cache."""

import hashlib
import time

from django.core.cache import cache

from .models import Survey

PER_ADDRESS = 2  # answers through one survey's open link from one address ...
ADDRESS_WINDOW = 24 * 60 * 60  # ... in a day
PER_LINK = 60  # answers through one open link from all addresses ...
LINK_WINDOW = 60 * 60  # ... in an hour


def _keys(survey: Survey, address: str) -> list[tuple[str, int, int]]:
    now = time.time()
    digest = hashlib.sha256(f"{survey.pk}:{address}".encode()).hexdigest()[:32]
    return [
        (f"survey-open-address:{digest}:{int(now // ADDRESS_WINDOW)}", PER_ADDRESS, ADDRESS_WINDOW),
        (f"survey-open-link:{survey.pk}:{int(now // LINK_WINDOW)}", PER_LINK, LINK_WINDOW),
    ]


def seconds_to_wait(survey: Survey, address: str) -> int:
    """0 when one more answer may come through the survey's open link from this address; else the seconds until
    the fuller of the two windows turns."""
    now = time.time()
    waits = [
        int((int(now // window) + 1) * window - now) + 1
        for key, limit, window in _keys(survey, address)
        if int(cache.get(key, 0)) >= limit
    ]
    return max(waits, default=0)


def count_answer(survey: Survey, address: str) -> None:
    """One answer came in through the open link from this address."""
    for key, _limit, window in _keys(survey, address):
        if not cache.add(key, 1, window + 5):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window + 5)
