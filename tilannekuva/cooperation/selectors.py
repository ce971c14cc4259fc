"""Reads for the co-operation pages: actions with filters, groups with what they own, pairs and the process."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from tilannekuva.regions.models import Area, Organisation, Region
from tilannekuva.strategy.models import (
    Action,
    ActionStatus,
    BindingType,
    Goal,
    Group,
    Metric,
    ProcessPhase,
    StrategyVersion,
)
from tilannekuva.strategy.selectors import root_goal_of, version_in_force

from .models import Agreement, Meeting, ProgressNote
from .registers import (
    CounterpartMatrix,
    MatrixRow,
    agreements_by_area,
    counterpart_matrix,
    interfaces_of_metric,
    visible_agreements,
)


@dataclass
class ActionRow:
    action: Action
    interface: Goal
    metrics: list[Metric]


@dataclass
class ActionFilters:
    interface: str = ""
    goal: str = ""
    organisation: int | None = None
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.interface or self.goal or self.organisation or self.status)


@dataclass
class FilterChoices:
    interfaces: list[Goal]
    goals: list[tuple[Goal, list[Goal]]]  # the goals with actions, under their interface
    organisations: list[Organisation]
    statuses: list[tuple[str, Any]] = field(default_factory=lambda: list(ActionStatus.choices))


def interfaces_of(version: StrategyVersion) -> list[Goal]:
    """The top of the goal tree: focus areas (the interfaces a–e of an interface plan), else main goals."""
    roots = list(version.goals.filter(parent=None))
    focus_areas = [g for g in roots if g.level == "focus_area"]
    return focus_areas or roots


def filter_choices(version: StrategyVersion) -> FilterChoices:
    """The filter's choices; the goals under their interface, since the interfaces of an interface plan share
    the same four goal titles."""
    by_pk = {g.pk: g for g in version.goals.all()}
    with_actions = version.goals.filter(actions__isnull=False).distinct().order_by("position")
    grouped: dict[int, tuple[Goal, list[Goal]]] = {}
    for goal in with_actions:
        root = root_goal_of(by_pk[goal.pk], by_pk)
        grouped.setdefault(root.pk, (root, []))[1].append(goal)
    organisations = [p.organisation for p in version.partners.select_related("organisation")]
    return FilterChoices(interfaces=interfaces_of(version), goals=list(grouped.values()), organisations=organisations)


def _responsible_for(action: Action, organisation: Organisation) -> bool:
    group = action.responsible_group
    if group is not None and organisation in group.member_organisations.all():
        return True
    text = action.responsible.casefold()
    names = {organisation.name, organisation.short_name} - {""}
    return any(name.casefold() in text for name in names)


def action_rows(version: StrategyVersion, filters: ActionFilters) -> list[ActionRow]:
    goals = {g.pk: g for g in version.goals.all()}
    actions = (
        version.actions.select_related("goal", "responsible_group")
        .prefetch_related("responsible_group__member_organisations", Prefetch("metrics", to_attr="metric_list"))
        .order_by("position")
    )
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.goal:
        actions = actions.filter(goal__key=filters.goal)
    organisation = Organisation.objects.filter(pk=filters.organisation).first() if filters.organisation else None
    rows = []
    for action in actions:
        interface = root_goal_of(goals[action.goal_id], goals)
        if filters.interface and interface.key != filters.interface:
            continue
        if organisation is not None and not _responsible_for(action, organisation):
            continue
        rows.append(ActionRow(action=action, interface=interface, metrics=action.metric_list))  # type: ignore[attr-defined]
    return rows


@dataclass
class ActionPage:
    action: Action
    interface: Goal
    metrics: list[Metric]
    notes: list[ProgressNote] | None


def action_page(version: StrategyVersion, key: str, *, with_notes: bool) -> ActionPage | None:
    action = version.actions.select_related("goal", "responsible_group").filter(key=key).first()
    if action is None:
        return None
    goals = {g.pk: g for g in version.goals.all()}
    notes = list(ProgressNote.objects.filter(action=action).select_related("author")) if with_notes else None
    return ActionPage(
        action=action,
        interface=root_goal_of(goals[action.goal_id], goals),
        metrics=list(action.metrics.all()),
        notes=notes,
    )


def groups_of(version: StrategyVersion) -> QuerySet[Group]:
    return (
        version.groups.select_related("focus_area", "area", "parent")
        .prefetch_related("member_organisations__area")
        .order_by("position")
    )


@dataclass
class GroupPage:
    group: Group
    goals: list[Goal]
    metrics: list[Metric]
    actions: list[Action]
    meetings: list[Meeting] | None
    children: list[Group]
    agreements: list[Agreement]
    counterparts: MatrixRow | None  # the counterpart row of the group's interface, as in the dashboard's year
    year: int


def group_page(
    version: StrategyVersion, key: str, *, with_meetings: bool, internal: bool, year: int
) -> GroupPage | None:
    """A group of `version` with its work; the counterpart row of its interface as in the follow-up `year`."""
    group = groups_of(version).filter(key=key).first()
    if group is None:
        return None
    region = version.region
    meetings = list(Meeting.objects.filter(region=region, group_key=key)) if with_meetings else None
    row = None
    in_force = version_in_force(region, year)
    if group.focus_area is not None and in_force is not None:
        matrix = counterpart_matrix(region, in_force, year=year)
        row = next((r for r in matrix.rows if r.interface.key == group.focus_area.key), None)
    return GroupPage(
        group=group,
        goals=list(group.goals.order_by("position")),
        metrics=list(group.metrics.select_related("goal").order_by("position")),
        actions=list(group.actions.select_related("goal").order_by("position")),
        meetings=meetings,
        children=list(groups_of(version).filter(parent=group)),
        agreements=list(visible_agreements(region, internal=internal).filter(group_key=key)),
        counterparts=row,
        year=year,
    )


@dataclass
class AreaGroups:
    """The groups that work in one area of the region, as a tree: each top group with its sub-groups."""

    area: Area
    trees: list[tuple[Group, list[Group]]]


def groups_by_area(groups: list[Group]) -> list[AreaGroups]:
    """Groups tied to an area, under their area (areas by name); a sub-group follows its parent."""
    children: dict[int, list[Group]] = {}
    for group in groups:
        if group.parent_id is not None:
            children.setdefault(group.parent_id, []).append(group)
    areas: dict[int, AreaGroups] = {}
    for group in groups:
        if group.area is None or (group.parent is not None and group.parent.area_id == group.area_id):
            continue
        areas.setdefault(group.area.pk, AreaGroups(area=group.area, trees=[])).trees.append(
            (group, children.get(group.pk, []))
        )
    return sorted(areas.values(), key=lambda a: (a.area.kind != "maakunta", a.area.name_fi))


@dataclass
class CounterpartsPage:
    matrix: CounterpartMatrix
    metrics: list[tuple[Metric, bool]]  # the metrics the matrix answers, with the answer


def counterparts_page(region: Region, version: StrategyVersion, *, year: int) -> CounterpartsPage:
    """The matrix of `version` (the version in force in `year`) with the pairs valid in `year`, and the metrics
    it answers (the same answer the dashboard gives for that year)."""
    matrix = counterpart_matrix(region, version, year=year)
    goals = {g.pk: g for g in version.goals.all()}
    metrics = [
        (metric, matrix.found(interfaces_of_metric(metric, goals)))
        for metric in version.metrics.filter(binding_type=BindingType.COUNTERPARTS).order_by("position")
    ]
    return CounterpartsPage(matrix=matrix, metrics=metrics)


@dataclass
class AgreementEntry:
    agreement: Agreement
    group: Group | None  # the group that keeps it, in the version in force
    in_force: bool  # in the page's year


@dataclass
class AreaEntries:
    area: Area | None  # None: the whole region
    entries: list[AgreementEntry]


@dataclass
class AgreementsPage:
    areas: list[AreaEntries]  # the whole region's agreements first, then each area's
    area_choices: list[Area]  # the areas that have agreements, for the filter
    area: Area | None  # the area chosen in the filter


def agreements_page(
    region: Region, version: StrategyVersion, *, year: int, internal: bool, area: str
) -> AgreementsPage:
    agreements = list(visible_agreements(region, internal=internal))
    area_choices = sorted({a.area for a in agreements if a.area is not None}, key=lambda a: a.name_fi)
    chosen = next((a for a in area_choices if a.slug == area), None)
    if chosen is not None:
        agreements = [a for a in agreements if a.area_id == chosen.pk]
    groups = {g.key: g for g in version.groups.all()}
    areas = [
        AreaEntries(
            area=group.area,
            entries=[AgreementEntry(a, groups.get(a.group_key), a.in_force(year)) for a in group.agreements],
        )
        for group in agreements_by_area(agreements)
    ]
    return AgreementsPage(areas=areas, area_choices=area_choices, area=chosen)


def phases_of(version: StrategyVersion) -> list[ProcessPhase]:
    return list(version.phases.prefetch_related("events").order_by("position"))


def versions_of(region: Region) -> list[StrategyVersion]:
    return list(StrategyVersion.objects.filter(strategy__region=region).order_by("-year"))


def next_free_year(versions: list[StrategyVersion]) -> int:
    taken = {v.year for v in versions}
    year = max(taken | {date.today().year - 1}) + 1
    while year in taken:
        year += 1
    return year


def as_filters(data: dict[str, Any]) -> ActionFilters:
    return ActionFilters(
        interface=data.get("interface") or "",
        goal=data.get("goal") or "",
        organisation=data.get("organisation") or None,
        status=data.get("status") or "",
    )
