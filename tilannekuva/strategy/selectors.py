"""Reads for the strategy pages: the regions that have a strategy, and one version's whole goal tree."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from tilannekuva.regions.models import Region

from .models import Action, Goal, GoalLevel, Group, Metric, Partner, ProcessPhase, StrategyVersion


def regions_with_strategy() -> list[Region]:
    regions = list(Region.objects.filter(strategy__isnull=False).select_related("strategy", "area").order_by("name"))
    latest: dict[int, StrategyVersion] = {}
    for version in (
        StrategyVersion.objects.filter(strategy__region__in=regions)
        .annotate(partner_count=Count("partners"))
        .order_by("year")
    ):
        latest[version.strategy_id] = version
    for region in regions:
        region.latest = latest.get(region.strategy.pk)  # type: ignore[attr-defined]
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


def strategy_page(*, region_slug: str, year: int | None) -> StrategyPage | None:
    region = Region.objects.select_related("area", "strategy").filter(slug=region_slug, strategy__isnull=False).first()
    if region is None:
        return None
    versions = StrategyVersion.objects.filter(strategy__region=region)
    years = sorted(versions.values_list("year", flat=True), reverse=True)
    if not years or (year is not None and year not in years):
        return None
    version = versions.get(year=year if year is not None else years[0])

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


def current_version(region: Region, *, year: int | None = None) -> StrategyVersion | None:
    """The version a region works by: the one of `year` if given, else the latest approved one, else the latest.
    A draft being prepared for next year does not replace the strategy in force."""
    versions = StrategyVersion.objects.select_related("strategy__region__area").filter(strategy__region=region)
    if year is not None:
        return versions.filter(year=year).first()
    return versions.filter(status="approved").order_by("-year").first() or versions.order_by("-year").first()


def root_goal_of(goal: Goal, by_pk: dict[int, Goal]) -> Goal:
    """The top of the tree a goal hangs under: its focus area or main goal (an interface of an interface plan)."""
    while goal.parent_id is not None and goal.parent_id in by_pk:
        goal = by_pk[goal.parent_id]
    return goal
