"""The dashboard's data for computed metrics: `index: hyte_coefficient` (the partner municipalities' mean of
THL's imported total points) and `index: vitality_index` (the region mean of the composite, or of one
`component`, against the national reference unless the binding names `reference` or `dimension_set`)."""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.dashboard.signals import Watch
from tilannekuva.databank.models import Observation
from tilannekuva.regions.models import Area, AreaKind, Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.bindings import HYTE_COEFFICIENT, VITALITY_INDEX, ComputedBinding
from tilannekuva.strategy.models import BindingType, Direction, Metric

from . import parameters
from .models import FigureImport
from .selectors import municipality_points
from .vitality import compute


def hyte_values(region: Region) -> tuple[dict[int, float], bool]:
    """year -> unweighted mean of the region's municipalities' official total points (every year imported)."""
    by_area, synthetic = municipality_points()
    by_year: dict[int, dict[int, float]] = defaultdict(dict)
    for area_id, years in by_area.items():
        for year, points in years.items():
            by_year[year][area_id] = points
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


def with_country_mean(
    by_area: dict[int, dict[int, float | None]],
) -> tuple[Area | None, dict[int, dict[int, float | None]]]:
    """Each municipality's figures and the country's, the plain mean of every municipality's (a computed index
    has no figure of the country's own)."""
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
            country, by_area = with_country_mean(dict(municipality_points()[0]))  # type: ignore[arg-type]
            found[metric.pk] = MetricData(
                values=values,
                by_area=by_area,
                country=country,
                region_rule=_("the plain mean of the municipalities' points"),
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
            country, by_area = with_country_mean(vitality_by_area(result, component=component))
            found[metric.pk] = MetricData(
                values={year: mean for year, (mean, _count) in means.items()},
                by_area=by_area,
                country=country,
                region_rule=_("the plain mean of the municipalities' values"),
                source_label=label,
                unit=_("z-score"),
                direction=Direction.HIGHER_IS_BETTER,
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


def _changed_figures(batch: FigureImport) -> bool:
    """An import's figures are written in bulk; its batch, saved with the counts, stands for them."""
    return bool(batch.rows_added or batch.rows_changed or batch.rows_removed)


# THL's points (hyte_values) and the data bank's observations (the vitality index).
register([BindingType.COMPUTED], computed_data, watches=[Watch(FigureImport, shows=_changed_figures), Observation])
