"""Pages of co-operation: actions and their progress, groups and their meetings, counterpart pairs, agreements,
the yearly versions and the strategy process. Each view checks its permission with tilannekuva.regions.permissions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tilannekuva.core.years import requested_year, year_in_address
from tilannekuva.dashboard.selectors import default_year
from tilannekuva.regions.access import refuse, region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_coordinate, can_view_internal, can_view_public_pages, is_region_admin
from tilannekuva.strategy.models import StrategyVersion
from tilannekuva.strategy.selectors import version_in_force

from . import forms, registers, selectors, services
from .models import Agreement, CounterpartPair, Meeting

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
    groups = list(selectors.groups_of(version))
    context = {"region": region, "version": version, "groups": groups, "areas": selectors.groups_by_area(groups)}
    return render(request, "cooperation/groups.html", context)


@GET_POST
def group(request: HttpRequest, region_slug: str, group_key: str) -> HttpResponse:
    region = _region(request, region_slug)
    version = _version(request, region)
    internal = can_view_internal(request.user, region)
    page = selectors.group_page(
        version, group_key, with_meetings=internal, internal=internal, year=_follow_up_year(request)
    )
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


def _follow_up_year(request: HttpRequest) -> int:
    """The year the registers are shown as in: `?year=`, else the dashboard's default follow-up year."""
    return requested_year(request, default=default_year())


def _version_in(region: Region, year: int) -> StrategyVersion:
    """The version in force in the registers' year (its interfaces, levels and groups)."""
    version = version_in_force(region, year)
    if version is None:
        raise Http404("no strategy version for that year")
    return version


def _with_year(url: str, year: int) -> str:
    return f"{url}?{urlencode({'year': year})}"


def _register_form_error(form: Any, exc: services.RegisterError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@GET_POST
def counterparts(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    year = _follow_up_year(request)
    version = _version_in(region, year)
    page = selectors.counterparts_page(region, version, year=year)
    may_edit = is_region_admin(request.user, region)
    form = None
    if may_edit or request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        choices = registers.pair_choices(region, version, year=year)
        form = forms.CounterpartForm(request.POST or None, choices=choices, initial={"valid_from": year})
        if request.method == "POST" and form.is_valid():
            try:
                services.save_counterpart(region=region, version=version, user=request.user, values=form.cleaned_data)
            except services.RegisterError as exc:
                _register_form_error(form, exc)
            else:
                messages.success(request, _("The counterpart pair was added."))
                return redirect(_with_year(reverse("cooperation:counterparts", args=[region.slug]), year))
    context = {"region": region, "page": page, "matrix": page.matrix, "year": year, "form": form, "may_edit": may_edit}
    return render(request, "cooperation/counterparts.html", context)


@GET_POST
def counterpart(request: HttpRequest, region_slug: str, pair_id: int) -> HttpResponse:
    region = _region(request, region_slug)
    if not is_region_admin(request.user, region):
        refuse(request)
    pair = get_object_or_404(CounterpartPair, pk=pair_id, region=region)
    year = _follow_up_year(request)
    back = _with_year(reverse("cooperation:counterparts", args=[region.slug]), year)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_counterpart(pair=pair, user=request.user)
        messages.success(request, _("The counterpart pair was removed."))
        return redirect(back)
    version = _version_in(region, year)
    form = forms.CounterpartForm(
        request.POST or None,
        instance=CounterpartPair.objects.get(pk=pair.pk),
        choices=registers.pair_choices(region, version, year=year),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_counterpart(
                region=region, version=version, user=request.user, values=form.cleaned_data, pair=pair
            )
        except services.RegisterError as exc:
            _register_form_error(form, exc)
        else:
            messages.success(request, _("The counterpart pair was saved."))
            return redirect(back)
    return render(request, "cooperation/counterpart.html", {"region": region, "pair": pair, "form": form, "year": year})


@GET_POST
def agreements(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    year = _follow_up_year(request)
    version = _version_in(region, year)
    may_edit = is_region_admin(request.user, region)
    form = None
    if may_edit or request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        choices = registers.agreement_choices(region, version, year=year)
        form = forms.AgreementForm(request.POST or None, request.FILES or None, choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_agreement(region=region, user=request.user, values=form.cleaned_data, year=year)
            except services.RegisterError as exc:
                _register_form_error(form, exc)
            else:
                messages.success(request, _("The agreement was added."))
                return redirect(_with_year(reverse("cooperation:agreements", args=[region.slug]), year))
    page = selectors.agreements_page(
        region, version, year=year, internal=can_view_internal(request.user, region), area=request.GET.get("area", "")
    )
    context = {"region": region, "version": version, "page": page, "year": year, "form": form, "may_edit": may_edit}
    return render(request, "cooperation/agreements.html", context)


@GET_POST
def agreement(request: HttpRequest, region_slug: str, agreement_id: int) -> HttpResponse:
    region = _region(request, region_slug)
    if not is_region_admin(request.user, region):
        refuse(request)
    item = get_object_or_404(Agreement, pk=agreement_id, region=region)
    year = _follow_up_year(request)
    back = _with_year(reverse("cooperation:agreements", args=[region.slug]), year)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_agreement(agreement=item, user=request.user)
        messages.success(request, _("The agreement was removed."))
        return redirect(back)
    form = forms.AgreementForm(
        request.POST or None,
        request.FILES or None,
        instance=Agreement.objects.get(pk=item.pk),
        choices=registers.agreement_choices(region, _version_in(region, year), year=year),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_agreement(
                region=region, user=request.user, values=form.cleaned_data, year=year, agreement=item
            )
        except services.RegisterError as exc:
            _register_form_error(form, exc)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect(back)
    return render(request, "cooperation/agreement.html", {"region": region, "item": item, "form": form, "year": year})


@require_http_methods(["GET", "HEAD"])
def agreement_document(request: HttpRequest, region_slug: str, agreement_id: int) -> FileResponse:
    region = _region(request, region_slug)
    visible = registers.visible_agreements(region, internal=can_view_internal(request.user, region))
    found = visible.filter(pk=agreement_id).exclude(document="").first()
    if found is None:
        raise Http404("no such document")
    name = found.document.name.rsplit("/", 1)[-1]
    return FileResponse(found.document.open("rb"), as_attachment=True, filename=name)


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
