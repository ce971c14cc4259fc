"""Follow-up pages: a region's periods with their completeness, a user's own tasks, a task with its report and
approval forms, and the evidence files. Internal: every page needs a role in the region."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tilannekuva.core.years import requested_year
from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Organisation, Region
from tilannekuva.regions.permissions import can_view_internal, is_region_admin, organisations_edited

from . import selectors, services
from .forms import OpenPeriodForm, ReportForm, ReviewForm
from .models import Report, ReportingPeriod


def _region(request: HttpRequest, region_slug: str) -> Region:
    return region_for(request, region_slug, may=can_view_internal)


@login_required
@require_GET
def overview(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    period = selectors.period_of(region, requested_year(request))
    by_organisation, by_group = services.completeness(period) if period else ([], [])
    context = {
        "region": region,
        "period": period,
        "periods": ReportingPeriod.objects.filter(region=region).order_by("-year"),
        "tasks": list(selectors.tasks_of(period)) if period else [],
        "by_organisation": by_organisation,
        "by_group": by_group,
        "may_open": is_region_admin(request.user, region),
        "open_form": OpenPeriodForm(),
    }
    return render(request, "followup/overview.html", context)


@login_required
@require_POST
def open_period(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    if not is_region_admin(request.user, region):
        raise PermissionDenied
    form = OpenPeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.open_period(
                region=region, year=form.cleaned_data["year"], deadline=form.cleaned_data["deadline"], user=request.user
            )
        except services.FollowupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The follow-up of %(year)s is open: %(count)s tasks.")
                % {"year": period.year, "count": period.tasks.count()},
            )
            return redirect(f"{reverse('followup:overview', args=[region.slug])}?year={period.year}")
    else:
        messages.error(request, _("The period was not opened: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("followup:overview", region.slug)


@login_required
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """Where sign-in leads ("Omat tehtävät"): the user's tasks in their region with an open follow-up, else the
    front page."""
    region = selectors.landing_region(request.user)
    if region is None:
        return redirect("portal:home")
    return redirect("followup:mine", region.slug)


@login_required
@require_GET
def my_tasks(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    return render(
        request,
        "followup/my_tasks.html",
        {"region": region, "mine": selectors.my_tasks(request.user, region), "today": timezone.localdate()},
    )


def _task_page(request: HttpRequest, region: Region, pk: int) -> selectors.TaskPage:
    try:
        return selectors.task_page(region=region, pk=pk, user=request.user)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc


def _report_form(request: HttpRequest, page: selectors.TaskPage, data: Any = None, files: Any = None) -> ReportForm:
    region = page.task.period.region
    organisations = []
    if page.task.organisation_id is None:
        allowed = services.group_organisations(page.task)  # only the responsible group's organisations claim it
        edited = [pk for pk in organisations_edited(request.user, region) if pk in allowed]
        organisations = list(Organisation.objects.filter(pk__in=edited))
    return ReportForm(data, files, metric=page.task.metric, organisations=organisations)


def _render_task(
    request: HttpRequest, page: selectors.TaskPage, *, form: ReportForm | None = None, review: ReviewForm | None = None
) -> HttpResponse:
    context = {
        "region": page.task.period.region,
        "page": page,
        "task": page.task,
        "form": form or (_report_form(request, page) if page.may_report else None),
        "review_form": review or (ReviewForm() if page.may_review else None),
    }
    status = 400 if (form is not None and form.errors) or (review is not None and review.errors) else 200
    return render(request, "followup/task.html", context, status=status)


@login_required
@require_GET
def task(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug)
    return _render_task(request, _task_page(request, region, pk))


@login_required
@require_POST
def report(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug)
    page = _task_page(request, region, pk)
    if not page.may_report:
        raise PermissionDenied
    form = _report_form(request, page, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_report(
                task=page.task,
                user=request.user,
                number=data.get("value_number"),
                yes=data.get("value_yes"),
                text=data.get("value_text", ""),
                evidence_url=data.get("evidence_url", ""),
                evidence_file=data.get("evidence_file"),
                comment=data.get("comment", ""),
                organisation=data.get("organisation"),
            )
        except services.FollowupError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Reported. The coordinator of the group approves the value."))
            return redirect("followup:task", region.slug, page.task.pk)
    return _render_task(request, page, form=form)


@login_required
@require_POST
def review(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug)
    page = _task_page(request, region, pk)
    if not page.may_review or page.current is None:
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_report(
                report=page.current,
                user=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["review_comment"],
            )
        except services.FollowupError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Saved. An approved value shows on the dashboard."))
            return redirect("followup:task", region.slug, page.task.pk)
    return _render_task(request, page, review=form)


@login_required
@require_GET
def evidence(request: HttpRequest, region_slug: str, report_pk: int) -> FileResponse:
    """Evidence files are internal: served only to those who may see the region's follow-up."""
    region = _region(request, region_slug)
    found = Report.objects.filter(pk=report_pk, task__period__region=region).exclude(evidence_file="").first()
    if found is None:
        raise Http404("no such evidence")
    name = found.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(found.evidence_file.open("rb"), as_attachment=True, filename=name)
