"""Writing the audit trail: who is acting, `record` an entry, and the JSON-safe `snapshot` and `diff` of an object."""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise

from tilannekuva.regions.models import Region, RegionRole
from tilannekuva.strategy.models import Strategy, StrategyVersion

from .models import ANONYMOUS, SYSTEM, AuditAction, AuditEntry

# --- who is acting --------------------------------------------------------------------------------------------

# A function rather than the user itself: the request's user may change during the request (logging in).
_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)


def current_actor() -> Any:
    """The user on whose behalf the code runs now: the request's user, or the one named by `acting_as`."""
    source = _actor.get()
    return source() if source is not None else None


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Changes made inside are recorded as `user`'s (None: "system"), for commands, imports and tests."""
    token = _actor.set(lambda: user)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def acting_for_request(request: Any) -> Iterator[None]:
    token = _actor.set(lambda: getattr(request, "user", None))
    try:
        yield
    finally:
        _actor.reset(token)


def _actor_of(user: Any) -> tuple[int | None, str]:
    if user is None:
        return None, SYSTEM
    if not getattr(user, "is_authenticated", False):
        return None, ANONYMOUS
    return user.pk, user.get_username()


# --- values as JSON -------------------------------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """`value` in a form JSON keeps exactly: dates as ISO text, decimals as text, files by their name."""
    if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Enum)):
        return value
    if isinstance(value, float):
        # PostgreSQL's jsonb has no NaN or infinity.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID | Promise):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, models.Model):
        return reference(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)


def reference(obj: models.Model) -> dict[str, Any]:
    """A related object as stored in the trail: its key, and its name as it read at the time."""
    return {"pk": json_safe(obj.pk), "repr": short_repr(obj)}


def short_repr(obj: models.Model, limit: int = 300) -> str:
    try:
        text = str(obj)
    except ObjectDoesNotExist:
        # The object's name needs a row that is already gone (the end of a cascade).
        text = f"{obj._meta.verbose_name} #{obj.pk}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- snapshots and differences --------------------------------------------------------------------------------

# Bookkeeping that changes whenever anything else does: recording it would bury the real changes.
IGNORED_FIELDS = {"position"}
_fields_cache: dict[type[models.Model], list[models.Field]] = {}


def audited_fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields whose values the trail keeps: not the key, timestamps or ordering."""
    if model not in _fields_cache:
        _fields_cache[model] = [
            field
            for field in model._meta.concrete_fields
            if not field.primary_key
            and field.name not in IGNORED_FIELDS
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
        ]
    return _fields_cache[model]


def related_reference(field: models.Field, obj: models.Model | None, pk: Any) -> dict[str, Any] | None:
    """The foreign key `field` pointing at `pk`: taken from `obj`'s cache where it holds that object."""
    if pk is None:
        return None
    if obj is not None and field.is_cached(obj):  # type: ignore[attr-defined]
        cached = field.get_cached_value(obj)  # type: ignore[attr-defined]
        if cached is not None and cached.pk == pk:
            return reference(cached)
    related = field.related_model._base_manager.filter(pk=pk).first()  # type: ignore[union-attr]
    return reference(related) if related is not None else {"pk": json_safe(pk), "repr": f"#{pk}"}


def field_value(obj: models.Model, field: models.Field) -> Any:
    if field.is_relation:
        return related_reference(field, obj, getattr(obj, field.attname))
    return json_safe(field.value_from_object(obj))


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """{field name: value} of `obj`'s audited fields (all, or those named): foreign keys as key and name."""
    return {
        field.name: field_value(obj, field)
        for field in audited_fields(type(obj))
        if fields is None or field.name in fields
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} of the fields whose values differ; a field missing on one side counts as None."""
    return {
        name: [before.get(name), after.get(name)]
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    }


# --- which region an entry belongs to -------------------------------------------------------------------------


def _version_region_id(version: StrategyVersion) -> int | None:
    # Kept on the version: an import saves hundreds of parts that share the one version instance.
    if "_audit_region_id" not in version.__dict__:
        region_id: int | None
        if StrategyVersion.strategy.is_cached(version):  # type: ignore[attr-defined]
            region_id = version.strategy.region_id
        else:
            region_id = Strategy.objects.filter(pk=version.strategy_id).values_list("region_id", flat=True).first()
        version.__dict__["_audit_region_id"] = region_id
    return version.__dict__["_audit_region_id"]


def region_id_for(obj: models.Model) -> int | None:
    """The region an object belongs to: regions, roles and strategy parts by their keys, others by `.region`."""
    try:
        if isinstance(obj, Region):
            return obj.pk
        if isinstance(obj, RegionRole | Strategy):
            return obj.region_id
        if isinstance(obj, StrategyVersion):
            return _version_region_id(obj)
        version_field = next(
            (f for f in obj._meta.concrete_fields if f.name == "version" and f.related_model is StrategyVersion),
            None,
        )
        if version_field is not None:
            if version_field.is_cached(obj):  # type: ignore[attr-defined]
                return _version_region_id(version_field.get_cached_value(obj))  # type: ignore[attr-defined]
            return (
                StrategyVersion.objects.filter(pk=getattr(obj, version_field.attname))
                .values_list("strategy__region_id", flat=True)
                .first()
            )
        region = getattr(obj, "region", None)
    except ObjectDoesNotExist:
        return None
    return region.pk if isinstance(region, Region) else None


# --- writing --------------------------------------------------------------------------------------------------


def record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    changes: dict[str, Any] | None = None,
    note: str = "",
    region: Region | None = None,
) -> AuditEntry:
    """Add one entry to the trail, in the caller's transaction: a change that is rolled back leaves no entry.

    `actor` None means the system (an import, a command); `changes` is {field: [before, after]}.
    """
    return write_entry(
        actor=actor,
        obj=obj,
        action=action,
        changes=changes,
        note=note,
        region_id=region.pk if region is not None else region_id_for(obj),
    )


def write_entry(
    *, actor: Any, obj: models.Model, action: str, changes: dict[str, Any] | None, note: str, region_id: int | None
) -> AuditEntry:
    actor_id, actor_name = _actor_of(actor)
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor_id=actor_id,
        actor_name=actor_name,
        region_id=region_id,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=short_repr(obj),
        action=AuditAction(action),
        changes=json_safe(changes or {}),
        note=str(note or ""),
    )
