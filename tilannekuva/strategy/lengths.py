"""The lengths a strategy file's texts may have: those of the columns they are stored in.

`strategy validate` and `strategy import` refuse the same files (the import validates first): a text longer than
its column (a metric's unit over 40 characters, a goal's code over 16) is an error naming its place in the file,
never a database error half-way through an import. The limits are read from the models, so a column that changes
changes the check with it. Fields are matched by name within their list (`metrics[*].unit` is Metric.unit)."""

from typing import Any

from django.db import models

from tilannekuva.regions.models import Organisation, Region

from .models import Action, Goal, Group, Metric, Partner, ProcessEvent, ProcessPhase, StrategyVersion, Value

# The list a part of the file sits in (its key in the file) -> the models its fields are stored in.
MODELS_OF_LIST: dict[str, tuple[type[models.Model], ...]] = {
    "partners": (Partner, Organisation),
    "values": (Value,),
    "working_groups": (Group,),
    "forums": (Group,),
    "main_goals": (Goal,),
    "focus_areas": (Goal,),
    "goals": (Goal,),
    "actions": (Action,),
    "metrics": (Metric,),
    "phases": (ProcessPhase,),
    "events": (ProcessEvent,),
}
# Fields outside the lists: (path in the file) -> (model, field).
TOP_LEVEL: dict[tuple[str, ...], tuple[type[models.Model], str]] = {
    ("name",): (StrategyVersion, "name"),
    ("period", "label"): (StrategyVersion, "period_label"),
    ("version", "approved_by"): (StrategyVersion, "approved_by"),
    ("process", "title"): (StrategyVersion, "process_title"),
    ("region", "name"): (Region, "name"),
}


def _limit(model: type[models.Model], name: str) -> int | None:
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a field of that model: not checked here
        return None
    return getattr(field, "max_length", None) if isinstance(field, models.CharField) else None


def _too_long(path: str, value: Any, limit: int | None) -> list[str]:
    if limit is not None and isinstance(value, str) and len(value) > limit:
        return [f"{path}: {len(value)} characters; at most {limit} fit (“{value[:30]}…”)"]
    return []


def length_errors(data: Any) -> list[str]:
    """Each text of the file longer than the column it is stored in, as 'path: message'."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return errors
    for path, (model, name) in TOP_LEVEL.items():
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        errors += _too_long(".".join(path), value, _limit(model, name))
    _walk(data, "", None, errors)
    return errors


def _walk(node: Any, path: str, owners: tuple[type[models.Model], ...] | None, errors: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if owners is not None and isinstance(value, str):
                limits = [limit for model in owners if (limit := _limit(model, str(key))) is not None]
                errors += _too_long(here, value, min(limits) if limits else None)
            elif isinstance(value, list) and key in MODELS_OF_LIST:
                for index, item in enumerate(value):
                    _walk(item, f"{here}[{index}]", MODELS_OF_LIST[key], errors)
            else:
                _walk(value, here, owners if not isinstance(value, dict | list) else None, errors)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, f"{path}[{index}]", None, errors)
