"""Reads for the strategy pages: which version is in force in a year, the regions that have a strategy, and one
version's whole goal tree."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone

from tilannekuva.regions.models import Region

from .models import Action, Goal, GoalLevel, Group, Metric, Partner, ProcessPhase, StrategyVersion, VersionStatus

# Adopted versions: approved, or approved once and archived since. Only these are ever in force beside each other.
ADOPTED = (VersionStatus.APPROVED, VersionStatus.ARCHIVED)


def _versions_that_apply(versions: Iterable[StrategyVersion]) -> list[StrategyVersion]:
    """Of one region's versions, oldest first, those that can be in force: the adopted ones; a region that has
    adopted none yet works by its latest draft (shown as a draft)."""
    ordered = sorted(versions, key=lambda v: v.year)
    adopted = [v for v in ordered if v.status in ADOPTED]
    return adopted or ordered[-1:]


def _in_force(versions: Iterable[StrategyVersion], year: int) -> StrategyVersion | None:
    """The rule of docs/DECISIONS.md ("Which strategy version is in force"), over one region's versions."""
    applying = _versions_that_apply(versions)
    earlier = [v for v in applying if v.year <= year]
    if earlier:
        return earlier[-1]  # in force from its year until a later adopted version
    return applying[0] if applying else None  # before the first one: the first, followed back in time


def version_in_force(region: Region, year: int | None = None) -> StrategyVersion | None:
    """The strategy version a region works by in `year` (default: this year), or None if it has no strategy.

    An adopted (approved) version is in force from its year until the year of a later adopted one; a draft never
    replaces it. Before its first adopted version a region's first one applies: its metrics are followed back to
    their baseline. A region that has adopted no version yet works by its latest draft. Every page, report,
    export and API answer that picks a version for a year asks this function."""
    versions = StrategyVersion.objects.select_related("strategy__region__area").filter(strategy__region=region)
    return _in_force(versions, timezone.localdate().year if year is None else year)


def regions_with_strategy() -> list[Region]:
    """The regions that have a strategy, each with the version in force this year (`latest`) and its partners."""
    regions = list(Region.objects.filter(strategy__isnull=False).select_related("strategy", "area").order_by("name"))
    by_strategy: dict[int, list[StrategyVersion]] = defaultdict(list)
    for version in StrategyVersion.objects.filter(strategy__region__in=regions).annotate(
        partner_count=Count("partners")
    ):
        by_strategy[version.strategy_id].append(version)
    this_year = timezone.localdate().year
    for region in regions:
        region.latest = _in_force(by_strategy[region.strategy.pk], this_year)  # type: ignore[attr-defined]
        region.partner_count = getattr(region.latest, "partner_count", 0)  # type: ignore[attr-defined]
    return [r for r in regions if r.latest]  # type: ignore[attr-defined]


@dataclass
class StrategyPage:
    region: Region
    version: StrategyVersion
    years: list[int]
    partners: list[Partner]
    main_goals: list[Goal]
    focus_areas: list[Goal]
    working_groups: list[Group]
    forums: list[Group]
    phases: list[ProcessPhase]
    counts: dict[str, int] = field(default_factory=dict)


def strategy_page(*, region: Region, year: int | None, draft: int | None = None) -> StrategyPage | None:
    """The version in force in `year` (default: this year), or the draft of the year `draft`, with its goal tree;
    the years of the versions that apply, for the page's version links. None when there is no such version."""
    versions = list(StrategyVersion.objects.filter(strategy__region=region))
    if draft is not None:
        version = next((v for v in versions if v.year == draft and v.status == VersionStatus.DRAFT), None)
    else:
        version = _in_force(versions, timezone.localdate().year if year is None else year)
    if version is None:
        return None
    years = sorted((v.year for v in _versions_that_apply(versions)), reverse=True)

    goals = list(version.goals.select_related("responsible").prefetch_related("contributes_to"))
    actions = list(version.actions.select_related("responsible_group"))
    metrics = list(version.metrics.select_related("responsible"))
    by_goal: dict[int, Goal] = {g.pk: g for g in goals}
    by_action: dict[int, Action] = {a.pk: a for a in actions}
    for goal in goals:
        goal.child_list, goal.metric_list, goal.action_list = [], [], []  # type: ignore[attr-defined]
    for action in actions:
        action.metric_list = []  # type: ignore[attr-defined]
        by_goal[action.goal_id].action_list.append(action)  # type: ignore[attr-defined]
    for metric in metrics:
        if metric.action_id:
            by_action[metric.action_id].metric_list.append(metric)  # type: ignore[attr-defined]
        else:
            by_goal[metric.goal_id].metric_list.append(metric)  # type: ignore[attr-defined]
    roots = []
    for goal in goals:
        if goal.parent_id:
            by_goal[goal.parent_id].child_list.append(goal)  # type: ignore[attr-defined]
        else:
            roots.append(goal)
    groups = list(version.groups.select_related("focus_area").prefetch_related("member_organisations"))
    return StrategyPage(
        region=region,
        version=version,
        years=years,
        partners=list(version.partners.select_related("organisation__area")),
        main_goals=[g for g in roots if g.level == GoalLevel.MAIN_GOAL],
        focus_areas=[g for g in roots if g.level == GoalLevel.FOCUS_AREA],
        working_groups=[g for g in groups if g.in_responsibility_table],
        forums=[g for g in groups if not g.in_responsibility_table],
        phases=list(version.phases.prefetch_related(Prefetch("events"))),
        counts={"goals": len(goals), "metrics": len(metrics), "actions": len(actions)},
    )


def metrics_of(version: StrategyVersion) -> list[Metric]:
    return list(version.metrics.select_related("goal", "action"))


def root_goal_of(goal: Goal, by_pk: dict[int, Goal]) -> Goal:
    """The top of the tree a goal hangs under: its focus area or main goal (an interface of an interface plan)."""
    while goal.parent_id is not None and goal.parent_id in by_pk:
        goal = by_pk[goal.parent_id]
    return goal
