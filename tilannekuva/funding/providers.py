"""The dashboard's data for computed metrics. `index: hyte_coefficient` with `component` points, coefficient,
eur or eur_per_resident: the region's figures from the funding app (selectors.region_figure). `index:
vitality_index`: the region mean of the composite, or of one `component`, against the national reference unless
the binding names `reference` or `dimension_set`."""

from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.dashboard.signals import Watch
from tilannekuva.databank.models import Observation
from tilannekuva.regions.models import Area, AreaKind, Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.bindings import HYTE_COEFFICIENT, VITALITY_INDEX, ComputedBinding
from tilannekuva.strategy.models import BindingType, Direction, Metric

from . import parameters, selectors
from .models import FigureImport, Level
from .vitality import compute

# A HYTE binding's `component`: which of the funding app's figures the metric shows (docs/FUNDING.md).
HYTE_COMPONENTS = ("points", "coefficient", "eur", "eur-per-resident")
SYNTHETIC_LABEL = "synteettinen"  # the data's own word: every figure derived from SYNTHETIC input carries it


def _component(figure: Any, component: str) -> Any:
    """One of a HYTE figure's components, by the binding's name for it."""
    return {
        "points": figure.points,
        "coefficient": figure.coefficient,
        "eur": figure.eur,
        "eur-per-resident": figure.eur_per_resident,
    }[component]


def hyte_figures(region: Region) -> dict[int, selectors.RegionFigure]:
    """year -> the region's HYTE figures, every year with imported figures."""
    found = {}
    for year in selectors.years_with_figures(Level.MUNICIPALITY):
        figure = selectors.region_figure(region, year=year)
        if figure is not None:
            found[year] = figure
    return found


def hyte_by_area(
    component: str, by_year: dict[int, dict[str, Any]]
) -> tuple[Area | None, dict[int, dict[int, float | None]]]:
    """The dashboard's per-municipality answer (issue 16): each municipality's own figure of the component per
    year (area id -> year -> value, selectors.municipality_figures), and the country's: the population-weighted
    mean of every municipality's points, the coefficient 1 by its definition, the euros of all per resident."""
    country = Area.objects.filter(kind=AreaKind.COUNTRY).order_by("pk").first()
    by_area: dict[int, dict[int, float | None]] = {}
    for year, figures in by_year.items():
        for figure in figures.values():
            value = _component(figure, component)
            if value is not None:
                by_area.setdefault(figure.area.pk, {})[year] = float(value)
        if country is None or not figures:
            continue
        national = _national(list(figures.values()), component)
        if national is not None:
            by_area.setdefault(country.pk, {})[year] = national
    return country, by_area


def _national(figures: list, component: str) -> float | None:
    weighted = [(f.points, f.residents) for f in figures if f.residents]
    if component == "points" and weighted:
        return sum(p * r for p, r in weighted) / sum(r for _p, r in weighted)
    if component == "coefficient":
        return 1.0  # a municipality's points over the national mean: the country's is 1 by definition
    if component == "eur-per-resident":
        paid = [(f.eur, f.residents) for f in figures if f.eur is not None and f.residents]
        return float(sum(e for e, _r in paid) / sum(r for _e, r in paid)) if paid else None
    return None  # the euros of the whole country are not comparable with one municipality's


REGION_RULES = {
    "points": gettext_lazy("the population-weighted mean of the municipalities' points"),
    "coefficient": gettext_lazy("the population-weighted mean of the municipalities' coefficients"),
    "eur": gettext_lazy("the sum of the municipalities' euros"),
    "eur-per-resident": gettext_lazy("the municipalities' euros together per resident"),
}


def municipality_figures_by_year() -> dict[int, dict[str, Any]]:
    """selectors.municipality_figures of every year with imported figures, read once per dashboard."""
    return {year: selectors.municipality_figures(year) for year in selectors.years_with_figures(Level.MUNICIPALITY)}


def _hyte_data(
    metric: Metric,
    component: str,
    figures: dict[int, selectors.RegionFigure],
    region: Region,
    by_year: dict[int, dict[str, Any]] | None = None,
) -> MetricData | None:
    values: dict[int, float] = {}
    for year, figure in figures.items():
        value = _component(figure, component)
        if value is not None:
            values[year] = float(value)
    if not values:
        return None
    latest = figures[max(values)]
    notes = []
    if any(figures[y].synthetic for y in values):
        notes.append(f"{SYNTHETIC_LABEL} demoaineisto (data/funding/SYNTHETIC-*.csv), ei THL:n eikä VM:n luku")
    if component == "points":
        notes.append(latest.rank_text)
    label = {
        "points": _("HYTE points (0–100) of the municipalities, weighted by residents, VNA 1393/2022 3 §"),
        "coefficient": _("HYTE coefficient of the municipalities, weighted by residents, VNA 1393/2022 3 §"),
        "eur": _("HYTE supplement of the municipalities together, laki 618/2021 15 §"),
        "eur-per-resident": _("HYTE supplement per resident, laki 618/2021 15 §"),
    }[component]
    unit = {"points": _("points"), "coefficient": "", "eur": "€", "eur-per-resident": _("€/resident")}[component]
    country, by_area = hyte_by_area(component, by_year if by_year is not None else municipality_figures_by_year())
    return MetricData(
        values=values,
        by_area=by_area,
        country=country,
        region_rule=str(REGION_RULES[component]),
        source_label=" · ".join([label, *notes]),
        unit=metric.unit or unit,
        vintage=" · ".join(notes),
        direction=Direction.HIGHER_IS_BETTER,
        peers={y: figures[y].peers for y in values} if component == "points" else {},
        detail_url=reverse("funding:hyte", args=[region.slug]),
        detail_label=_("Each municipality's points, euros and the simulator"),
        synthetic=any(figures[y].synthetic for y in values),
    )


def computed_data(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    found: dict[int, MetricData] = {}
    hyte: dict[int, selectors.RegionFigure] | None = None
    own: dict[int, dict[str, Any]] | None = None  # each municipality's figures (issue 16)
    vitality_cache: dict[tuple[str, str], object] = {}
    for metric in metrics:
        binding = metric.typed_binding
        if not isinstance(binding, ComputedBinding):
            continue
        if binding.index == HYTE_COEFFICIENT:
            hyte_component = binding.component or "points"
            if hyte_component not in HYTE_COMPONENTS:
                continue
            hyte = hyte if hyte is not None else hyte_figures(region)
            own = own if own is not None else municipality_figures_by_year()
            data = _hyte_data(metric, hyte_component, hyte, region, own)
            if data is not None:
                found[metric.pk] = data
        elif binding.index == VITALITY_INDEX:
            config = parameters.vitality()
            reference = binding.reference or config.default_reference
            set_key = binding.dimension_set or config.default_set
            if reference not in parameters.REFERENCES or set_key not in config.sets:
                continue
            result = vitality_cache.get((reference, set_key))
            if result is None:
                result = vitality_cache[(reference, set_key)] = compute(reference=reference, dimension_set=set_key)
            codes = [a.code for a in members_of(region.area, year=max(result.years, default=2000))]  # type: ignore[attr-defined]
            component = binding.component or None
            means = result.region_mean(codes, component=component)  # type: ignore[attr-defined]
            if not means:
                continue
            label = _("Vitality index computed like Kuntaliitto's (z-score against %(reference)s), unweighted mean") % {
                "reference": _("all municipalities of Finland") if reference == "national" else _("the maakunta")
            }
            country, by_area = with_country_mean(vitality_by_area(result, component=component))
            found[metric.pk] = MetricData(
                values={year: mean for year, (mean, _count) in means.items()},
                by_area=by_area,
                country=country,
                region_rule=_("the plain mean of the municipalities' values"),
                source_label=label,
                unit=_("z-score"),
                direction=Direction.HIGHER_IS_BETTER,
                vintage=_vitality_vintage(result, component),
                detail_url=reverse("funding:vitality", args=[region.slug]),
                detail_label=_("Each municipality's sub-indices and the method"),
            )
    return found


def vitality_by_area(result: object, *, component: str | None) -> dict[int, dict[int, float | None]]:
    """Each municipality's composite (or one sub-index) per year, by area id."""
    found: dict[int, dict[int, float | None]] = {}
    for code, area in result.municipalities.items():  # type: ignore[attr-defined]
        if component is None:
            years = dict(result.composite.get(code, {}))  # type: ignore[attr-defined]
        else:
            scores = result.scores.get(code, {})  # type: ignore[attr-defined]
            years = {y: s[component] for y, s in scores.items() if s.get(component) is not None}
        if years:
            found[area.pk] = years
    return found


def with_country_mean(
    by_area: dict[int, dict[int, float | None]],
) -> tuple[Area | None, dict[int, dict[int, float | None]]]:
    """Each municipality's figures and the country's, the plain mean of every municipality's (the vitality
    index has no figure of the country's own)."""
    country = Area.objects.filter(kind=AreaKind.COUNTRY).order_by("pk").first()
    if country is None:
        return None, by_area
    by_year: dict[int, list[float]] = defaultdict(list)
    for years in by_area.values():
        for year, value in years.items():
            if value is not None:
                by_year[year].append(value)
    means: dict[int, float | None] = {year: sum(v) / len(v) for year, v in by_year.items()}
    return country, {**by_area, country.pk: means}


def _vitality_vintage(result, component: str | None) -> str:
    """The series a vitality figure rests on: each scored dimension's indicator, its producer and vintage."""
    keys = [component] if component else list(result.statuses)
    parts = []
    for key in keys:
        status = result.statuses.get(key)
        indicator = status.indicator if status else None
        if indicator is None or not status.years:
            continue
        producer = indicator.organisation or indicator.source.name
        parts.append(f"{indicator.title_fi} ({producer}{', ' + indicator.vintage if indicator.vintage else ''})")
    return " · ".join(parts)


def _changed_figures(batch: FigureImport) -> bool:
    """An import's figures are written in bulk; its batch, saved with the counts, stands for them."""
    return bool(batch.rows_added or batch.rows_changed or batch.rows_removed)


# THL's points (hyte_values) and the data bank's observations (the vitality index).
register([BindingType.COMPUTED], computed_data, watches=[Watch(FigureImport, shows=_changed_figures), Observation])
