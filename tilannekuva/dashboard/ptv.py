"""The dashboard's provider for PTV bindings (`source: ptv` with an `organisation_kind`): the yearly count of service
descriptions of the region's organisations of that kind, from the data bank's PTV import (databank/sources/ptv.py).

- `municipality`: the sum of the region's municipalities' counts in the year (their membership in that year);
- `wellbeing_services_county`: the count of the region's county (the region itself, or the counties of its
  municipalities in that year);
- `association` and the other kinds, which PTV places on no area: the organisations of that kind in the import's
  detail whose municipality is one of the region's, summed.
A year without a PTV import has no figure: its card says that no count has been imported."""

from collections import defaultdict

from django.db.models import Q

from tilannekuva.databank.binding import databank_binding, indicators_for
from tilannekuva.databank.models import Observation
from tilannekuva.databank.sources.ptv import SOURCE_KEY as PTV_SOURCE
from tilannekuva.regions.models import Area, AreaKind, AreaMembership, OrganisationKind, Region, valid_in
from tilannekuva.strategy.models import Metric

from .figures import MetricData, counties_of

AREA_KINDS = {
    OrganisationKind.MUNICIPALITY.value: AreaKind.MUNICIPALITY.value,
    OrganisationKind.WELLBEING_SERVICES_COUNTY.value: AreaKind.WELLBEING_SERVICES_COUNTY.value,
}


def is_ptv(metric: Metric) -> bool:
    binding = databank_binding(metric)
    return binding is not None and binding.source == PTV_SOURCE and bool(binding.organisation_kind)


def _municipalities(region: Region, year: int) -> list[int]:
    if region.area.kind == AreaKind.MUNICIPALITY:
        return [region.area_id]
    return list(
        AreaMembership.objects.filter(
            valid_in(year), parent=region.area, member__kind=AreaKind.MUNICIPALITY
        ).values_list("member_id", flat=True)
    )


def _areas(region: Region, kind: str, year: int) -> list[int]:
    if kind == AreaKind.MUNICIPALITY:
        return _municipalities(region, year)
    if region.area.kind == AreaKind.WELLBEING_SERVICES_COUNTY:
        return [region.area_id]
    return [area.pk for area in counties_of(region, year=year)]


def ptv_data(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    indicators = indicators_for(metrics)
    found = {}
    for metric in metrics:
        indicator = indicators.get(metric.pk)
        binding = databank_binding(metric)
        if indicator is None or binding is None:
            continue
        kind = binding.organisation_kind
        years = sorted(int(y) for y in indicator.metadata.get("years", {}))
        values: dict[int, float] = {}
        for year in years:
            if kind in AREA_KINDS:
                counts = Observation.objects.filter(
                    Q(area_id__in=_areas(region, AREA_KINDS[kind], year)),
                    indicator=indicator,
                    year=year,
                    value__isnull=False,
                ).values_list("value", flat=True)
                if counts:
                    values[year] = float(sum(v for v in counts if v is not None))
                continue
            codes = set(Area.objects.filter(pk__in=_municipalities(region, year)).values_list("code", flat=True))
            role = indicator.metadata.get("role", "")
            per_kind: dict[str, int] = defaultdict(int)
            matched = False
            for detail in indicator.metadata["years"][str(year)].values():
                code = str(detail.get("municipality_code") or "").zfill(3)
                if detail.get("kind") == kind and code in codes:
                    per_kind[kind] += int(detail.get(role.lower(), 0) or 0)
                    matched = True
            if matched:
                values[year] = float(per_kind[kind])
        found[metric.pk] = MetricData(
            values=values,
            source_label=metric.binding_summary,
            unit=metric.unit or indicator.unit,
            vintage=indicator.vintage,
            indicator=indicator,
            direction=indicator.direction,
            updated=indicator.data_updated,
        )
    return found
