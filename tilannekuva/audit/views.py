"""A region's audit trail as a page and as a CSV file, for the region's administrators."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from tilannekuva.core import csv_dialects
from tilannekuva.core.i18n import current_language
from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import is_region_admin

from . import exports, selectors
from .forms import TrailFilterForm
from .models import AuditEntry
from .selectors import TrailFilter

PAGE_SIZE = 50


def _trail(request: HttpRequest, region_slug: str) -> tuple[Region, TrailFilterForm, QuerySet[AuditEntry]]:
    """The region (403 unless the user administers it), the filter form and the filtered entries."""
    region = region_for(request, region_slug, may=is_region_admin)
    form = TrailFilterForm(request.GET or None, kinds=selectors.kinds_in_trail(region))
    filters = form.filters() if form.is_bound else TrailFilter()
    return region, form, selectors.region_trail(region, filters)


@login_required
def region_trail(request: HttpRequest, region_slug: str) -> HttpResponse:
    region, form, entries = _trail(request, region_slug)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"region": region, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/region.html", context)


@login_required
def region_export(request: HttpRequest, region_slug: str) -> StreamingHttpResponse:
    region, _form, entries = _trail(request, region_slug)
    response = StreamingHttpResponse(
        exports.csv_lines(
            entries.iterator(chunk_size=500), csv_dialects.dialect_for(request.GET.get("dialect"), current_language())
        ),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"audit-{region.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
