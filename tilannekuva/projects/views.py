"""Pages of the projects: the region's list and a project's page, public where the dashboard is; its risk register
and progress reports for those with a role in the region. Each view checks its permission with
tilannekuva.regions.permissions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_view_dashboard, can_view_internal

from . import selectors, services
from .forms import ProgressForm


def _region(request: HttpRequest, region_slug: str) -> Region:
    """The projects are public where the region's dashboard is; risks and progress for those with a role."""
    return region_for(request, region_slug, may=can_view_dashboard, with_strategy=True)


@require_http_methods(["GET", "HEAD"])
def project_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    internal = can_view_internal(request.user, region)
    rows = selectors.project_list(region, internal=internal)
    context = {"region": region, "rows": rows, "internal": internal, "risk_icons": selectors.RISK_ICONS}
    return render(request, "projects/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def project_detail(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug)
    internal = can_view_internal(request.user, region)
    row = selectors.project_row(region, pk, internal=internal)
    if row is None:
        raise Http404("no such project")
    may_report = services.may_report(request.user, row.project)
    form = None
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        form = ProgressForm(request.POST)
        if form.is_valid():
            try:
                services.add_progress_report(project=row.project, user=request.user, **form.cleaned_data)
            except services.ProjectError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("The progress report was added."))
                return redirect("projects:detail", region.slug, pk)
    elif may_report:
        form = ProgressForm(initial={"written_on": timezone.localdate(), "status_after": row.project.status})
    context = {"region": region, "row": row, "internal": internal, "form": form, "risk_icons": selectors.RISK_ICONS}
    return render(request, "projects/detail.html", context, status=400 if form is not None and form.errors else 200)
