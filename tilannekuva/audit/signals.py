"""Records created, changed and deleted strategy parts, regions and region roles as they are saved.

The state before a change comes from the row as it was loaded (kept at `post_init`), so that an import that
saves hundreds of unchanged rows makes no extra query for them; a row saved without having been loaded is
fetched first. QuerySet.update(), bulk_create() and many-to-many changes send no such signals and are not
recorded here.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_init, post_save, pre_save

from tilannekuva.regions.models import Region, RegionRole
from tilannekuva.strategy.models import Action, Goal, Group, Metric, StrategyVersion

from . import services
from .models import AuditAction, AuditEntry

TRACKED: tuple[type[models.Model], ...] = (StrategyVersion, Goal, Metric, Action, Group, Region, RegionRole)

# The strategy import clears a forum's focus area and sets it again with QuerySet.update(), which sends no
# signal: recording the clearing would log a false change on every import.
NOT_RECORDED: dict[type[models.Model], set[str]] = {Group: {"focus_area"}}

LOADED = "_audit_loaded"  # the audited fields' values as last read from or written to the database
BEFORE = "_audit_before"  # set by pre_save for post_save: the fields being written and their stored values
UNCHANGED = object()  # pre_save's answer when the save writes no audited field


_fields: dict[type[models.Model], list[models.Field]] = {}


def fields_of(model: type[models.Model]) -> list[models.Field]:
    if model not in _fields:
        skipped = NOT_RECORDED.get(model, set())
        _fields[model] = [f for f in services.audited_fields(model) if f.name not in skipped]
    return _fields[model]


_json_attnames: dict[type[models.Model], frozenset[str]] = {}


def _raw_state(instance: models.Model) -> dict[str, Any]:
    """The instance's values by attname as they are now. It runs for every tracked row loaded, so it copies the
    instance's dict whole (what is not a field is never looked at) and walks only the JSON values."""
    model = type(instance)
    if model not in _json_attnames:
        _json_attnames[model] = frozenset(f.attname for f in fields_of(model) if isinstance(f, models.JSONField))
    state = instance.__dict__.copy()
    state.pop(LOADED, None)
    state.pop(BEFORE, None)
    # Copies of JSON values: code that edits a list or dict in place must not edit the remembered one too.
    for attname in _json_attnames[model]:
        if state.get(attname):
            state[attname] = _copy_json(state[attname])
    return state


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


def _normal(field: models.Field, value: Any) -> Any:
    """The value as the database gives it back: '2025-12-31' and date(2025, 12, 31), 60 and 60.0 are equal."""
    try:
        return field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value


def _remember(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    instance.__dict__[LOADED] = _raw_state(instance)


def _before_save(
    sender: type[models.Model], instance: models.Model, raw: bool, update_fields: Any, **kwargs: Any
) -> None:
    if raw:  # loaddata: fixtures are not anybody's edits
        instance.__dict__[BEFORE] = UNCHANGED
        return
    fields = fields_of(sender)
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
        if not fields:
            instance.__dict__[BEFORE] = UNCHANGED
            return
    if instance.pk is None:
        instance.__dict__[BEFORE] = (fields, None)  # a new row: post_save records its creation
        return
    known: dict[str, Any] = {} if instance._state.adding else dict(instance.__dict__.get(LOADED) or {})
    missing = [f.attname for f in fields if f.attname not in known]
    if missing:
        stored = sender._base_manager.filter(pk=instance.pk).values(*missing).first()
        if stored is None:
            instance.__dict__[BEFORE] = (fields, None)
            return
        known.update(stored)
    instance.__dict__[BEFORE] = (fields, known)


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    state = instance.__dict__.pop(BEFORE, UNCHANGED)
    if state is UNCHANGED:
        return
    fields, stored = state
    actor = services.current_actor()
    if created or stored is None:
        after = {f.name: services.field_value(instance, f) for f in fields}
        changes = {name: [None, value] for name, value in after.items() if value not in (None, "", [], {})}
        services.record(actor=actor, obj=instance, action=AuditAction.CREATED, changes=changes)
    else:
        changed = [f for f in fields if _normal(f, stored[f.attname]) != _normal(f, getattr(instance, f.attname))]
        if changed:
            changes = {f.name: [_stored_value(f, stored[f.attname]), _current_value(f, instance)] for f in changed}
            services.record(actor=actor, obj=instance, action=AuditAction.CHANGED, changes=changes)
    fresh = _raw_state(instance)
    if update_fields is None:
        instance.__dict__[LOADED] = fresh
    else:
        # Only what was written is now stored: other fields may hold edits that a later save will write.
        loaded = instance.__dict__.setdefault(LOADED, {})
        loaded.update({f.attname: fresh[f.attname] for f in fields if f.attname in fresh})


def _stored_value(field: models.Field, value: Any) -> Any:
    if field.is_relation:
        return services.related_reference(field, None, value)
    return services.json_safe(_normal(field, value))


def _current_value(field: models.Field, instance: models.Model) -> Any:
    if field.is_relation:
        return services.field_value(instance, field)
    return services.json_safe(_normal(field, field.value_from_object(instance)))


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    last = {f.name: services.field_value(instance, f) for f in fields_of(sender)}
    changes = {name: [value, None] for name, value in last.items() if value not in (None, "", [], {})}
    actor = services.current_actor()
    if isinstance(instance, Region):
        # The region row is gone: entries written during the cascade must not point at it when the
        # transaction commits (the foreign key is checked then).
        AuditEntry.objects.filter(region_id=instance.pk).update(region=None)
        services.write_entry(
            actor=actor, obj=instance, action=AuditAction.DELETED, changes=changes, note="", region_id=None
        )
        return
    services.record(actor=actor, obj=instance, action=AuditAction.DELETED, changes=changes)


def _user_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # Entries written during the cascade (the user's roles) may name the user being deleted, e.g. one who
    # deletes their own account; the name stays in actor_name.
    AuditEntry.objects.filter(actor_id=instance.pk).update(actor=None)


def connect() -> None:
    for model in TRACKED:
        label = model._meta.label_lower
        post_init.connect(_remember, sender=model, dispatch_uid=f"audit-init-{label}")
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit-pre-save-{label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"audit-post-save-{label}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"audit-delete-{label}")
    post_delete.connect(_user_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit-user-deleted")
