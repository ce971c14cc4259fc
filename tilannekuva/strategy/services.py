"""Importing a strategy file into the database, and exporting a stored version back to the same file."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from tilannekuva.regions.models import Area, AreaKind, Organisation, OrganisationKind, Region, valid_in

from . import bindings, files
from .files import StrategyFileError
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

FORMAT = 1


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


AREA_KIND_OF = {
    OrganisationKind.MUNICIPALITY.value: AreaKind.MUNICIPALITY.value,
    OrganisationKind.WELLBEING_SERVICES_COUNTY.value: AreaKind.WELLBEING_SERVICES_COUNTY.value,
}


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
        errors = semantic_errors(data)
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
    changes = {"short_name": partner.get("short_name", organisation.short_name)}
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
        )
        members = item.get("members", []) if in_table else []
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


# --- export -------------------------------------------------------------------------------------------


def compact(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A mapping in the schema's order, without empty values, so that export(import(file)) == file."""
    result = {}
    for name, value in pairs:
        if value is None or value == "" or value == [] or value == {} or value is False:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        result[name] = value
    return result


def in_schema_order(mapping: dict[str, Any], *where: str) -> list[tuple[str, Any]]:
    """JSON columns do not keep key order on PostgreSQL (jsonb): put keys back in the schema's order."""
    node: Any = files.schema()
    for step in where:
        node = node[step]
    order = list(node["properties"])
    return sorted(mapping.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


def export_version(version: StrategyVersion) -> dict[str, Any]:
    region = version.strategy.region
    goals = list(version.goals.select_related("responsible").prefetch_related("contributes_to"))
    children: dict[int | None, list[Goal]] = {}
    for goal in goals:
        children.setdefault(goal.parent_id, []).append(goal)
    metrics = list(version.metrics.select_related("responsible"))
    actions = list(version.actions.select_related("responsible_group"))
    exporter = _Exporter(children, metrics, actions)
    process = None
    phases = list(version.phases.prefetch_related("events"))
    if phases or version.process_title:
        process = compact([("title", version.process_title), ("phases", [export_phase(p) for p in phases])])
    groups = list(version.groups.select_related("focus_area").prefetch_related("member_organisations"))
    return compact(
        [
            ("format", FORMAT),
            ("slug", region.slug),
            ("name", version.name),
            ("kind", version.strategy.kind),
            ("region", {"name": region.name, "area": {"kind": region.area.kind, "code": region.area.code}}),
            (
                "period",
                compact(
                    [
                        ("start", version.period_start),
                        ("end", version.period_end),
                        ("label", version.period_label),
                    ]
                ),
            ),
            (
                "version",
                compact(
                    [
                        ("year", version.year),
                        ("status", version.status),
                        ("approved_on", version.approved_on.isoformat() if version.approved_on else None),
                        ("approved_by", version.approved_by),
                    ]
                ),
            ),
            ("source", compact(in_schema_order(version.source, "properties", "source"))),
            ("summary", version.summary),
            ("partners", [export_partner(p) for p in version.partners.select_related("organisation__area")]),
            ("mission", version.mission),
            ("vision", version.vision),
            (
                "values",
                [compact([("name", v.name), ("description", v.description)]) for v in version.values.all()],
            ),
            ("principles", version.principles),
            (
                "background",
                [compact(in_schema_order(b, "properties", "background", "items")) for b in version.background],
            ),
            (
                "main_goals",
                [exporter.goal(g) for g in children.get(None, []) if g.level == GoalLevel.MAIN_GOAL],
            ),
            (
                "focus_areas",
                [exporter.focus_area(g) for g in children.get(None, []) if g.level == GoalLevel.FOCUS_AREA],
            ),
            ("working_groups", [export_working_group(g) for g in groups if g.in_responsibility_table]),
            ("forums", [export_forum(g) for g in groups if not g.in_responsibility_table]),
            ("process", process),
        ]
    )


def export_partner(partner: Partner) -> dict[str, Any]:
    organisation = partner.organisation
    if organisation.kind in AREA_KIND_OF and organisation.area:
        name = organisation.name if organisation.name != organisation.area.name_fi else ""
        ident = [("code", organisation.area.code), ("name", name)]
    else:
        ident = [("name", organisation.name)]
    return compact(
        [("kind", organisation.kind), *ident, ("short_name", organisation.short_name), ("role", partner.role)]
    )


def export_working_group(group: Group) -> dict[str, Any]:
    return compact(
        [
            ("key", group.key),
            ("name", group.name),
            ("task", group.task),
            ("coordinator_role", group.coordinator_role),
            ("composition", group.composition),
            ("members", [export_partner(Partner(organisation=o)) for o in group.member_organisations.all()]),
            ("reports_to", group.reports_to),
        ]
    )


def export_forum(group: Group) -> dict[str, Any]:
    return compact(
        [
            ("key", group.key),
            ("name", group.name),
            ("kind", group.kind),
            ("purpose", group.purpose),
            ("tasks", group.tasks),
            ("members", group.members_text),
            ("coordinator_role", group.coordinator_role),
            ("cadence", group.cadence),
            ("focus_area", group.focus_area.key if group.focus_area else None),
        ]
    )


def export_phase(phase: ProcessPhase) -> dict[str, Any]:
    events = [
        compact(
            [
                ("name", e.name),
                ("kind", e.kind),
                ("date", e.date),
                ("participants", e.participants),
                ("description", e.description),
            ]
        )
        for e in phase.events.all()
    ]
    return compact(
        [
            ("key", phase.key),
            ("name", phase.name),
            ("description", phase.description),
            ("start", phase.start),
            ("end", phase.end),
            ("status", phase.status),
            ("events", events),
        ]
    )


class _Exporter:
    def __init__(self, children: dict[int | None, list[Goal]], metrics: list[Metric], actions: list[Action]):
        self.children = children
        self.goal_metrics: dict[int, list[Metric]] = {}
        self.action_metrics: dict[int, list[Metric]] = {}
        for metric in metrics:
            if metric.action_id:
                self.action_metrics.setdefault(metric.action_id, []).append(metric)
            else:
                self.goal_metrics.setdefault(metric.goal_id, []).append(metric)
        self.actions: dict[int, list[Action]] = {}
        for action in actions:
            self.actions.setdefault(action.goal_id, []).append(action)

    def focus_area(self, goal: Goal) -> dict[str, Any]:
        return compact(
            [
                ("key", goal.key),
                ("code", goal.code),
                ("title", goal.title),
                ("description", goal.description),
                ("themes", goal.themes),
                ("responsible", goal.responsible.key if goal.responsible else None),
                ("goals", [self.goal(g) for g in self.children.get(goal.pk, [])]),
            ]
        )

    def goal(self, goal: Goal) -> dict[str, Any]:
        return compact(
            [
                ("key", goal.key),
                ("title", goal.title),
                ("description", goal.description),
                (
                    "contributes_to",
                    [g.key for g in sorted(goal.contributes_to.all(), key=lambda g: g.position)],
                ),
                ("responsible", goal.responsible.key if goal.responsible else None),
                ("metrics", [self.metric(m) for m in self.goal_metrics.get(goal.pk, [])]),
                ("actions", [self.action(a) for a in self.actions.get(goal.pk, [])]),
                ("goals", [self.goal(g) for g in self.children.get(goal.pk, [])]),
            ]
        )

    def action(self, action: Action) -> dict[str, Any]:
        return compact(
            [
                ("key", action.key),
                ("title", action.title),
                ("description", action.description),
                ("responsible", action.responsible),
                ("responsible_group", action.responsible_group.key if action.responsible_group else None),
                ("schedule", action.schedule),
                ("status", action.status),
                ("due", action.due.isoformat() if action.due else None),
                ("metrics", [self.metric(m) for m in self.action_metrics.get(action.pk, [])]),
            ]
        )

    def metric(self, metric: Metric) -> dict[str, Any]:
        target = compact(
            [
                ("type", metric.target_type),
                ("operator", metric.target_operator),
                ("value", metric.target_value),
                ("min", metric.target_min),
                ("max", metric.target_max),
                ("rule", metric.target_rule),
                ("text", metric.target_text),
            ]
        )
        binding = bindings.item_of(metric.typed_binding)
        return compact(
            [
                ("key", metric.key),
                ("name", metric.name),
                ("description", metric.description),
                ("measure", metric.measure),
                ("kind", metric.kind),
                ("unit", metric.unit),
                ("direction", metric.direction),
                ("frequency", metric.frequency),
                ("target", target),
                ("binding", binding),
                ("per_organisation", metric.per_organisation),
                ("responsible", metric.responsible.key if metric.responsible else None),
            ]
        )


def latest_version(region_slug: str, *, year: int | None = None) -> StrategyVersion:
    versions = StrategyVersion.objects.select_related("strategy__region__area").filter(
        strategy__region__slug=region_slug
    )
    if year is not None:
        versions = versions.filter(year=year)
    version = versions.order_by("-year").first()
    if version is None:
        when = f" for {year}" if year else ""
        raise StrategyVersion.DoesNotExist(f"No strategy for region '{region_slug}'{when}.")
    return version


def export_text(region_slug: str, *, year: int | None = None) -> str:
    return files.dump(export_version(latest_version(region_slug, year=year)))


# --- yearly update: copy a version to a new draft, approve a draft ----------------------------------------


class VersionError(Exception):
    """A yearly version cannot be copied or approved; the message says why and what to do instead."""


@transaction.atomic
def copy_version(*, version: StrategyVersion, year: int) -> StrategyVersion:
    """A deep copy of `version` as a new draft for `year`. Keys are kept, so whatever hangs on a key (a metric's
    binding and its observations, a coordinator's group, meetings, counterpart pairs) follows to the new year."""
    strategy = version.strategy
    if StrategyVersion.objects.filter(strategy=strategy, year=year).exists():
        raise VersionError(
            f"{strategy.region.name} already has a strategy version for {year}: open that version instead, "
            "or choose another year."
        )
    source = version
    copy = StrategyVersion.objects.get(pk=version.pk)
    copy.pk = None
    copy.year, copy.status, copy.approved_on, copy.approved_by = year, "draft", None, ""
    copy.save(force_insert=True)

    for partner in source.partners.all():
        Partner.objects.create(
            version=copy, position=partner.position, organisation_id=partner.organisation_id, role=partner.role
        )
    Value.objects.bulk_create(
        Value(version=copy, position=v.position, name=v.name, description=v.description) for v in source.values.all()
    )
    groups: dict[int, Group] = {}
    old_groups = list(source.groups.all())
    focus_areas = {g.pk: g.focus_area_id for g in old_groups}
    for group in old_groups:
        old_pk = group.pk
        group.pk, group.version, group.focus_area = None, copy, None
        group.save(force_insert=True)
        groups[old_pk] = group
    # Through the link tables: the instances are reused for the copies, and a related manager would still
    # answer from the original's rows.
    members = Group.member_organisations.through
    members.objects.bulk_create(
        members(group_id=groups[m.group_id].pk, organisation_id=m.organisation_id)
        for m in members.objects.filter(group__version=source)
    )
    goals: dict[int, Goal] = {}
    old_goals = list(source.goals.all())
    parents = {g.pk: g.parent_id for g in old_goals}
    # Parents first: every goal is saved after the goal it hangs under.
    pending = list(old_goals)
    while pending:
        later = []
        for goal in pending:
            parent_id = parents[goal.pk]
            if parent_id is not None and parent_id not in goals:
                later.append(goal)
                continue
            old_pk = goal.pk
            goal.pk, goal.version = None, copy
            goal.parent = goals[parent_id] if parent_id is not None else None
            goal.responsible = groups.get(goal.responsible_id) if goal.responsible_id else None
            goal.save(force_insert=True)
            goals[old_pk] = goal
        if len(later) == len(pending):
            raise VersionError(f"The goal tree of {version} has a loop; fix the parents in the admin first.")
        pending = later
    links = Goal.contributes_to.through
    links.objects.bulk_create(
        links(from_goal_id=goals[link.from_goal_id].pk, to_goal_id=goals[link.to_goal_id].pk)
        for link in links.objects.filter(from_goal__version=source).order_by("pk")
    )
    for old_pk, focus_id in focus_areas.items():
        if focus_id:
            Group.objects.filter(pk=groups[old_pk].pk).update(focus_area=goals[focus_id])
    actions: dict[int, Action] = {}
    for action in source.actions.all():
        old_pk = action.pk
        action.pk, action.version, action.goal = None, copy, goals[action.goal_id]
        action.responsible_group = groups.get(action.responsible_group_id) if action.responsible_group_id else None
        action.save(force_insert=True)
        actions[old_pk] = action
    for metric in source.metrics.all():
        metric.pk, metric.version, metric.goal = None, copy, goals[metric.goal_id]
        metric.action = actions[metric.action_id] if metric.action_id else None
        metric.responsible = groups.get(metric.responsible_id) if metric.responsible_id else None
        metric.save(force_insert=True)
    for phase in source.phases.prefetch_related("events"):
        events = list(phase.events.all())
        phase.pk, phase.version = None, copy
        phase.save(force_insert=True)
        ProcessEvent.objects.bulk_create(
            ProcessEvent(
                phase=phase,
                position=e.position,
                name=e.name,
                kind=e.kind,
                date=e.date,
                participants=e.participants,
                description=e.description,
            )
            for e in events
        )
    return copy


@transaction.atomic
def approve_version(*, version: StrategyVersion, user: Any) -> StrategyVersion:
    """Mark a draft approved today. Each year has one version (a database constraint), so approving a draft
    makes it the one approved version of its year; an approved or archived version is not approved again."""
    version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != "draft":
        raise VersionError(
            f"The version for {version.year} is {version.get_status_display().lower()}, not a draft: "
            "only a draft can be approved. Copy it to a new draft to change it."
        )
    if StrategyVersion.objects.filter(strategy=version.strategy, year=version.year, status="approved").exists():
        raise VersionError(f"{version.strategy.region.name} already has an approved version for {version.year}.")
    version.status = "approved"
    version.approved_on = date.today()
    version.approved_by = (user.get_full_name() or user.get_username()) if user is not None else ""
    version.save(update_fields=["status", "approved_on", "approved_by", "updated_at"])
    return version
