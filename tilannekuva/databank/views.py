"""The data bank's catalogue: search and browse indicators, an indicator's page, binding it to a metric."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tilannekuva.core import jobs
from tilannekuva.core.charts import line_chart
from tilannekuva.core.i18n import current_language
from tilannekuva.regions.access import refuse, region_for
from tilannekuva.regions.permissions import (
    administered_regions,
    can_view_import_jobs,
    is_region_admin,
    visible_regions,
)
from tilannekuva.strategy.selectors import version_in_force

from . import binding, selectors_catalogue
from .forms import BindForm
from .models import BackgroundImport, Gender, ImportRun, Indicator
from .regional import Aggregation, region_series


def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    source_key = request.GET.get("source", "")
    page = Paginator(selectors_catalogue.search_indicators(query=query, source_key=source_key), 50).get_page(
        request.GET.get("page")
    )
    indicators = selectors_catalogue.with_coverage(list(page.object_list))
    context = {
        "page": page,
        "indicators": indicators,
        "query": query,
        "source_key": source_key,
        "pager_query": urlencode({"q": query, "source": source_key}),
        "sources": selectors_catalogue.sources_in_use(),
        "can_view_imports": can_view_import_jobs(request.user),
    }
    return render(request, "databank/catalogue.html", context)


def indicator_page(request: HttpRequest, source_key: str, external_id: str) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related("source"), source__key=source_key, external_id=external_id
    )
    regions = list(visible_regions(request.user).select_related("area").order_by("name"))  # no internal region
    region = next((r for r in regions if r.slug == request.GET.get("region")), regions[0] if regions else None)
    if region is None:
        raise Http404("no regions")
    gender = request.GET.get("gender", Gender.TOTAL)
    if gender not in Gender.values:
        raise Http404("unknown gender")
    rule = request.GET.get("rule", Aggregation.REGION_VALUE)
    if rule not in dict(Aggregation.CHOICES):
        raise Http404("unknown rule")
    series = region_series(indicator=indicator, area=region.area, gender=gender, rule=rule)
    rows = [
        {"year": year, "series": m.name, "value": series.municipality_value(m, year)}
        for m in series.municipalities
        for year in series.years
    ]
    rows += [{"year": y, "series": str(region), "value": series.region[y].value} for y in series.years]
    if series.country:
        rows += [{"year": y, "series": series.country.name, "value": series.country_value(y)} for y in series.years]
    spec = line_chart(
        rows,
        title=indicator.title,
        y_title=indicator.unit or _("value"),
        series_title=_("Area"),
        language=current_language(),
    )
    can_bind = region in administered_regions(request.user)
    version = version_in_force(region)
    form = BindForm(metrics=binding.bindable_metrics(version) if (version and can_bind) else [])
    context = {
        "indicator": indicator,
        "regions": regions,
        "region": region,
        "series": series,
        "gender": gender,
        "genders": Gender.choices,
        "rule": rule,
        "rules": Aggregation.CHOICES,
        "chart_spec": spec,
        "bound_metrics": [
            m for m in binding.metrics_bound_to(indicator) if m.version.strategy.region_id in {r.pk for r in regions}
        ],
        "can_bind": can_bind and version is not None,
        "form": form,
    }
    return render(request, "databank/indicator.html", context)


@require_POST
def bind_indicator(request: HttpRequest, source_key: str, external_id: str, region_slug: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, source__key=source_key, external_id=external_id)
    region = region_for(request, region_slug, may=is_region_admin)
    version = version_in_force(region)
    if version is None:
        raise Http404("no strategy")
    form = BindForm(request.POST, metrics=binding.bindable_metrics(version))
    if form.is_valid():
        metric = binding.bind(
            metric=form.cleaned_data["metric"], indicator=indicator, aggregation=form.cleaned_data["aggregation"]
        )
        messages.success(request, _("“%(metric)s” now takes its data from this indicator.") % {"metric": metric.title})
    else:
        messages.error(request, _("The metric was not bound: %(errors)s") % {"errors": form.errors.as_text()})
    url = reverse("databank:indicator", args=[indicator.source.key, indicator.external_id])
    return redirect(f"{url}?region={region.slug}")


def import_jobs(request: HttpRequest) -> HttpResponse:
    """Background imports and their progress; the table reloads itself (HTMX) while any is queued or running."""
    if not can_view_import_jobs(request.user):
        refuse(request)
    recent = list(BackgroundImport.objects.select_related("import_run", "requested_by")[:50])
    context = {
        "jobs": [(job, jobs.share_done(job)) for job in recent],
        "polling": any(job.active for job in recent),
        "runs": ImportRun.objects.select_related("source").defer("raw_payload", "parameters")[:20],
    }
    template = "databank/import_jobs.html#jobs" if request.htmx else "databank/import_jobs.html"  # type: ignore[attr-defined]
    return render(request, template, context)
