"""Importing a strategy YAML file: validation beyond the schema (keys, references, targets, partners valid in the
year) and one transaction that creates or updates the version of the year the file names, matching by key."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from tilannekuva.regions.models import Area, Organisation, Region, valid_in

from . import bindings, files, lengths, structures
from .files import AREA_KIND_OF, StrategyFileError
from .models import (
    Action,
    Goal,
    GoalLevel,
    Group,
    Metric,
    Partner,
    ProcessEvent,
    ProcessPhase,
    Strategy,
    StrategyVersion,
    Value,
)


@dataclass
class ImportResult:
    version: StrategyVersion
    created: bool
    counts: dict[str, int]

    def __str__(self) -> str:
        what = "created" if self.created else "updated"
        counts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"{self.version.name}, version {self.version.year}: {what} ({counts})."


# --- validation beyond the schema -------------------------------------------------------------------


def walk_goals(goals: list[dict], path: str) -> Iterator[tuple[str, dict]]:
    for i, goal in enumerate(goals):
        here = f"{path}[{i}]"
        yield here, goal
        yield from walk_goals(goal.get("goals", []), f"{here}.goals")


def keyed_items(data: dict) -> Iterator[tuple[str, str, dict]]:
    """(kind, path, item) for everything that carries a key; keys are unique across the whole file."""
    for i, group in enumerate(data.get("working_groups", [])):
        yield "group", f"working_groups[{i}]", group
    for i, forum in enumerate(data.get("forums", [])):
        yield "group", f"forums[{i}]", forum
    for path, goal in walk_goals(data.get("main_goals", []), "main_goals"):
        yield "main_goal", path, goal
    for i, area in enumerate(data.get("focus_areas", [])):
        yield "focus_area", f"focus_areas[{i}]", area
        for path, goal in walk_goals(area.get("goals", []), f"focus_areas[{i}].goals"):
            yield "goal", path, goal
    for kind, path, item in list(_goal_children(data)):
        yield kind, path, item
    for i, phase in enumerate((data.get("process") or {}).get("phases", [])):
        yield "phase", f"process.phases[{i}]", phase


def _goal_children(data: dict) -> Iterator[tuple[str, str, dict]]:
    tops = [("main_goals", data.get("main_goals", []))]
    tops += [(f"focus_areas[{i}].goals", a.get("goals", [])) for i, a in enumerate(data.get("focus_areas", []))]
    for prefix, goals in tops:
        for path, goal in walk_goals(goals, prefix):
            for j, metric in enumerate(goal.get("metrics", [])):
                yield "metric", f"{path}.metrics[{j}]", metric
            for j, action in enumerate(goal.get("actions", [])):
                yield "action", f"{path}.actions[{j}]", action
                for k, metric in enumerate(action.get("metrics", [])):
                    yield "metric", f"{path}.actions[{j}].metrics[{k}]", metric


def semantic_errors(data: dict) -> list[str]:
    errors: list[str] = []
    seen: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for kind, path, item in keyed_items(data):
        key = item["key"]
        if key in seen:
            errors.append(f"{path}.key: '{key}' is already used at {seen[key]}")
        else:
            seen[key], kinds[key] = f"{path}.key", kind

    def expect(path: str, key: str | None, allowed: set[str], what: str) -> None:
        if key is not None and kinds.get(key) not in allowed:
            errors.append(f"{path}: '{key}' is not the key of any {what} in this file")

    for kind, path, item in keyed_items(data):
        expect(
            f"{path}.responsible",
            item.get("responsible") if kind != "action" else None,
            {"group"},
            "working group or forum",
        )
        if kind == "action":
            expect(
                f"{path}.responsible_group",
                item.get("responsible_group"),
                {"group"},
                "working group or forum",
            )
        if kind in {"goal", "main_goal"}:
            for i, target in enumerate(item.get("contributes_to", [])):
                expect(f"{path}.contributes_to[{i}]", target, {"main_goal"}, "main goal")
        if kind == "group" and path.startswith("forums"):
            expect(f"{path}.focus_area", item.get("focus_area"), {"focus_area"}, "focus area")
        if kind == "metric":
            errors.extend(target_errors(path, item.get("target")))
            errors.extend(bindings.errors_of(path, item))

    period = data["period"]
    if period["start"] > period["end"]:
        errors.append(f"period.end: {period['end']} is before period.start {period['start']}")
    approved_on = data["version"].get("approved_on")
    if approved_on:
        try:
            date.fromisoformat(approved_on)
        except ValueError:
            errors.append(f"version.approved_on: '{approved_on}' is not a date of the form YYYY-MM-DD")
    area = data["region"]["area"]
    if not Area.objects.filter(kind=area["kind"], code=area["code"]).exists():
        hint = "load the areas first: tilannekuva regions load"
        errors.append(f"region.area: no {area['kind']} with code '{area['code']}' ({hint})")
    year = data["version"]["year"]
    for i, partner in enumerate(data.get("partners", [])):
        errors.extend(partner_errors(f"partners[{i}]", partner, year))
    for path, member in structures.member_refs(data):
        errors.extend(partner_errors(path, member, year))
    errors.extend(structures.structure_errors(data, kinds=kinds))
    return errors


def target_errors(path: str, target: dict | None) -> list[str]:
    if not target:
        return []
    needs = {"value": ["value", "operator"], "range": ["min", "max"], "rule": ["rule"], "text": ["text"]}
    errors = [
        f"{path}.target.{field}: required when target type is {target['type']}"
        for field in needs[target["type"]]
        if field not in target
    ]
    if target["type"] == "range" and not errors and target["min"] > target["max"]:
        errors.append(f"{path}.target.max: {target['max']} is below min {target['min']}")
    return errors


def partner_errors(path: str, partner: dict, year: int) -> list[str]:
    kind = partner["kind"]
    if kind in AREA_KIND_OF:
        if "code" not in partner:
            return [f"{path}.code: required for a {kind}"]
        area = Area.objects.filter(kind=AREA_KIND_OF[kind], code=partner["code"]).first()
        if area is None:
            return [f"{path}.code: no {kind} with code '{partner['code']}'"]
        if not Area.objects.filter(valid_in(year), pk=area.pk).exists():
            return [f"{path}.code: {area.name_fi} ({area.code}) did not exist in {year}"]
        return []
    if "name" not in partner:
        return [f"{path}.name: required for a partner of kind {kind}"]
    return []


def validate(data: Any) -> None:
    errors = files.schema_errors(data)
    if not errors:
        errors = semantic_errors(data) + lengths.length_errors(data)
    if errors:
        raise StrategyFileError(errors)


# --- import -------------------------------------------------------------------------------------------


def import_file(path: Path) -> ImportResult:
    return import_strategy(files.read(path))


@transaction.atomic
def import_strategy(data: Any) -> ImportResult:
    """Create or update the version of the year the file names. Items are matched by key, so ids stay
    stable and whatever hangs on a metric survives a re-import. All or nothing."""
    validate(data)
    area_ref = data["region"]["area"]
    area = Area.objects.get(kind=area_ref["kind"], code=area_ref["code"])
    region, _ = Region.objects.update_or_create(
        slug=data["slug"], defaults={"name": data["region"]["name"], "area": area}
    )
    strategy, _ = Strategy.objects.update_or_create(region=region, defaults={"kind": data["kind"]})
    version_data = data["version"]
    fields = {
        "status": version_data["status"],
        "approved_on": version_data.get("approved_on"),
        "approved_by": version_data.get("approved_by", ""),
        "name": data["name"],
        "period_start": data["period"]["start"],
        "period_end": data["period"]["end"],
        "period_label": data["period"].get("label", ""),
        "summary": data.get("summary", ""),
        "mission": data["mission"],
        "vision": data["vision"],
        "principles": data.get("principles", []),
        "background": data.get("background", []),
        "source": data.get("source", {}),
        "process_title": (data.get("process") or {}).get("title", ""),
        "dialogue_levels": data.get("dialogue_levels", []),
    }
    version, created = StrategyVersion.objects.update_or_create(
        strategy=strategy, year=version_data["year"], defaults=fields
    )
    Syncer(version).run(data)
    counts = {
        "goals": version.goals.count(),
        "metrics": version.metrics.count(),
        "actions": version.actions.count(),
        "groups": version.groups.count(),
    }
    return ImportResult(version=version, created=created, counts=counts)


def organisation_for(partner: dict) -> Organisation:
    kind = partner["kind"]
    if kind in AREA_KIND_OF:
        area = Area.objects.get(kind=AREA_KIND_OF[kind], code=partner["code"])
        organisation, _ = Organisation.objects.get_or_create(kind=kind, area=area, defaults={"name": area.name_fi})
    else:
        organisation, _ = Organisation.objects.get_or_create(kind=kind, name=partner["name"])
    changes = {
        "short_name": partner.get("short_name", organisation.short_name),
        "business_id": partner.get("business_id", organisation.business_id),
    }
    if kind in AREA_KIND_OF and partner.get("name"):
        changes["name"] = partner["name"]
    if any(getattr(organisation, f) != v for f, v in changes.items()):
        for f, v in changes.items():
            setattr(organisation, f, v)
        organisation.save()
    return organisation


class Syncer:
    """Brings one version's parts in line with the file: update by key, create new, delete the rest."""

    def __init__(self, version: StrategyVersion):
        self.version = version
        self.kept: dict[type, set[int]] = {}
        self.groups: dict[str, Group] = {}
        self.goals: dict[str, Goal] = {}
        self.position = 0

    def upsert(self, model: type, key: str, **values: Any) -> Any:
        self.position += 1
        obj, _ = model.objects.update_or_create(  # type: ignore[attr-defined]
            version=self.version, key=key, defaults={**values, "position": self.position}
        )
        self.kept.setdefault(model, set()).add(obj.pk)
        return obj

    def run(self, data: dict) -> None:
        version = self.version
        version.partners.all().delete()
        for position, partner in enumerate(data.get("partners", [])):
            Partner.objects.create(
                version=version,
                position=position,
                organisation=organisation_for(partner),
                role=partner.get("role", ""),
            )
        version.values.all().delete()
        Value.objects.bulk_create(
            Value(version=version, position=i, name=v["name"], description=v.get("description", ""))
            for i, v in enumerate(data.get("values", []))
        )
        for section, in_table in (("working_groups", True), ("forums", False)):
            for item in data.get(section, []):
                self.sync_group(item, in_table=in_table)
        structures.link_parents(data, self.groups)
        for goal in data.get("main_goals", []):
            self.sync_goal(goal, parent=None, level=GoalLevel.MAIN_GOAL)
        for area in data.get("focus_areas", []):
            self.sync_goal(area, parent=None, level=GoalLevel.FOCUS_AREA)
        for item in data.get("forums", []):
            if item.get("focus_area"):
                Group.objects.filter(pk=self.groups[item["key"]].pk).update(focus_area=self.goals[item["focus_area"]])
        self.sync_contributions(data)
        for position, phase in enumerate((data.get("process") or {}).get("phases", [])):
            self.sync_phase(phase, position)
        for model in (Metric, Action, Goal, Group, ProcessPhase):
            model.objects.filter(version=version).exclude(pk__in=self.kept.get(model, set())).delete()

    def sync_group(self, item: dict, *, in_table: bool) -> None:
        group = self.upsert(
            Group,
            item["key"],
            in_responsibility_table=in_table,
            kind=item.get("kind", "working_group"),
            name=item["name"],
            task=item.get("task", ""),
            purpose=item.get("purpose", ""),
            tasks=item.get("tasks", []),
            coordinator_role=item.get("coordinator_role", ""),
            composition=item.get("composition", ""),
            members_text=item.get("members", "") if isinstance(item.get("members", ""), str) else "",
            reports_to=item.get("reports_to", ""),
            cadence=item.get("cadence", ""),
            focus_area=None,
            **structures.group_values(item),
        )
        members = item.get("members", []) if in_table else item.get("member_organisations", [])
        group.member_organisations.set([organisation_for(m) for m in members])
        self.groups[item["key"]] = group

    def sync_goal(self, item: dict, *, parent: Goal | None, level: str) -> None:
        goal = self.upsert(
            Goal,
            item["key"],
            parent=parent,
            level=level,
            code=item.get("code", ""),
            title=item["title"],
            description=item.get("description", ""),
            themes=item.get("themes", []),
            responsible=self.groups.get(item.get("responsible", "")),
            **structures.goal_values(item, level=level),
        )
        self.goals[item["key"]] = goal
        for metric in item.get("metrics", []):
            self.sync_metric(metric, goal=goal, action=None)
        for action_data in item.get("actions", []):
            action = self.upsert(
                Action,
                action_data["key"],
                goal=goal,
                title=action_data["title"],
                description=action_data.get("description", ""),
                responsible=action_data.get("responsible", ""),
                responsible_group=self.groups.get(action_data.get("responsible_group", "")),
                schedule=action_data.get("schedule", ""),
                status=action_data.get("status", "not_started"),
                due=action_data.get("due"),
            )
            for metric in action_data.get("metrics", []):
                self.sync_metric(metric, goal=goal, action=action)
        child_level = GoalLevel.GOAL if level in (GoalLevel.FOCUS_AREA, GoalLevel.MAIN_GOAL) else GoalLevel.SUB_GOAL
        for child in item.get("goals", []):
            self.sync_goal(child, parent=goal, level=child_level)

    def sync_metric(self, item: dict, *, goal: Goal, action: Action | None) -> None:
        target = item.get("target", {})
        binding = bindings.parse_item(item.get("binding", {"type": "manual"}))
        self.upsert(
            Metric,
            item["key"],
            goal=goal,
            action=action,
            name=item.get("name", ""),
            description=item["description"],
            measure=item.get("measure", ""),
            kind=item["kind"],
            unit=item.get("unit", ""),
            direction=item.get("direction", "neutral"),
            frequency=item["frequency"],
            target_type=target.get("type", ""),
            target_operator=target.get("operator", ""),
            target_value=target.get("value"),
            target_min=target.get("min"),
            target_max=target.get("max"),
            target_rule=target.get("rule", ""),
            target_text=target.get("text", ""),
            binding_type=binding.type,
            binding=bindings.details_of(binding),
            per_organisation=item.get("per_organisation", False),
            responsible=self.groups.get(item.get("responsible", "")),
        )

    def sync_contributions(self, data: dict) -> None:
        for _kind, _path, item in keyed_items(data):
            if item["key"] in self.goals:
                self.goals[item["key"]].contributes_to.set([self.goals[k] for k in item.get("contributes_to", [])])

    def sync_phase(self, item: dict, position: int) -> None:
        phase = self.upsert(
            ProcessPhase,
            item["key"],
            name=item["name"],
            description=item.get("description", ""),
            start=item.get("start", ""),
            end=item.get("end", ""),
            status=item.get("status", "planned"),
        )
        phase.events.all().delete()
        ProcessEvent.objects.bulk_create(
            ProcessEvent(
                phase=phase,
                position=i,
                name=e["name"],
                kind=e["kind"],
                date=e.get("date", ""),
                participants=e.get("participants", ""),
                description=e.get("description", ""),
            )
            for i, e in enumerate(item.get("events", []))
        )
