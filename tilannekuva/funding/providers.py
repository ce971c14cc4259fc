"""The dashboard's data for computed metrics. `index: hyte_coefficient` with `component` points, coefficient,
eur or eur_per_resident: the region's figures from the funding app (selectors.region_figure). `index:
vitality_index`: the region mean of the composite, or of one `component`, against the national reference unless
the binding names `reference` or `dimension_set`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.dashboard.signals import Watch
from tilannekuva.databank.models import Observation
from tilannekuva.regions.models import Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.bindings import HYTE_COEFFICIENT, VITALITY_INDEX, ComputedBinding
from tilannekuva.strategy.models import BindingType, Direction, Metric

from . import parameters, selectors
from .models import FigureImport, Level
from .vitality import compute

# A HYTE binding's `component`: which of the funding app's figures the metric shows (docs/FUNDING.md).
HYTE_COMPONENTS = ("points", "coefficient", "eur", "eur-per-resident")
SYNTHETIC_LABEL = "synteettinen"  # the data's own word: every figure derived from SYNTHETIC input carries it


def hyte_figures(region: Region) -> dict[int, selectors.RegionFigure]:
    """year -> the region's HYTE figures, every year with imported figures."""
    found = {}
    for year in selectors.years_with_figures(Level.MUNICIPALITY):
        figure = selectors.region_figure(region, year=year)
        if figure is not None:
            found[year] = figure
    return found


def _hyte_data(
    metric: Metric, component: str, figures: dict[int, selectors.RegionFigure], region: Region
) -> MetricData | None:
    values: dict[int, float] = {}
    for year, figure in figures.items():
        value = {
            "points": figure.points,
            "coefficient": figure.coefficient,
            "eur": figure.eur,
            "eur-per-resident": figure.eur_per_resident,
        }[component]
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
    return MetricData(
        values=values,
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
            data = _hyte_data(metric, hyte_component, hyte, region)
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
            found[metric.pk] = MetricData(
                values={year: mean for year, (mean, _count) in means.items()},
                source_label=label,
                unit=_("z-score"),
                direction=Direction.HIGHER_IS_BETTER,
                vintage=_vitality_vintage(result, component),
                detail_url=reverse("funding:vitality", args=[region.slug]),
                detail_label=_("Each municipality's sub-indices and the method"),
            )
    return found


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
