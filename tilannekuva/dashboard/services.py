"""Dashboard caching: rendered fragments keyed by the cache generation, and raising the generation."""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F

from .models import CacheGeneration

GENERATION_KEY = "dashboard"
TIMEOUT = 24 * 60 * 60  # a day: the generation expires entries at once; the timeout only frees memory


def generation() -> int:
    found = CacheGeneration.objects.filter(key=GENERATION_KEY).values_list("value", flat=True).first()
    return found or 0


def invalidate() -> None:
    """Expire every cached dashboard fragment (after an import, a strategy change, a reported value)."""
    if not CacheGeneration.objects.filter(key=GENERATION_KEY).update(value=F("value") + 1):
        CacheGeneration.objects.get_or_create(key=GENERATION_KEY, defaults={"value": 1})


T = TypeVar("T")


def cached_fragment(parts: tuple[object, ...], render: Callable[[], T]) -> T:
    """What `render` makes, from the cache when the same parts were rendered in this generation."""
    key = "dashboard:" + ":".join(str(p) for p in (generation(), *parts))
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found, TIMEOUT)
    return found
