"""Reads for the co-operation pages: actions with filters, groups with what they own, pairs and the process."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from tilannekuva.regions.models import Organisation, OrganisationKind, Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.models import (
    Action,
    ActionStatus,
    Goal,
    Group,
    Metric,
    ProcessPhase,
    StrategyVersion,
)
from tilannekuva.strategy.selectors import root_goal_of

from .models import CounterpartPair, Meeting, ProgressNote

# The seed 001 metric "Yhteystiedot löytyvät / ei löydy" of the action "Vastinparien löytyminen": the system
# answers it from the counterpart pairs instead of someone reporting it by hand.
COUNTERPART_METRIC_KEY = "c-vastinparit-m1"


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
    goals: list[Goal]
    organisations: list[Organisation]
    statuses: list[tuple[str, Any]] = field(default_factory=lambda: list(ActionStatus.choices))


def interfaces_of(version: StrategyVersion) -> list[Goal]:
    """The top of the goal tree: focus areas (the interfaces a–e of an interface plan), else main goals."""
    roots = list(version.goals.filter(parent=None))
    focus_areas = [g for g in roots if g.level == "focus_area"]
    return focus_areas or roots


def filter_choices(version: StrategyVersion) -> FilterChoices:
    goals = list(version.goals.filter(actions__isnull=False).distinct().order_by("position"))
    organisations = [p.organisation for p in version.partners.select_related("organisation")]
    return FilterChoices(interfaces=interfaces_of(version), goals=goals, organisations=organisations)


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
    return version.groups.select_related("focus_area").prefetch_related("member_organisations").order_by("position")


@dataclass
class GroupPage:
    group: Group
    goals: list[Goal]
    metrics: list[Metric]
    actions: list[Action]
    meetings: list[Meeting] | None
    counterparts_found: bool | None


def group_page(version: StrategyVersion, key: str, *, with_meetings: bool) -> GroupPage | None:
    group = groups_of(version).filter(key=key).first()
    if group is None:
        return None
    region = version.region
    meetings = list(Meeting.objects.filter(region=region, group_key=key)) if with_meetings else None
    found = None
    if group.focus_area is not None and has_counterpart_metric(version, group.focus_area):
        found = counterparts_found(region, group.focus_area.key, year=version.year)
    return GroupPage(
        group=group,
        goals=list(group.goals.order_by("position")),
        metrics=list(group.metrics.select_related("goal").order_by("position")),
        actions=list(group.actions.select_related("goal").order_by("position")),
        meetings=meetings,
        counterparts_found=found,
    )


def municipalities_in(region: Region, year: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, area__in=members_of(region.area, year=year)
    ).order_by("name")


def counterparts_found(region: Region, interface_key: str, *, year: int | None = None) -> bool:
    """Seed 001's 'contacts can be found': true when every municipality of the region in the year (this year
    unless given) has at least one counterpart pair for the interface."""
    year = year if year is not None else date.today().year
    areas = members_of(region.area, year=year)
    if not areas.exists():
        return False
    paired = set(
        CounterpartPair.objects.filter(region=region, interface_key=interface_key).values_list(
            "municipality__area_id", flat=True
        )
    )
    return all(pk in paired for pk in areas.values_list("pk", flat=True))


def has_counterpart_metric(version: StrategyVersion, interface: Goal) -> bool:
    return version.metrics.filter(key=COUNTERPART_METRIC_KEY, goal__parent=interface).exists()


@dataclass
class InterfacePairs:
    interface: Goal
    pairs: list[CounterpartPair]
    found: bool
    missing: list[Organisation]


def counterparts_page(region: Region, version: StrategyVersion) -> list[InterfacePairs]:
    year = date.today().year
    municipalities = list(municipalities_in(region, year))
    pairs = list(CounterpartPair.objects.filter(region=region).select_related("municipality", "county"))
    result = []
    for interface in interfaces_of(version):
        own = [p for p in pairs if p.interface_key == interface.key]
        paired = {p.municipality_id for p in own}
        result.append(
            InterfacePairs(
                interface=interface,
                pairs=own,
                found=counterparts_found(region, interface.key, year=year),
                missing=[m for m in municipalities if m.pk not in paired],
            )
        )
    return result


def counties_for(version: StrategyVersion) -> QuerySet[Organisation]:
    counties = Organisation.objects.filter(kind=OrganisationKind.WELLBEING_SERVICES_COUNTY)
    partners = counties.filter(pk__in=version.partners.values("organisation_id"))
    return partners if partners.exists() else counties


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
