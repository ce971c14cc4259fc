"""Pages of co-operation: actions and their progress, groups and their meetings, counterpart pairs, the yearly
versions and the strategy process. Each view checks its permission with tilannekuva.regions.permissions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tilannekuva.core.years import requested_year, year_in_address
from tilannekuva.regions.access import refuse, region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_coordinate, can_view_internal, can_view_public_pages, is_region_admin
from tilannekuva.strategy.models import StrategyVersion
from tilannekuva.strategy.selectors import version_in_force

from . import forms, selectors, services
from .models import CounterpartPair, Meeting

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _region(request: HttpRequest, region_slug: str) -> Region:
    """The region's co-operation pages are public (the strategy is); each view checks what it lets change."""
    return region_for(request, region_slug, may=can_view_public_pages, with_strategy=True)


def _version(request: HttpRequest, region: Region) -> StrategyVersion:
    version = version_in_force(region, requested_year(request))
    if version is None:
        raise Http404("no strategy version for that year")
    return version


def _year_query(request: HttpRequest) -> str:
    year = requested_year(request)
    return f"?{urlencode({'year': year})}" if year is not None else ""


@require_http_methods(["GET", "HEAD"])
def actions(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    version = _version(request, region)
    form = forms.ActionFilterForm(request.GET or None, choices=selectors.filter_choices(version))
    filters = form.filters() if form.is_bound else selectors.ActionFilters()
    rows = selectors.action_rows(version, filters)
    context = {"region": region, "version": version, "form": form, "rows": rows, "filters": filters}
    return render(request, "cooperation/actions.html", context)


@GET_POST
def action(request: HttpRequest, region_slug: str, action_key: str) -> HttpResponse:
    region = _region(request, region_slug)
    version = _version(request, region)
    page = selectors.action_page(version, action_key, with_notes=can_view_internal(request.user, region))
    if page is None:
        raise Http404("no such action in this version")
    group = page.action.responsible_group
    may_update = can_coordinate(request.user, region=region, group_key=group.key if group else "")
    form = None
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        form = forms.ActionUpdateForm(request.POST)
        if form.is_valid():
            services.update_action(action=page.action, user=request.user, **form.cleaned_data)
            messages.success(request, _("The action was updated."))
            return redirect(reverse("cooperation:action", args=[region.slug, action_key]) + _year_query(request))
    elif may_update:
        form = forms.ActionUpdateForm(initial={"status": page.action.status, "due": page.action.due})
    return render(
        request, "cooperation/action.html", {"region": region, "version": version, "page": page, "form": form}
    )


@require_http_methods(["GET", "HEAD"])
def groups(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    version = _version(request, region)
    context = {"region": region, "version": version, "groups": selectors.groups_of(version)}
    return render(request, "cooperation/groups.html", context)


@GET_POST
def group(request: HttpRequest, region_slug: str, group_key: str) -> HttpResponse:
    region = _region(request, region_slug)
    version = _version(request, region)
    page = selectors.group_page(version, group_key, with_meetings=can_view_internal(request.user, region))
    if page is None:
        raise Http404("no such group in this version")
    may_keep = can_coordinate(request.user, region=region, group_key=group_key)
    form = None
    if request.method == "POST":
        if not may_keep:
            raise PermissionDenied
        form = forms.MeetingForm(request.POST)
        if form.is_valid():
            services.save_meeting(region=region, group_key=group_key, user=request.user, values=form.cleaned_data)
            messages.success(request, _("The meeting was added."))
            return redirect(reverse("cooperation:group", args=[region.slug, group_key]) + _year_query(request))
    elif may_keep:
        form = forms.MeetingForm()
    context = {"region": region, "version": version, "page": page, "form": form, "may_keep": may_keep}
    return render(request, "cooperation/group.html", context)


@GET_POST
def meeting(request: HttpRequest, region_slug: str, group_key: str, meeting_id: int) -> HttpResponse:
    region = _region(request, region_slug)
    if not can_coordinate(request.user, region=region, group_key=group_key):
        refuse(request)
    item = get_object_or_404(Meeting, pk=meeting_id, region=region, group_key=group_key)
    # The form gets its own copy: validating a model form writes into its instance, and the service compares
    # the stored meeting with the new values for the audit log.
    form = forms.MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        services.save_meeting(
            region=region, group_key=group_key, user=request.user, values=form.cleaned_data, meeting=item
        )
        messages.success(request, _("The meeting was saved."))
        return redirect("cooperation:group", region.slug, group_key)
    return render(request, "cooperation/meeting.html", {"region": region, "group_key": group_key, "form": form})


@GET_POST
def counterparts(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    version = _version(request, region)
    may_edit = is_region_admin(request.user, region)
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = forms.CounterpartForm(request.POST, region=region, version=version)
        if form.is_valid():
            services.save_counterpart(region=region, user=request.user, values=form.cleaned_data)
            messages.success(request, _("The counterpart pair was added."))
            return redirect("cooperation:counterparts", region.slug)
    elif may_edit:
        form = forms.CounterpartForm(region=region, version=version)
    context = {
        "region": region,
        "version": version,
        "interfaces": selectors.counterparts_page(region, version),
        "form": form,
        "may_edit": may_edit,
    }
    return render(request, "cooperation/counterparts.html", context)


@GET_POST
def counterpart(request: HttpRequest, region_slug: str, pair_id: int) -> HttpResponse:
    region = _region(request, region_slug)
    if not is_region_admin(request.user, region):
        refuse(request)
    pair = get_object_or_404(CounterpartPair, pk=pair_id, region=region)
    version = _version(request, region)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_counterpart(pair=pair, user=request.user)
        messages.success(request, _("The counterpart pair was removed."))
        return redirect("cooperation:counterparts", region.slug)
    form = forms.CounterpartForm(
        request.POST or None, instance=CounterpartPair.objects.get(pk=pair.pk), region=region, version=version
    )
    if request.method == "POST" and form.is_valid():
        services.save_counterpart(region=region, user=request.user, values=form.cleaned_data, pair=pair)
        messages.success(request, _("The counterpart pair was saved."))
        return redirect("cooperation:counterparts", region.slug)
    return render(request, "cooperation/counterpart.html", {"region": region, "pair": pair, "form": form})


@require_http_methods(["GET", "HEAD"])
def versions(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request, region_slug, may=can_view_internal, with_strategy=True)
    found = selectors.versions_of(region)
    context: dict[str, Any] = {
        "region": region,
        "versions": found,
        "may_edit": is_region_admin(request.user, region),
        "copy_form": forms.CopyVersionForm(initial={"year": selectors.next_free_year(found)}),
    }
    return render(request, "cooperation/versions.html", context)


def _admin_version(request: HttpRequest, region_slug: str, year: int) -> tuple[Region, StrategyVersion]:
    region = _region(request, region_slug)
    if not is_region_admin(request.user, region):
        raise PermissionDenied
    return region, get_object_or_404(StrategyVersion, strategy__region=region, year=year_in_address(year))


@require_POST
def version_copy(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region, version = _admin_version(request, region_slug, year)
    form = forms.CopyVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year of the new draft as a number, e.g. 2026."))
        return redirect("cooperation:versions", region.slug)
    try:
        copy = services.copy_version(version=version, year=form.cleaned_data["year"], user=request.user)
    except services.VersionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Draft %(year)s created. Edit it in the administration.") % {"year": copy.year})
    return redirect("cooperation:versions", region.slug)


@require_POST
def version_approve(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region, version = _admin_version(request, region_slug, year)
    try:
        services.approve_version(version=version, user=request.user)
    except services.VersionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The version of %(year)s was approved.") % {"year": version.year})
    return redirect("cooperation:versions", region.slug)


@GET_POST
def process(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    version = _version(request, region)
    may_edit = is_region_admin(request.user, region)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = forms.PhaseStatusForm(request.POST)
        if form.is_valid():
            phase = get_object_or_404(version.phases, key=form.cleaned_data["phase"])
            services.set_phase_status(phase=phase, status=form.cleaned_data["status"], user=request.user)
            messages.success(request, _("The phase status was saved."))
        else:
            messages.error(request, _("Choose one of the statuses."))
        return redirect(reverse("cooperation:process", args=[region.slug]) + _year_query(request))
    context = {
        "region": region,
        "version": version,
        "phases": selectors.phases_of(version),
        "may_edit": may_edit,
        "statuses": forms.PhaseStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "cooperation/process.html", context)
