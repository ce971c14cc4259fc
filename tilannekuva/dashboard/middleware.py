"""Cached dashboard pages for anonymous visitors, answered before sessions, CSRF and the rest are set up.

A dashboard view marks a response `cache_for_anonymous` when it holds nothing of the visitor's own (an
anonymous visitor of a public dashboard: no CSRF token, no name), and `cache_params` with the query parameters the
page read, as it understood them. This middleware keeps such a response, with the headers the inner middleware
gave it (CSP, language), under the cache generation, the language, the path and the query's parameters (sorted,
each once), and answers the same request from it. A response is kept only when every parameter of the query is
one the page read, with the value it understood: unknown parameters, junk values and repetitions are answered
(the page's body comes from the fragment cache) but never kept, so 3,000 unique query strings do not grow the
cache. Anything that changes what the page shows raises the generation
(dashboard.signals), and with it every kept page expires.
"""

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from tilannekuva.core.i18n import supported_language

from . import services

PREFIX = "/regions/"
TIMEOUT = services.TIMEOUT
SKIPPED_HEADERS = {"set-cookie"}


def query_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    """The query's (name, value) pairs, sorted, each once: the same parameters in another order are the same page."""
    return sorted(set(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def key(self, request: HttpRequest) -> str | None:
        """None for requests that must not be answered from the kept pages."""
        if request.method not in ("GET", "HEAD") or not request.path.startswith(PREFIX):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None  # maybe signed in, or a message to show: the view renders it
        language = supported_language(cookies.get(settings.LANGUAGE_COOKIE_NAME))
        return f"dashboard-page:{services.generation()}:{language}:{request.path}?{urlencode(query_pairs(request))}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self.key(request)
        if key is not None:
            kept = cache.get(key)
            if kept is not None:
                content, headers = kept
                return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if (
            key is not None
            and response.status_code == 200
            and getattr(response, "cache_for_anonymous", False)
            and set(query_pairs(request)) <= set(getattr(response, "cache_params", ()))
        ):
            headers = {k: v for k, v in response.items() if k.lower() not in SKIPPED_HEADERS}
            cache.set(key, (response.content, headers), TIMEOUT)
        return response
