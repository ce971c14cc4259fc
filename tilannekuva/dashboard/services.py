"""Dashboard caching: rendered fragments keyed by the cache generation, and raising the generation."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F

from .models import CacheGeneration

GENERATION_KEY = "dashboard"
TIMEOUT = 24 * 60 * 60  # a day: the generation expires entries at once; the timeout only frees memory


# Each server process reads the generation from the database at most once a second: another process's
# invalidation is seen within that second, this process's own at once.
GENERATION_TTL = 1.0
_seen: dict[str, tuple[float, int]] = {}


def generation() -> int:
    now = time.monotonic()
    seen = _seen.get(GENERATION_KEY)
    if seen is not None and now - seen[0] < GENERATION_TTL:
        return seen[1]
    found = CacheGeneration.objects.filter(key=GENERATION_KEY).values_list("value", flat=True).first() or 0
    _seen[GENERATION_KEY] = (now, found)
    return found


def invalidate() -> None:
    """Expire every cached dashboard fragment (after an import, a strategy change, a reported value)."""
    if not CacheGeneration.objects.filter(key=GENERATION_KEY).update(value=F("value") + 1):
        CacheGeneration.objects.get_or_create(key=GENERATION_KEY, defaults={"value": 1})
    _seen.pop(GENERATION_KEY, None)


T = TypeVar("T")


def cached_fragment(parts: tuple[object, ...], render: Callable[[], T]) -> T:
    """What `render` makes, from the cache when the same parts were rendered in this generation."""
    key = "dashboard:" + ":".join(str(p) for p in (generation(), *parts))
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found, TIMEOUT)
    return found
