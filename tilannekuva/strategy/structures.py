"""The partnership's structures in a strategy file: dialogue levels, the interfaces' client paths, groups in an
area of the region and under a parent group, member organisations with their business ids. Their rules beyond
the schema, their import and their export; `yaml_import` and `yaml_export` call these, so the file format stays
one."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import lies_within
from tilannekuva.regions.validators import business_id_is_valid

from . import bindings
from .models import Goal, GoalLevel, Group, StrategyVersion

AREA_KINDS_OF_GROUPS = {
    AreaKind.MAAKUNTA,
    AreaKind.SEUTUKUNTA,
    AreaKind.MUNICIPALITY,
    AreaKind.WELLBEING_SERVICES_COUNTY,
}
GROUP_SECTIONS = ("working_groups", "forums")


# --- typed reads: the JSON fields parsed once ---------------------------------------------------------------


@dataclass(frozen=True)
class DialogueLevel:
    """A level of dialogue (vuoropuhelun taso), e.g. seed 001's johdon taso or arjen taso."""

    key: str
    name: str
    description: str = ""
    per_client_path: bool = False


@dataclass(frozen=True)
class ClientPath:
    """A client path (asiakaspolku) of an interface that needs counterpart pairs of its own."""

    key: str
    name: str


def dialogue_levels_of(version: StrategyVersion) -> list[DialogueLevel]:
    return [
        DialogueLevel(
            key=item["key"],
            name=item["name"],
            description=item.get("description", ""),
            per_client_path=bool(item.get("per_client_path", False)),
        )
        for item in version.dialogue_levels
    ]


def client_paths_of(interface: Goal) -> list[ClientPath]:
    return [ClientPath(key=item["key"], name=item["name"]) for item in interface.client_paths]


def matrix_interfaces(version: StrategyVersion) -> list[Goal]:
    """The interfaces that name dialogue levels: the rows of the counterpart matrix, in the file's order."""
    return [g for g in version.goals.filter(level=GoalLevel.FOCUS_AREA).order_by("position") if g.dialogue_levels]


# --- rules beyond the schema ------------------------------------------------------------------------------


def _groups(data: dict) -> Iterator[tuple[str, dict]]:
    for section in GROUP_SECTIONS:
        for i, item in enumerate(data.get(section, [])):
            yield f"{section}[{i}]", item


def member_refs(data: dict) -> Iterator[tuple[str, dict]]:
    """(path, organisation reference) of every group member named as an organisation."""
    for path, item in _groups(data):
        field = "members" if path.startswith("working_groups") else "member_organisations"
        members = item.get(field, [])
        if isinstance(members, list):
            for j, ref in enumerate(members):
                yield f"{path}.{field}[{j}]", ref


def organisation_refs(data: dict) -> Iterator[tuple[str, dict]]:
    for i, partner in enumerate(data.get("partners", [])):
        yield f"partners[{i}]", partner
    yield from member_refs(data)


def structure_errors(data: dict, *, kinds: dict[str, str]) -> list[str]:
    """Faults of the structures, each with its path. `kinds` maps every key of the file to what it names."""
    errors: list[str] = []
    for path, ref in organisation_refs(data):
        business_id = ref.get("business_id")
        if business_id and not business_id_is_valid(business_id):
            errors.append(f"{path}.business_id: '{business_id}' is not a valid business id (its check digit is wrong)")
    errors += _level_errors(data)
    errors += _group_errors(data, kinds)
    errors += _binding_errors(data)
    return errors


def _level_errors(data: dict) -> list[str]:
    errors = []
    levels: set[str] = set()
    for i, level in enumerate(data.get("dialogue_levels", [])):
        if level["key"] in levels:
            errors.append(f"dialogue_levels[{i}].key: '{level['key']}' is already used")
        levels.add(level["key"])
    for i, area in enumerate(data.get("focus_areas", [])):
        for j, key in enumerate(area.get("dialogue_levels", [])):
            if key not in levels:
                errors.append(f"focus_areas[{i}].dialogue_levels[{j}]: '{key}' is not the key of any dialogue level")
        paths: set[str] = set()
        for j, client_path in enumerate(area.get("client_paths", [])):
            if client_path["key"] in paths:
                errors.append(f"focus_areas[{i}].client_paths[{j}].key: '{client_path['key']}' is already used")
            paths.add(client_path["key"])
    return errors


def _group_errors(data: dict, kinds: dict[str, str]) -> list[str]:
    errors = []
    parents = {}
    for path, item in _groups(data):
        parent = item.get("parent")
        if parent is None:
            continue
        if kinds.get(parent) != "group":
            errors.append(f"{path}.parent: '{parent}' is not the key of any working group or forum in this file")
        elif parent == item["key"]:
            errors.append(f"{path}.parent: a group cannot be part of itself")
        else:
            parents[item["key"]] = (path, parent)
    for key, (path, _parent) in parents.items():
        seen, step = {key}, parents.get(key)
        while step is not None:
            if step[1] in seen:
                errors.append(f"{path}.parent: the parents of '{key}' go round in a circle")
                break
            seen.add(step[1])
            step = parents.get(step[1])
    region = Area.objects.filter(kind=data["region"]["area"]["kind"], code=data["region"]["area"]["code"]).first()
    year = data["version"]["year"]
    for path, item in _groups(data):
        ref = item.get("area")
        if ref is None:
            continue
        area = Area.objects.filter(kind=ref["kind"], code=ref["code"]).first()
        if area is None:
            errors.append(f"{path}.area: no {ref['kind']} with code '{ref['code']}'")
        elif area.kind not in AREA_KINDS_OF_GROUPS:
            errors.append(f"{path}.area: a group works in a maakunta, seutukunta, county or municipality")
        elif region is not None and not lies_within(area, region, year=year):
            errors.append(f"{path}.area: {area.name_fi} ({area.code}) is not within {region.name_fi} in {year}")
    return errors


def _binding_errors(data: dict) -> list[str]:
    errors = []
    areas = data.get("focus_areas", [])
    tops = [(_metrics(data.get("main_goals", []), "main_goals"), any(a.get("dialogue_levels") for a in areas))]
    tops += [
        (_metrics(a.get("goals", []), f"focus_areas[{i}].goals"), bool(a.get("dialogue_levels")))
        for i, a in enumerate(areas)
    ]
    for metrics, has_levels in tops:
        for path, metric in metrics:
            try:
                binding = bindings.parse_item(metric.get("binding") or {})
            except bindings.BindingError:
                continue  # named by bindings.errors_of
            if isinstance(binding, bindings.CounterpartsBinding) and not has_levels:
                errors.append(f"{path}.binding: a counterparts metric must sit under an interface with dialogue_levels")
    return errors


def _metrics(goals: list[dict], prefix: str) -> Iterator[tuple[str, dict]]:
    for i, goal in enumerate(goals):
        here = f"{prefix}[{i}]"
        for j, metric in enumerate(goal.get("metrics", [])):
            yield f"{here}.metrics[{j}]", metric
        for j, action in enumerate(goal.get("actions", [])):
            for k, metric in enumerate(action.get("metrics", [])):
                yield f"{here}.actions[{j}].metrics[{k}]", metric
        yield from _metrics(goal.get("goals", []), f"{here}.goals")


# --- import ------------------------------------------------------------------------------------------------


def area_of(ref: dict | None) -> Area | None:
    return Area.objects.get(kind=ref["kind"], code=ref["code"]) if ref else None


def group_values(item: dict) -> dict[str, Any]:
    """The structure fields of a group, for its upsert (the parent is linked once every group exists)."""
    return {"area": area_of(item.get("area")), "source": item.get("source", ""), "parent": None}


def link_parents(data: dict, groups: dict[str, Group]) -> None:
    for _path, item in _groups(data):
        if item.get("parent"):
            Group.objects.filter(pk=groups[item["key"]].pk).update(parent=groups[item["parent"]])


def goal_values(item: dict, *, level: str) -> dict[str, Any]:
    if level != GoalLevel.FOCUS_AREA:
        return {"dialogue_levels": [], "client_paths": []}
    return {"dialogue_levels": item.get("dialogue_levels", []), "client_paths": item.get("client_paths", [])}


# --- export ------------------------------------------------------------------------------------------------


def export_area(area: Area | None) -> dict[str, str] | None:
    return {"kind": area.kind, "code": area.code} if area is not None else None


def group_fields(group: Group) -> list[tuple[str, Any]]:
    """area, parent and source of a group, in the schema's order (they close every group's mapping)."""
    return [
        ("area", export_area(group.area)),
        ("parent", group.parent.key if group.parent else None),
        ("source", group.source),
    ]


def export_levels(version: StrategyVersion) -> list[dict[str, Any]]:
    levels = []
    for level in dialogue_levels_of(version):
        item: dict[str, Any] = {"key": level.key, "name": level.name}
        if level.description:
            item["description"] = level.description
        if level.per_client_path:
            item["per_client_path"] = True
        levels.append(item)
    return levels


def export_client_paths(goal: Goal) -> list[dict[str, str]]:
    return [{"key": p.key, "name": p.name} for p in client_paths_of(goal)]


def in_member_order(organisations: Any) -> list[Any]:
    """Member organisations in a fixed order that no database collation changes: by kind, then by Statistics
    Finland code (municipalities, the county), then by name. A file lists them in this order."""
    return sorted(organisations, key=lambda o: (o.kind, o.area.code if o.area else "", o.name))
