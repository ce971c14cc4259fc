"""Reads about areas and regions: which municipalities belong where, in a given year."""

from django.db.models import Q, QuerySet

from .models import Area, AreaKind, Organisation, OrganisationKind, Region, valid_in


class UnknownArea(LookupError):
    """No region or area answers to the given identifier."""


def area_for(identifier: str) -> Area:
    """A region slug (etela-savo), an area slug (mikkeli), or kind:code (maakunta:10)."""
    region = Region.objects.select_related("area").filter(slug=identifier).first()
    if region:
        return region.area
    if ":" in identifier:
        kind, code = identifier.split(":", 1)
        area = Area.objects.filter(kind=kind, code=code).first()
    else:
        area = Area.objects.filter(slug=identifier).first()
    if area is None:
        raise UnknownArea(f"No region or area '{identifier}'. Try a region such as 'etela-savo' or 'maakunta:10'.")
    return area


def members_of(area: Area, *, year: int, kind: str = AreaKind.MUNICIPALITY) -> QuerySet[Area]:
    """Areas of `kind` that belong to `area` in `year`, and that exist in that year."""
    # One filter() call, so that the parent and the year span are conditions on the same membership row.
    return (
        Area.objects.filter(Q(kind=kind, parent_memberships__parent=area) & valid_in(year, "parent_memberships__"))
        .filter(valid_in(year))
        .order_by("code")
        .distinct()
    )


def municipalities_of(identifier: str, *, year: int) -> QuerySet[Area]:
    return members_of(area_for(identifier), year=year)


def lies_within(area: Area, parent: Area, *, year: int) -> bool:
    """Whether `area` is `parent` itself or lies inside it in `year`: a municipality that belongs to it, or an
    area (a seutukunta) whose municipalities all belong to it. Seutukunnat and maakunnat share no membership
    rows, so an area is placed by its municipalities."""
    if area.pk == parent.pk:
        return True
    inside = set(members_of(parent, year=year).values_list("pk", flat=True))
    if area.kind == AreaKind.MUNICIPALITY:
        return area.pk in inside
    own = set(members_of(area, year=year).values_list("pk", flat=True))
    return bool(own) and own <= inside


def region_by_slug(slug: str, *, with_strategy: bool = False) -> Region | None:
    """The region of the slug (with its area), or None; `with_strategy`: only a region that has a strategy."""
    regions = Region.objects.select_related("area").filter(slug=slug)
    if with_strategy:
        regions = regions.filter(strategy__isnull=False)
    return regions.first()


def organisations_in(organisations: list[Organisation], *, area: Area, year: int) -> list[Organisation]:
    """The organisations that are members in `year`: a municipality only while it belongs to `area` (no
    Pertunmaa from 2025, merged into Mäntyharju); other kinds of organisation as they are listed."""
    municipalities = set(members_of(area, year=year).values_list("pk", flat=True))
    return [
        o
        for o in organisations
        if o.kind != OrganisationKind.MUNICIPALITY or (o.area_id is not None and o.area_id in municipalities)
    ]
