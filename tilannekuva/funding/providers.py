"""The dashboard's data for computed metrics: `index: hyte_coefficient` (the partner municipalities' mean of
THL's imported total points) and `index: vitality_index` (the region mean of the composite, or of one
`component`, against the national reference unless the binding names `reference` or `dimension_set`)."""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.dashboard.signals import Watch
from tilannekuva.databank.models import Observation
from tilannekuva.regions.models import AreaKind, Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.bindings import HYTE_COEFFICIENT, VITALITY_INDEX, ComputedBinding
from tilannekuva.strategy.models import BindingType, Direction, Metric

from . import parameters
from .models import FigureImport, IndicatorFigure, Level
from .vitality import compute


def hyte_values(region: Region) -> tuple[dict[int, float], bool]:
    """year -> unweighted mean of the region's municipalities' official total points (every year imported)."""
    figures = IndicatorFigure.objects.filter(
        level=Level.MUNICIPALITY, indicator=IndicatorFigure.TOTAL, points__isnull=False
    ).values_list("year", "area_id", "points", "synthetic")
    by_year: dict[int, dict[int, float]] = defaultdict(dict)
    synthetic = False
    for year, area_id, points, is_synthetic in figures:
        if points is not None:
            by_year[year][area_id] = points
        synthetic |= is_synthetic
    values = {}
    for year, points_of in by_year.items():
        if region.area.kind == AreaKind.MUNICIPALITY:
            members = {region.area.pk}
        else:
            members = set(members_of(region.area, year=year).values_list("pk", flat=True))
        found = [p for area_id, p in points_of.items() if area_id in members]
        if found:
            values[year] = sum(found) / len(found)
    return values, synthetic


def computed_data(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    found: dict[int, MetricData] = {}
    hyte: tuple[dict[int, float], bool] | None = None
    vitality_cache: dict[tuple[str, str], object] = {}
    for metric in metrics:
        binding = metric.typed_binding
        if not isinstance(binding, ComputedBinding):
            continue
        if binding.index == HYTE_COEFFICIENT:
            hyte = hyte or hyte_values(region)
            values, synthetic = hyte
            if not values:
                continue
            label = _("THL's HYTE coefficient report, imported: mean of the municipalities' total points")
            if synthetic:
                label = _("SYNTHETIC demo figures") + " · " + label
            found[metric.pk] = MetricData(
                values=values,
                source_label=label,
                unit=metric.unit or _("points"),
                direction=Direction.HIGHER_IS_BETTER,
                detail_url=reverse("funding:hyte", args=[region.slug]),
                detail_label=_("Each municipality's points, euros and the simulator"),
            )
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
                detail_url=reverse("funding:vitality", args=[region.slug]),
                detail_label=_("Each municipality's sub-indices and the method"),
            )
    return found


def _changed_figures(batch: FigureImport) -> bool:
    """An import's figures are written in bulk; its batch, saved with the counts, stands for them."""
    return bool(batch.rows_added or batch.rows_changed or batch.rows_removed)


# THL's points (hyte_values) and the data bank's observations (the vitality index).
register([BindingType.COMPUTED], computed_data, watches=[Watch(FigureImport, shows=_changed_figures), Observation])
