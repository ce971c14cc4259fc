"""Reading the audit trail: an object's history, and a region's entries with the page's filters."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import administered_regions, can_view_internal

from .models import AuditEntry
from .services import region_id_for


def history_for(obj: models.Model, limit: int = 50) -> list[AuditEntry]:
    """The latest entries about `obj`, newest first."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("content_type")
    return list(entries[:limit])


def can_view_trail(user: Any, region_id: int | None) -> bool:
    """A region's trail is for its administrators; entries without a region for superusers only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return region_id is not None and administered_regions(user).filter(pk=region_id).exists()


def can_view_history(user: Any, obj: models.Model) -> bool:
    """One object's history is shown on its (internal) page to everyone with a role in its region: an editor
    sees who approved their report. The region's whole trail stays with its administrators."""
    if can_view_trail(user, region_id_for(obj)):
        return True
    region_id = region_id_for(obj)
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    return region is not None and can_view_internal(user, region)


@dataclass(frozen=True)
class TrailFilter:
    """The page's and the export's filters; empty values filter nothing."""

    action: str = ""
    kind: ContentType | None = None
    date_from: date | None = None
    date_to: date | None = None


def kinds_in_trail(region: Region) -> list[ContentType]:
    """The kinds of object the region's trail has entries about, for the filter's choices."""
    ids = AuditEntry.objects.filter(region=region).values("content_type").distinct()
    return sorted(ContentType.objects.filter(pk__in=ids), key=lambda ct: str(ct.name).lower())


def region_trail(region: Region, filters: TrailFilter) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(region=region).select_related("content_type")
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.kind is not None:
        entries = entries.filter(content_type=filters.kind)
    # Whole days in Finnish time, as datetime ranges so that the (region, at) index serves them.
    if filters.date_from is not None:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return entries


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
