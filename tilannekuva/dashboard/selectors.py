"""Reads for the dashboard (kojelauta): metric cards of a strategy, a metric's comparison between areas, and a
municipality's profile, each for a chosen follow-up year."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Area, AreaKind, Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.models import Direction, Frequency, Goal, GoalLevel, Group, Metric, StrategyVersion
from tilannekuva.strategy.selectors import version_in_force

from .providers import MetricData, counties_of, data_for, no_data_label
from .status import RULES, Assessment, Status, Trend, assess, change_kind, one_status

# The decimals a metric's figures are shown with where its indicator names none (computed and reported ones).
KIND_DECIMALS = {"count": 0, "euro": 0, "yes_no": 0, "nps": 0, "percent": 1, "euro_per_resident": 1}
YEARS_SHOWN = 30  # how far back the year filter reaches
COUNCIL_TERM_YEARS = 4


class NotFound(LookupError):
    """No such region, strategy version, metric or municipality."""


def default_year() -> int:
    """The follow-up year a dashboard opens on: the last full year (a yearly follow-up reports on it)."""
    return timezone.localdate().year - 1


def _version_in_force(region: Region, year: int) -> StrategyVersion:
    """strategy.selectors.version_in_force, or NotFound (a 404 on the pages) for a region without a strategy."""
    version = version_in_force(region, year)
    if version is None:
        raise NotFound(f"{region} has no strategy")
    return version


@dataclass
class Card:
    """One metric on the dashboard: the region's latest value up to the follow-up year, changes, status."""

    metric: Metric
    data: MetricData | None
    assessment: Assessment
    points: list[tuple[int, float]]
    ready: bool
    baseline_year: int
    baseline: tuple[int, float] | None = None
    text: str = ""  # the latest value reported in words

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.points[-1] if self.points else None

    @property
    def previous(self) -> tuple[int, float] | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def change_since_previous(self) -> float | None:
        return self.points[-1][1] - self.points[-2][1] if len(self.points) > 1 else None

    @property
    def change_since_baseline(self) -> float | None:
        if not self.points or self.baseline is None or self.baseline[0] == self.points[-1][0]:
            return None
        return self.points[-1][1] - self.baseline[1]

    @property
    def trend(self) -> Trend | None:
        return self.assessment.trend

    @property
    def baseline_trend(self) -> Trend | None:
        change = self.change_since_baseline
        if change is None or self.baseline is None:
            return None
        return change_kind(self.baseline[1], self.points[-1][1], direction=self.assessment.direction)

    @property
    def responsible(self) -> Group | None:
        return self.metric.responsible or self.metric.goal.responsible

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def no_data_label(self) -> str:
        return no_data_label(self.metric)

    @property
    def evidence(self) -> str:
        """What the latest value rests on, where a register answers the metric (the agreement, the pairs)."""
        return self.data.evidence.get(self.latest[0], "") if self.data and self.latest else ""

    @property
    def unit(self) -> str:
        return (self.data.unit if self.data else "") or self.metric.unit

    @property
    def precision(self) -> int:
        """How many decimals the metric's figures are shown with: its indicator's, else by its kind of measure."""
        if self.data is not None and self.data.decimals is not None:
            return self.data.decimals
        return KIND_DECIMALS.get(self.metric.kind, 2)

    @property
    def coverage(self) -> tuple[int, int] | None:
        """(X, Y) where the figure is "X / Y" organisations (a yes/no metric each reports for itself)."""
        return self.data.coverage.get(self.latest[0]) if self.data and self.latest else None

    @property
    def reporters(self) -> list[tuple[str, str, str]]:
        """Who reported the latest value, and what, where organisations report their own."""
        return self.data.reporters.get(self.latest[0], []) if self.data and self.latest else []

    @property
    def sparkline(self) -> str:
        return sparkline_points([v for _, v in self.points[-12:]])


def sparkline_points(values: list[float], *, width: float = 120, height: float = 28) -> str:
    """The `points` of an SVG polyline for a small trend line (no script, so the CSP stays strict)."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in enumerate(values))


def is_ready(metric: Metric, years: list[int], *, year: int) -> bool:
    """Whether the metric has data for the follow-up period that `year` stands for, by its frequency;
    `years` are the years with a value up to `year`."""
    if not years:
        return False
    latest = years[-1]
    if metric.frequency == Frequency.COUNCIL_TERM:
        return latest > year - COUNCIL_TERM_YEARS
    if metric.frequency == Frequency.ONCE:
        return True
    return latest == year


def card_for(metric: Metric, data: MetricData | None, *, year: int, baseline_year: int) -> Card:
    points = data.up_to(year) if data else []
    years = data.years_up_to(year) if data else []
    assessment = assess(
        metric,
        [v for _, v in points],
        indicator_direction=data.direction if data else Direction.NEUTRAL,
        peers=data.peers.get(points[-1][0]) if data and points else None,
        age=year - points[-1][0] if points else None,
    )
    if not points and years:
        reason = str(_("Not assessed: the value is reported in words."))
        assessment = Assessment(Status.NOT_ASSESSED, reason, None, None, assessment.direction)
    baseline = None
    at_or_before = [p for p in points if p[0] <= baseline_year]
    if at_or_before:
        baseline = at_or_before[-1]
    return Card(
        metric=metric,
        data=data,
        assessment=assessment,
        points=points,
        ready=is_ready(metric, years, year=year),
        baseline_year=baseline_year,
        baseline=baseline,
        text=next((data.texts[y] for y in reversed(years) if data and data.texts.get(y)), "") if data else "",
    )


SHARED_FIGURES = {"databank", "computed", "survey"}  # binding types whose figure does not depend on the metric


def figure_key(card: Card) -> tuple[str, ...] | None:
    """What the card's figure is: its binding and its values; None where the figure is the metric's own."""
    metric = card.metric
    if metric.binding_type not in SHARED_FIGURES or not card.points:
        return None
    details = tuple(f"{k}={v}" for k, v in sorted((metric.binding or {}).items()))
    return (metric.binding_type, *details, repr(card.points))


def one_figure_one_status(cards: list[Card]) -> None:
    """Cards that show the same figure show one status (status.one_status), with its reason."""
    groups: dict[tuple[str, ...], list[Card]] = {}
    for card in cards:
        key = figure_key(card)
        if key is not None:
            groups.setdefault(key, []).append(card)
    chosen = one_status({key: [c.assessment for c in group] for key, group in groups.items() if len(group) > 1})
    for key, assessment in chosen.items():
        for card in groups[key]:
            card.assessment = assessment


@dataclass
class GoalNode:
    goal: Goal
    cards: list[Card] = field(default_factory=list)
    children: list["GoalNode"] = field(default_factory=list)

    @property
    def all_cards(self) -> list[Card]:
        return self.cards + [card for child in self.children for card in child.all_cards]

    @property
    def status_counts(self) -> list[tuple[Status, int]]:
        """The statuses of the goal's metrics (its sub-goals' included) that occur, with their counts."""
        cards = self.all_cards
        counts = [(status, sum(1 for c in cards if c.status == status)) for status in Status]
        return [(status, count) for status, count in counts if count]

    @property
    def ready_count(self) -> int:
        return sum(1 for c in self.all_cards if c.ready)


@dataclass
class Dashboard:
    region: Region
    version: StrategyVersion
    year: int
    years: list[int]
    main_goals: list[GoalNode]
    focus_areas: list[GoalNode]
    cards: list[Card]

    @property
    def ready(self) -> list[Card]:
        return [c for c in self.cards if c.ready]

    @property
    def missing(self) -> list[Card]:
        return [c for c in self.cards if not c.ready]

    @property
    def status_rules(self) -> list[tuple[Status, object]]:
        return RULES

    @property
    def status_counts(self) -> list[tuple[Status, int]]:
        return [(status, sum(1 for c in self.cards if c.status == status)) for status in Status]


def municipalities(region: Region, *, year: int) -> list[Area]:
    return list(members_of(region.area, year=year))


def year_choices(version: StrategyVersion, cards: list[Card], *, year: int) -> list[int]:
    """The strategy period, the years with data and the current year, newest first."""
    this_year = timezone.localdate().year
    first_data = min((min(c.data.values) for c in cards if c.data and c.data.values), default=this_year)
    first = max(min(first_data, version.period_start, year), this_year - YEARS_SHOWN)
    return list(range(max(this_year, version.period_end, year), first - 1, -1))


def dashboard(*, region: Region, year: int) -> Dashboard:
    version = _version_in_force(region, year)
    goals = list(version.goals.select_related("responsible").order_by("position"))
    metrics = list(
        version.metrics.select_related("responsible", "goal__responsible", "action").order_by("goal", "position")
    )
    data = data_for(metrics, region=region)
    cards = {m.pk: card_for(m, data.get(m.pk), year=year, baseline_year=version.period_start) for m in metrics}
    one_figure_one_status(list(cards.values()))
    nodes = {g.pk: GoalNode(goal=g) for g in goals}
    for metric in metrics:
        nodes[metric.goal_id].cards.append(cards[metric.pk])
    roots = []
    for goal in goals:
        if goal.parent_id and goal.parent_id in nodes:
            nodes[goal.parent_id].children.append(nodes[goal.pk])
        else:
            roots.append(nodes[goal.pk])
    ordered = [card for root in roots for card in root.all_cards]
    return Dashboard(
        region=region,
        version=version,
        year=year,
        years=year_choices(version, ordered, year=year),
        main_goals=[n for n in roots if n.goal.level == GoalLevel.MAIN_GOAL],
        focus_areas=[n for n in roots if n.goal.level != GoalLevel.MAIN_GOAL],
        cards=ordered,
    )


def metric_of(version: StrategyVersion, metric_key: str) -> Metric:
    metric = (
        version.metrics.select_related("responsible", "goal__responsible", "goal__parent", "action")
        .filter(key=metric_key)
        .first()
    )
    if metric is None:
        raise NotFound(f"no metric '{metric_key}' in {version}")
    return metric


def metric_card(*, region: Region, metric_key: str, year: int) -> Card:
    version = _version_in_force(region, year)
    metric = metric_of(version, metric_key)
    data = data_for([metric], region=region).get(metric.pk)
    return card_for(metric, data, year=year, baseline_year=version.period_start)


@dataclass
class ComparisonRow:
    area: Area
    kind: str  # "municipality", "region", "county", "country"
    value: float | None
    previous: float | None
    rank: int | None = None

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


@dataclass
class Comparison:
    card: Card
    year: int
    rows: list[ComparisonRow]
    municipalities: list[ComparisonRow]
    direction: str
    sort: str
    order: str

    @property
    def values_by_code(self) -> dict[str, float | None]:
        return {row.area.code: row.value for row in self.municipalities}


SORTS = ("better", "name", "value")


def comparison(*, region: Region, metric_key: str, year: int, sort: str = "better", order: str = "asc") -> Comparison:
    """The municipalities of the region in the data's year side by side with the region, its county and the country.

    Sorting by "better" puts the best first whichever way is better; ranks count among the municipalities.
    """
    card = metric_card(region=region, metric_key=metric_key, year=year)
    data = card.data
    direction = card.assessment.direction
    data_year = card.latest[0] if card.latest else year

    def row(area: Area, kind: str) -> ComparisonRow:
        if data is None:
            return ComparisonRow(area=area, kind=kind, value=None, previous=None)
        return ComparisonRow(area, kind, data.area_value(area, data_year), data.area_value(area, data_year - 1))

    # The municipalities of the data's year: the HYTE points of 2024 rank all twelve, Pertunmaa included.
    municipalities = [row(area, AreaKind.MUNICIPALITY) for area in members_of(region.area, year=data_year)]
    rank_rows(municipalities, direction=direction)
    totals = [
        ComparisonRow(
            area=region.area,
            kind="region",
            value=data.values.get(data_year) if data else None,
            previous=data.values.get(data_year - 1) if data else None,
        )
    ]
    totals += [row(county, "county") for county in counties_of(region, year=year)]
    if data is not None and data.country is not None:
        totals.append(row(data.country, "country"))
    sort = sort if sort in SORTS else "better"
    order = "desc" if order == "desc" else "asc"
    return Comparison(
        card=card,
        year=data_year,
        rows=sorted_rows(municipalities, sort=sort, order=order, direction=direction) + totals,
        municipalities=municipalities,
        direction=direction,
        sort=sort,
        order=order,
    )


def rank_rows(rows: list[ComparisonRow], *, direction: str) -> None:
    """Rank 1 is the best value; equal values share a rank; no ranks without a direction."""
    if direction == Direction.NEUTRAL:
        return
    valued = sorted((r for r in rows if r.value is not None), key=lambda r: _better_key(r.value, direction))
    for row in valued:
        assert row.value is not None
        row.rank = 1 + sum(
            1 for other in valued if _better_key(other.value, direction) < _better_key(row.value, direction)
        )


def _better_key(value: float | None, direction: str) -> float:
    assert value is not None
    return -value if direction == Direction.HIGHER_IS_BETTER else value


def sorted_rows(rows: list[ComparisonRow], *, sort: str, order: str, direction: str) -> list[ComparisonRow]:
    missing = [r for r in rows if r.value is None]
    valued = [r for r in rows if r.value is not None]
    if sort == "name":
        result = sorted(rows, key=lambda r: r.area.name, reverse=order == "desc")
        return result
    if sort == "value":
        result = sorted(valued, key=lambda r: r.value or 0.0, reverse=order == "desc")
    else:
        result = sorted(
            valued,
            key=lambda r: (
                (_better_key(r.value, direction), r.area.name) if direction != Direction.NEUTRAL else (0.0, r.area.name)
            ),
        )
        if order == "desc":
            result.reverse()
    return result + sorted(missing, key=lambda r: r.area.name)
