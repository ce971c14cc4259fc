"""Exporting a stored strategy version back to its YAML file, canonical so that export(import(file)) == file."""

from typing import Any

from tilannekuva.regions.selectors import region_by_slug

from . import bindings, files
from .files import AREA_KIND_OF, FORMAT
from .models import Action, Goal, GoalLevel, Group, Metric, Partner, ProcessPhase, StrategyVersion
from .selectors import version_in_force


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


class NoVersion(LookupError):
    """No strategy version to export; the message names the region and the year."""


def version_to_export(region_slug: str, *, year: int | None = None) -> StrategyVersion:
    """The version of `year` (a draft too: a version is named by its year), else the version in force this year."""
    region = region_by_slug(region_slug, with_strategy=True)
    if region is None:
        raise NoVersion(f"No strategy for region '{region_slug}'.")
    if year is None:
        version = version_in_force(region)
    else:
        version = (
            StrategyVersion.objects.select_related("strategy__region__area")
            .filter(strategy__region=region, year=year)
            .first()
        )
    if version is None:
        when = f" for {year}" if year is not None else ""
        raise NoVersion(f"No strategy version for region '{region_slug}'{when}.")
    return version


def export_text(region_slug: str, *, year: int | None = None) -> str:
    return files.dump(export_version(version_to_export(region_slug, year=year)))
