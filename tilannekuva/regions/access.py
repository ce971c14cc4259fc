"""The one way a view finds the region its address names and checks that the user may see it.

`region_for` answers 404 when no region has the slug (or, `with_strategy`, none with a strategy), and refuses
when the permission given (one of `regions.permissions`) says no (`refuse`: an anonymous visitor asking to read
is sent to log in, anyone else gets 403). Every view that takes a region slug calls it."""

from collections.abc import Callable
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tilannekuva.core.middleware import LoginRequired

from .models import Region
from .selectors import region_by_slug

RegionPermission = Callable[[Any, Region], bool]


def region_for(request: HttpRequest, region_slug: str, *, may: RegionPermission, with_strategy: bool = False) -> Region:
    region = region_by_slug(region_slug, with_strategy=with_strategy)
    if region is None:
        raise Http404(f"no region '{region_slug}'" + (" with a strategy" if with_strategy else ""))
    if not may(request.user, region):
        refuse(request)
    return region


def refuse(request: HttpRequest) -> NoReturn:
    """An anonymous visitor asking to read is sent to log in (and back); anyone else without the right gets 403,
    an anonymous form post too (after logging in it could not be repeated)."""
    if not request.user.is_authenticated and request.method in ("GET", "HEAD"):
        raise LoginRequired
    raise PermissionDenied
