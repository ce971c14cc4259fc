"""Reads of the data bank: an indicator by its id, and its observations for a set of areas and years."""

from collections.abc import Iterable

from django.db.models import QuerySet

from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import members_of

from .models import Indicator, Observation


class UnknownIndicator(LookupError):
    """No indicator, or more than one, answers to the given id."""


def indicator_by_id(external_id: str, *, source_key: str = "") -> Indicator:
    """The indicator with this id at its source (Sotkanet's "127"); the source may be left out when only one
    source has an indicator of that id."""
    found = Indicator.objects.select_related("source").filter(external_id=external_id)
    if source_key:
        found = found.filter(source__key=source_key)
    indicators = list(found.order_by("source__key")[:20])
    if not indicators:
        at = f" at the source '{source_key}'" if source_key else ""
        raise UnknownIndicator(f"No indicator '{external_id}'{at}.")
    if len(indicators) > 1:
        keys = ", ".join(i.source.key for i in indicators)
        raise UnknownIndicator(f"'{external_id}' is an indicator of several sources ({keys}): name its source.")
    return indicators[0]


def observations(
    *,
    indicator: Indicator,
    areas: Iterable[Area] | None = None,
    years: Iterable[int] | None = None,
    gender: str | None = None,
    classification: str | None = None,
) -> QuerySet[Observation]:
    """Observations of `indicator`, narrowed to `areas`, `years`, `gender` and `classification` where given."""
    found = Observation.objects.filter(indicator=indicator).select_related("area")
    if areas is not None:
        found = found.filter(area__in=[a.pk for a in areas])
    if years is not None:
        found = found.filter(year__in=list(years))
    if gender is not None:
        found = found.filter(gender=gender)
    if classification is not None:
        found = found.filter(classification=classification)
    return found.order_by("area__kind", "area__code", "year", "gender", "classification")


def years_of(indicator: Indicator) -> list[int]:
    """The years in which `indicator` has observations."""
    return list(
        Observation.objects.filter(indicator=indicator).values_list("year", flat=True).distinct().order_by("year")
    )


def classifications_of(indicator: Indicator) -> list[str]:
    """The classifications (age groups, table filters, ...) under which `indicator` has observations."""
    found = Observation.objects.filter(indicator=indicator).values_list("classification", flat=True)
    return list(found.distinct().order_by("classification"))


def observations_in_area(
    *,
    indicator: Indicator,
    area: Area,
    years: Iterable[int],
    gender: str | None = None,
    classification: str | None = None,
) -> list[Observation]:
    """Observations of `indicator` for the municipalities that belong to `area` in each year (membership is per
    year: Pertunmaa is in Etelä-Savo up to 2024 only), then for `area` itself and the whole country where they
    have values. Municipalities come first, by code and year."""
    years = sorted(set(years))
    members: set[tuple[int, int]] = set()
    member_areas: dict[int, Area] = {}
    for year in years:
        for member in members_of(area, year=year):
            members.add((member.pk, year))
            member_areas[member.pk] = member
    own = [area, *Area.objects.filter(kind=AreaKind.COUNTRY).exclude(pk=area.pk)]
    found = observations(
        indicator=indicator,
        areas=[*member_areas.values(), *own],
        years=years,
        gender=gender,
        classification=classification,
    )
    order = {a.pk: rank for rank, a in enumerate(own, start=1)}
    kept = [o for o in found if o.area_id in order or (o.area_id, o.year) in members]
    return sorted(kept, key=lambda o: (order.get(o.area_id, 0), o.area.code, o.year, o.gender, o.classification))
