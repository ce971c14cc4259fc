"""The report pages: the region's reports, the yearly follow-up report (and a municipality's edition, and the
welfare-report variant) as HTML and PDF, and the snapshots frozen for council meetings. A report is public where
the region's dashboard is public, as the dashboard is."""

from typing import Any

from django.contrib import messages
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tilannekuva.audit.models import AuditEntry
from tilannekuva.core import jobs
from tilannekuva.core.i18n import current_language
from tilannekuva.core.models import JobStatus
from tilannekuva.core.years import year_in_address
from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.dashboard import services as dashboard_services
from tilannekuva.regions.access import refuse, region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import (
    can_freeze_snapshot,
    can_queue_report_build,
    can_view_dashboard,
    can_view_internal,
    can_view_snapshot,
)

from . import builds as report_builds
from . import rendering, selectors, services
from .forms import BuildForm, SnapshotForm
from .models import ReportBuild, Snapshot


def _guarded(view: Any) -> Any:
    """A report, a municipality or a kind that is not found is a 404."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (dashboard_selectors.NotFound, selectors.NotFound) as exc:
            raise Http404(str(exc)) from exc

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _region(request: HttpRequest, region_slug: str) -> Region:
    return region_for(request, region_slug, may=can_view_dashboard, with_strategy=True)


def _code(request: HttpRequest) -> str:
    code = request.GET.get("municipality", "")
    if code and not (code.isdigit() and len(code) == 3):
        raise Http404("municipality must be a municipality code such as 491")
    return code


def _county(request: HttpRequest) -> str | None:
    """`?county=12` (or `?county=` for the region's only county): the county's edition; None without it."""
    code = request.GET.get("county")
    if code and not (code.isdigit() and len(code) <= 8):
        raise Http404("county must be a wellbeing services county's code such as 12")
    return code


def _report(
    region: Region, *, year: int, code: str, kind: str, draw: bool = True, county: str | None = None
) -> selectors.FollowUpReport:
    return selectors.follow_up_report(
        region=region,
        year=year,
        language=current_language(),
        municipality_code=code,
        kind=kind,
        draw_charts=draw,
        county_code=county,
    )


def _changes(region: Region) -> int:
    """The region's latest audit entry: actions' statuses, progress notes and approvals are recorded there, and
    not all of them raise the dashboard's cache generation."""
    return AuditEntry.objects.filter(region=region).aggregate(latest=Max("pk"))["latest"] or 0


def _page(
    request: HttpRequest, region: Region, *, year: int, code: str, kind: str, county: str | None = None
) -> HttpResponse:
    internal = can_view_internal(request.user, region)
    key = ("report-page", region.pk, _changes(region), year, code, county, kind, current_language(), internal)

    def build() -> dict[str, str]:
        report = _report(region, year=year, code=code, kind=kind, county=county)
        return {"title": report.title, "body": rendering.render_body(report, internal=internal)}

    page = dashboard_services.cached_fragment(key, build)
    query = f"?municipality={code}" if code and kind != selectors.WELFARE else ""
    pdf_url = request.path + "report.pdf" + (f"?county={county}" if county is not None else query)
    context = {"region": region, "title": page["title"], "body": mark_safe(page["body"]), "pdf_url": pdf_url}  # noqa: S308
    return render(request, "reports/report_page.html", context)


def _pdf(region: Region, *, year: int, code: str, kind: str, county: str | None = None) -> HttpResponse:
    key = ("report-pdf", region.pk, _changes(region), year, code, county, kind, current_language())

    def build() -> bytes:
        return rendering.report_pdf(_report(region, year=year, code=code, kind=kind, county=county))

    edition = "county" if county is not None else code
    name = "-".join(filter(None, [region.slug, kind, str(year), edition, county, current_language()]))
    response = HttpResponse(dashboard_services.cached_fragment(key, build), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(name)}.pdf"'
    return response


@require_GET
@_guarded
def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    internal = can_view_internal(request.user, region)
    snapshots = Snapshot.objects.filter(region=region).defer("dashboard_html", "report_html", "report_pdf")
    if not internal:
        snapshots = snapshots.filter(public=True)
    choices = selectors.report_index(region)
    may_freeze = can_freeze_snapshot(request.user, region)
    initial = {"year": choices["year"], "language": current_language() if current_language() != "en" else "fi"}
    form = SnapshotForm(initial=initial)
    context = {"region": region, **choices, "snapshots": snapshots, "may_freeze": may_freeze, "form": form}
    if can_queue_report_build(request.user, region):
        context["build_form"] = BuildForm(
            initial={**initial, "format": "pdf"}, municipalities=choices["municipalities"], counties=choices["counties"]
        )
    return render(request, "reports/index.html", {**context, **_builds_context(region)})


@require_GET
@_guarded
def gaps(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    """The metrics without data for the year, why, and who is responsible: a page of its own to share, and the
    same list as the report's last section."""
    region = _region(request, region_slug)
    year = year_in_address(year)
    gap_list = selectors.gaps(region=region, year=year)
    context = {"region": region, "year": year, "summary": gap_list, "title": _("Missing data and who is responsible")}
    return render(request, "reports/gaps_page.html", context)


def _builds_context(region: Region) -> dict[str, Any]:
    recent = report_builds.recent(region)
    return {
        "builds": [(build, jobs.share_done(build)) for build in recent],
        "polling": any(build.active for build in recent),
    }


@require_GET
@_guarded
def builds(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The background builds with their progress: the reports page's section, reloaded by HTMX while pending."""
    region = _region(request, region_slug)
    return render(request, "reports/index.html#builds", {"region": region, **_builds_context(region)})


@require_POST
@_guarded
def build_create(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request, region_slug, may=can_queue_report_build, with_strategy=True)
    choices = selectors.report_index(region)
    form = BuildForm(request.POST, municipalities=choices["municipalities"], counties=choices["counties"])
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return redirect("reports:index", region.slug)
    try:
        report_builds.queue_build(region=region, user=request.user, **form.cleaned_data)
    except report_builds.BuildError as exc:
        messages.error(request, str(exc))
        return redirect("reports:index", region.slug)
    messages.success(request, _("The report is being built in the background; its progress is shown below."))
    return redirect(reverse("reports:index", args=[region.slug]) + "#builds-title")


@require_GET
@_guarded
def build_download(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    """A finished background build's file, for those who may see the region's reports."""
    region = _region(request, region_slug)
    build = ReportBuild.objects.filter(region=region, pk=pk, status=JobStatus.SUCCEEDED).first()
    if build is None or not build.file:
        raise Http404("no such finished report build")
    content_type = "application/pdf" if build.format == "pdf" else "text/html; charset=utf-8"
    response = FileResponse(build.file.open("rb"), content_type=content_type)
    disposition = "inline" if build.format == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{build.filename}"'
    return response


@require_GET
@_guarded
def report(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = _region(request, region_slug)
    year = year_in_address(year)
    return _page(request, region, year=year, code=_code(request), kind=selectors.FOLLOW_UP, county=_county(request))


@require_GET
@_guarded
def report_pdf(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = _region(request, region_slug)
    year = year_in_address(year)
    return _pdf(region, year=year, code=_code(request), kind=selectors.FOLLOW_UP, county=_county(request))


@require_GET
@_guarded
def welfare(request: HttpRequest, region_slug: str, year: int, code: str) -> HttpResponse:
    region = _region(request, region_slug)
    return _page(request, region, year=year_in_address(year), code=code, kind=selectors.WELFARE)


@require_GET
@_guarded
def welfare_pdf(request: HttpRequest, region_slug: str, year: int, code: str) -> HttpResponse:
    region = _region(request, region_slug)
    return _pdf(region, year=year_in_address(year), code=code, kind=selectors.WELFARE)


@require_POST
@_guarded
def snapshot_create(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request, region_slug, may=can_freeze_snapshot, with_strategy=True)
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return redirect("reports:index", region.slug)
    try:
        snapshot = services.freeze_snapshot(region=region, user=request.user, **form.cleaned_data)
    except services.SnapshotError as exc:
        messages.error(request, str(exc))
        return redirect("reports:index", region.slug)
    messages.success(request, _("The snapshot was frozen."))
    return redirect("reports:snapshot", region.slug, snapshot.pk)


def _snapshot(request: HttpRequest, region_slug: str, pk: int) -> Snapshot:
    snapshot = Snapshot.objects.select_related("region").filter(region__slug=region_slug, pk=pk).first()
    if snapshot is None:
        raise Http404("no such snapshot")
    if not can_view_snapshot(request.user, region=snapshot.region, public=snapshot.public):
        refuse(request)
    return snapshot


@require_GET
@_guarded
def snapshot(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    found = _snapshot(request, region_slug, pk)
    context = {"snapshot": found, "region": found.region, "body": mark_safe(found.dashboard_html), "part": "dashboard"}  # noqa: S308
    return render(request, "reports/snapshot.html", context)


@require_GET
@_guarded
def snapshot_report(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    found = _snapshot(request, region_slug, pk)
    context = {"snapshot": found, "region": found.region, "body": mark_safe(found.report_html), "part": "report"}  # noqa: S308
    return render(request, "reports/snapshot.html", context)


@require_GET
@_guarded
def snapshot_pdf(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    found = _snapshot(request, region_slug, pk)
    response = HttpResponse(bytes(found.report_pdf), content_type="application/pdf")
    name = slugify(f"{found.region.slug}-{found.meeting_date:%Y-%m-%d}-{found.pk}")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
