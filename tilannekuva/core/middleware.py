"""Finnish first (the interface language comes from the user's own choice, the language cookie, else Finnish), a
request size limit, no NUL bytes in addresses, and anonymous visitors sent to log in where a page needs a role."""

from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from .i18n import supported_language


class FinnishFirstLocaleMiddleware:
    """Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: public-sector
    services open in Finnish and offer Swedish and English through an explicit switch."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than MAX_REQUEST_MB before anything reads it (HTTP 413).

    Django streams uploaded files to disk and the apps check each file's size afterwards; this stops a huge body
    at the door, before it fills the disk. The reverse proxy should have the same limit (docs/OPERATIONS.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(status=400)
        limit = settings.MAX_REQUEST_MB * 1024 * 1024
        if length > limit:
            message = _("The request is too large: %(size)s MB; the limit is %(limit)s MB.") % {
                "size": length // (1024 * 1024),
                "limit": settings.MAX_REQUEST_MB,
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NulByteMiddleware:
    """A NUL byte in the address or the query (`/surveys/open/%00/`, `?q=%00`) is answered 400 before any view sees
    it: PostgreSQL refuses NUL in text, so a lookup with it would be a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote_plus(query):
            return HttpResponse(
                _("The address contains a NUL character (code 0), which no page accepts."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class PrivateDownloadMiddleware:
    """A download (a response with Content-Disposition: exports, attachments, evidence files, reports) that does not
    say how it may be cached gets `Cache-Control: no-store`: a shared computer's browser or a proxy keeps nothing of
    a private file. Public downloads that may be kept say so themselves (the open data API: `public, max-age`);
    so does a response for a signed-in user, which is always `private` at least."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        if response.has_header("Content-Disposition"):
            response["Cache-Control"] = "no-store"
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "private"
        return response


class LoginRequired(PermissionDenied):
    """An anonymous visitor asked for something that needs a role: `LoginRedirectMiddleware` sends them to log in
    and back. Without the middleware it is a plain 403."""


class LoginRedirectMiddleware:
    """Turns `LoginRequired`, raised anywhere in a view, into a redirect to the login page and back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None
