"""Makes the request's user known to the audit trail's signal handlers, which receive no request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import acting_for_request


class CurrentUserMiddleware:
    """Put after AuthenticationMiddleware: changes made while answering a request are recorded as its user's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_for_request(request):
            return self.get_response(request)
