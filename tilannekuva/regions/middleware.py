"""Internal means internal: every page under a region's address (`region_slug`) of a region that is not public
answers 404 to anyone without a role in it, as the open data API does, before the view runs (so before a
sign-in redirect could tell that the region exists). The views' own checks (`regions.access.region_for`)
still decide what a role may do; this is the floor under them."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from .models import Region
from .permissions import can_view_internal

# Addresses that carry their own key instead of a role: the private calendar feed's token.
OWN_KEY = {"calendars:private_feed"}


def hidden_from(user: Any, region_slug: str) -> bool:
    """True when the slug names a region that is not public and the user has no role in it."""
    region = Region.objects.filter(slug=region_slug).only("pk", "slug", "dashboard_public").first()
    return region is not None and not region.dashboard_public and not can_view_internal(user, region)


class InternalRegionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: dict[str, Any]
    ) -> None:
        slug = view_kwargs.get("region_slug")
        match = request.resolver_match
        if not slug or (match is not None and match.view_name in OWN_KEY):
            return None
        if hidden_from(request.user, str(slug)):
            raise Http404("no such region")
        return None
