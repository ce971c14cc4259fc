"""The funding pages: a region's HYTE figures, the what-if simulator, the vitality index and the method page.
The HYTE and vitality pages follow the region's dashboard (public unless it is internal); the simulator needs a
role in the region. Every page reads only: nothing here writes."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tilannekuva.core import charts
from tilannekuva.core.i18n import current_language
from tilannekuva.core.years import requested_year
from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_view_dashboard, can_view_internal

from . import calculator, explain, parameters, selectors, simulation
from .forms import PREFIX, SimulatorForm, baselines
from .models import Level
from .vitality import compute


def _region(request: HttpRequest, region_slug: str, *, internal: bool = False) -> Region:
    return region_for(request, region_slug, may=can_view_internal if internal else can_view_dashboard)


def _level(request: HttpRequest) -> str:
    level = request.GET.get("level") or Level.MUNICIPALITY
    if level not in Level.values:
        raise Http404("no such level")
    return level


def _section(region: Region, *, level: str, year: int) -> dict[str, Any]:
    data = selectors.year_data(level=level, year=year)
    calculation = selectors.calculate(data)
    areas = selectors.partners(region, level=level, year=year)
    rows = selectors.partner_rows(data, calculation, areas)
    per_resident = level == Level.COUNTY and not data.areas
    if per_resident:
        rows = selectors.county_per_resident_rows(region, year=year)
    comparison = None
    if calculation is not None and (data.official_totals or data.official_eur):
        comparison = calculator.compare(
            calculation, official_points=data.official_totals, official_eur=data.official_eur
        )
    return {
        "level": level,
        "data": data,
        "calculation": calculation,
        "rows": rows,
        "per_resident": per_resident and bool(rows),
        "comparison": comparison,
        "ranked": selectors.official_ranking(data).count or (calculation.ranked if calculation else 0),
    }


@require_GET
def hyte(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    year = requested_year(request, default=selectors.default_year(Level.MUNICIPALITY))
    context: dict[str, Any] = {
        "region": region,
        "year": year,
        "years": sorted(
            {*selectors.years_with_figures(Level.MUNICIPALITY), *parameters.hyte_years(Level.MUNICIPALITY)}
        ),
        "may_simulate": can_view_internal(request.user, region),
    }
    if year is not None:
        municipalities = _section(region, level=Level.MUNICIPALITY, year=year)
        counties = _section(region, level=Level.COUNTY, year=year)
        context["sections"] = [municipalities] + ([counties] if counties["data"].areas or counties["rows"] else [])
        chart_rows = [{"label": r.area.name, "value": r.points} for r in municipalities["rows"]]
        chart_rows += (
            [{"label": r.area.name, "value": r.points} for r in counties["rows"]] if counties["data"].areas else []
        )
        if any(r["value"] is not None for r in chart_rows):
            context["chart"] = charts.bar_chart(
                chart_rows,
                title=_("HYTE coefficient points %(year)s (0–100)") % {"year": year},
                x_title=_("points"),
                language=current_language(),
                domain=(0, 100),
            )
    return render(request, "funding/hyte.html", context)


@login_required
@require_GET
def simulator(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug, internal=True)
    level = _level(request)
    year = requested_year(request, default=selectors.default_year(level))
    context: dict[str, Any] = {"region": region, "year": year, "level": level}
    status = 200
    data = selectors.year_data(level=level, year=year) if year is not None else None
    areas = list(selectors.partners(region, level=level, year=year)) if year is not None else []
    if data is not None and data.parameters is not None and data.values and areas:
        areas = [a for a in areas if a.code in data.values] or areas
        code = request.GET.get("area") or areas[0].code
        current = data.values.get(code, {})
        submitted = request.GET.dict()
        if submitted.get("for_area") != code:
            # The municipality was changed (or nothing sent yet): its own figures, never the previous one's.
            submitted = {k: v for k, v in submitted.items() if not k.startswith(PREFIX)}
            submitted.update(baselines(current, data.parameters))
        form = SimulatorForm(
            {**submitted, "area": code, "level": level}, parameters=data.parameters, areas=areas, current=current
        )
        context["form"] = form
        context["data"] = data
        context["code"] = code
        if form.is_valid():
            code = form.cleaned_data["area"]
            changes = form.changes()
            context["changes"] = [(data.parameters.indicator(k), v) for k, v in changes.items()]
            result = simulation.simulate(data, code=code, changes=changes, areas=areas)
            context["simulation"] = result
            context["chosen"] = next(a for a in areas if a.code == code)
            if result is not None:
                context["explained"] = simulation.explain_steps(result, data, code=code)
        else:
            status = 400
    template = "funding/_simulation.html" if getattr(request, "htmx", False) else "funding/simulator.html"
    return render(request, template, context, status=status)


@require_GET
def vitality_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    config = parameters.vitality()
    reference = request.GET.get("reference") or config.default_reference
    if reference not in parameters.REFERENCES:
        raise Http404("no such reference")
    set_key = request.GET.get("set") or config.default_set
    if set_key not in config.sets:
        raise Http404("no such dimension set")
    result = compute(reference=reference, dimension_set=set_key)
    year = max(result.years) if result.years else None
    members = selectors.partners(region, level=Level.MUNICIPALITY, year=timezone.localdate().year)
    codes = [a.code for a in members if a.code in result.municipalities]
    rows = []
    for area in members:
        scores = result.scores.get(area.code, {})
        latest = max((y for y in scores), default=None)
        rows.append(
            {
                "area": area,
                "year": latest,
                "scores": [scores.get(latest, {}).get(k) if latest else None for k in result.dimension_set.dimensions],
                "composite": result.composite.get(area.code, {}).get(latest) if latest else None,
            }
        )
    composite_mean = result.region_mean(codes)
    component_means = {k: result.region_mean(codes, component=k) for k in result.dimension_set.dimensions}
    table = [
        {
            "year": y,
            "composite": composite_mean.get(y),
            "components": [component_means[k].get(y) for k in result.dimension_set.dimensions],
        }
        for y in result.years
    ]
    chart_rows = [
        {"year": y, "series": config.dimensions[k].name, "value": round(component_means[k][y][0], 4)}
        for k in result.dimension_set.dimensions
        for y in result.years
        if y in component_means[k]
    ] + [{"year": y, "series": _("Composite"), "value": round(v[0], 4)} for y, v in composite_mean.items()]
    chart = None
    if chart_rows:
        chart = charts.line_chart(
            chart_rows,
            title=_("Mean of %(region)s's municipalities (z-score)") % {"region": region.name},
            y_title=_("z-score"),
            series_title=_("Dimension"),
            language=current_language(),
        )
    context = {
        "region": region,
        "config": config,
        "result": result,
        "reference": reference,
        "set_key": set_key,
        "dimensions": [config.dimensions[k] for k in result.dimension_set.dimensions],
        "statuses": [result.statuses[k] for k in result.dimension_set.dimensions],
        "rows": rows,
        "table": table,
        "year": year,
        "chart": chart,
        "member_count": len(codes),
    }
    return render(request, "funding/vitality.html", context)


@require_GET
def method(request: HttpRequest) -> HttpResponse:
    files = sorted(parameters.all_hyte().values(), key=lambda p: (p.level, p.year))
    return render(
        request, "funding/method.html", {"files": files, "vitality": parameters.vitality(), "steps": explain.STEPS}
    )
