"""Pages of the annual calendar: the year by month (public events for everyone who may see the dashboard, all
of them for those with a role in the region), the administrators' own entries, the iCalendar feeds and the
private feed address. Each view checks its permission with tilannekuva.regions.permissions."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tilannekuva.core.years import requested_year
from tilannekuva.regions.access import RegionPermission, region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import (
    can_view_dashboard,
    can_view_internal,
    can_view_public_pages,
    is_region_admin,
)

from . import feed, selectors, services
from .forms import EntryForm
from .models import CalendarEntry
from .obligations import obligation

FEED_YEARS = (-1, 0, 1)  # the feed carries last year, this year and next year


def _region(request: HttpRequest, region_slug: str, may: RegionPermission) -> Region:
    return region_for(request, region_slug, may=may, with_strategy=True)


@require_http_methods(["GET", "HEAD", "POST"])
def calendar(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug, can_view_dashboard)
    year = requested_year(request, default=timezone.localdate().year)
    may_edit = is_region_admin(request.user, region)
    internal = can_view_internal(request.user, region)
    chosen = obligation(request.GET.get("obligation", ""))
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = EntryForm(request.POST)
        if form.is_valid():
            try:
                services.add_entry(
                    region=region,
                    user=request.user,
                    values=form.cleaned_data,
                    obligation_key=request.POST.get("obligation_key", ""),
                )
            except services.CalendarError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("The entry was added to the calendar."))
                return redirect(reverse("calendars:calendar", args=[region.slug]) + f"?year={year}")
    elif may_edit:
        initial: dict[str, Any] = {"date": datetime.date(year, 1, 1)}
        if chosen is not None:
            initial.update(kind=chosen.kind, title=chosen.title, recurrence=_recurrence_of(chosen.frequency))
        form = EntryForm(initial=initial)
    found = selectors.events(region, year, internal=internal)
    context = {
        "region": region,
        "year": year,
        "years": [year - 1, year + 1],
        "months": selectors.months(found, year),
        "count": len(found),
        "obligations": selectors.obligation_rows(region),
        "rhythms": selectors.group_rhythms(region, year, internal=internal),
        "internal": internal,
        "may_edit": may_edit,
        "form": form,
        "chosen": chosen,
        "feed_url": request.build_absolute_uri(reverse("calendars:feed", args=[region.slug])),
        "private_url": _private_url(request, region),
    }
    return render(request, "calendars/calendar.html", context)


def _recurrence_of(frequency: str) -> str:
    return "council_term" if frequency == "council_term" else "yearly"


def _private_url(request: HttpRequest, region: Region) -> str:
    token = request.session.pop(f"calendar-token-{region.pk}", "")
    return request.build_absolute_uri(reverse("calendars:private_feed", args=[region.slug, token])) if token else ""


@require_POST
def entry_delete(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug, is_region_admin)
    entry = get_object_or_404(CalendarEntry, pk=pk, region=region)
    services.delete_entry(entry=entry, user=request.user)
    messages.success(request, _("The entry was removed from the calendar."))
    return redirect("calendars:calendar", region.slug)


@require_POST
def feed_token(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug, can_view_internal)
    token = services.issue_feed_token(region=region, user=request.user)
    # Shown once, on the next page: only its hash is stored.
    request.session[f"calendar-token-{region.pk}"] = token
    messages.success(request, _("Your private calendar address was made. Any earlier one no longer works."))
    return redirect("calendars:calendar", region.slug)


def _feed_response(region: Region, *, internal: bool, request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    found = []
    for offset in FEED_YEARS:
        found += selectors.events(region, this_year + offset, internal=internal)
    name = _("Annual calendar: %(region)s") % {"region": region.name}
    body = feed.feed(region, found, name=name, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{region.slug}-vuosikello.ics"'
    response["Cache-Control"] = "private, max-age=300" if internal else "public, max-age=300"
    return response


@require_http_methods(["GET", "HEAD"])
def public_feed(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The events anyone may see, while the region's dashboard is public (a calendar program cannot sign in, so a
    feed of an internal region is not found rather than refused)."""
    region = _region(request, region_slug, can_view_public_pages)
    if not region.dashboard_public:
        raise Http404("the region's calendar is not public")
    return _feed_response(region, internal=False, request=request)


@require_http_methods(["GET", "HEAD"])
def private_feed(request: HttpRequest, region_slug: str, token: str) -> HttpResponse:
    """Every event, for the holder of a private address (a calendar program cannot sign in)."""
    region = _region(request, region_slug, can_view_public_pages)
    if services.feed_user(region=region, token=token) is None:
        raise Http404("no such calendar address")
    return _feed_response(region, internal=True, request=request)
