"""Reads for the yearly follow-up report and its welfare-report variant: the dashboard's cards of a strategy,
arranged as a report with charts (the dashboard's own Vega-Lite specs drawn as SVG), tables, evidence, actions,
survey results and the HYTE and vitality sections."""

import base64
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tilannekuva.cooperation.models import ProgressNote
from tilannekuva.cooperation.selectors import ActionFilters, action_rows
from tilannekuva.core import charts
from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.dashboard.downloads import ChartChoice, metric_chart
from tilannekuva.dashboard.selectors import Card, Dashboard, GoalNode
from tilannekuva.databank.models import Observation
from tilannekuva.databank.regional import POPULATION
from tilannekuva.discussion.selectors import ReportComment, report_comments
from tilannekuva.followup.models import Report, ReportStatus
from tilannekuva.inequality.selectors import Inequality, in_report, inequality_of
from tilannekuva.projects.selectors import ProjectRow, projects_of_year
from tilannekuva.regions.models import Area, AreaKind, Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.bindings import HYTE_COEFFICIENT, VITALITY_INDEX, ComputedBinding
from tilannekuva.strategy.models import Action, ActionStatus, BindingType, Goal, Metric
from tilannekuva.strategy.selectors import version_in_force

from . import county as county_edition
from . import sections
from .summary import Section, Summary, gaps_of, sections_of, summary_of

NotFound = dashboard_selectors.NotFound

FOLLOW_UP, WELFARE = "followup", "welfare"
KINDS = (FOLLOW_UP, WELFARE)
LANGUAGES = ("fi", "sv")

# Actions' statuses by symbol and word, never by colour alone (as the dashboard's statuses).
ACTION_ICONS = {
    ActionStatus.NOT_STARTED: "○",
    ActionStatus.IN_PROGRESS: "◐",
    ActionStatus.DONE: "✓",
    ActionStatus.DROPPED: "✕",
}


@dataclass
class Evidence:
    """An approved report's value and its evidence: a link, or a document kept in the follow-up."""

    organisation: str
    value: str
    url: str
    has_file: bool
    report_pk: int
    comment: str


@dataclass
class MetricEntry:
    card: Card
    chart_svg: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[float | None]]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    own: tuple[int, float] | None = None  # the municipality's (or county's) latest value in its edition

    @property
    def metric(self) -> Metric:
        return self.card.metric

    @property
    def decimals(self) -> int | None:
        data = self.card.data
        return data.indicator.decimals if data and data.indicator else None

    @property
    def chart_uri(self) -> str:
        """The chart as an image address: one image per chart, so that the SVGs' inner ids never collide."""
        if not self.chart_svg:
            return ""
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart_svg.encode("utf-8")).decode("ascii")

    @property
    def comments(self) -> list[str]:
        return [e.comment for e in self.evidence if e.comment]

    @property
    def has_data(self) -> bool:
        """Whether the metric has anything to show for the year; the rest are only in the list of gaps."""
        return self.card.ready or bool(self.card.latest or self.card.text or self.evidence)


@dataclass
class GoalEntry:
    goal: Goal
    depth: int
    metrics: list[MetricEntry]

    @property
    def with_data(self) -> list[MetricEntry]:
        return [m for m in self.metrics if m.has_data]

    @property
    def without_data(self) -> list[MetricEntry]:
        return [m for m in self.metrics if not m.has_data]


@dataclass
class ActionEntry:
    action: Action
    interface: Goal
    latest_note: str

    @property
    def icon(self) -> str:
        return ACTION_ICONS.get(ActionStatus(self.action.status), "–")


@dataclass
class IndicatorAvailability:
    """One of the strategy's HYTE indicators: does the municipality have data, and the latest value."""

    entry: MetricEntry
    year: int | None
    value: float | None
    region_value: float | None
    country_value: float | None

    @property
    def available(self) -> bool:
        return self.year is not None


@dataclass
class FollowUpReport:
    region: Region
    board: Dashboard
    year: int
    language: str
    kind: str
    municipality: Area | None
    goals: list[GoalEntry]
    manual: list[MetricEntry]
    actions: list[ActionEntry]
    survey_metrics: list[MetricEntry]
    hyte: list[MetricEntry]
    vitality: list[MetricEntry]
    availability: list[IndicatorAvailability]
    population: list[tuple[int, float]]
    survey_results: list[sections.SurveyResult]
    funding: sections.FundingSection
    inequalities: list[Inequality] = field(default_factory=list)
    project_rows: list[ProjectRow] = field(default_factory=list)
    report_comments: list[ReportComment] = field(default_factory=list)
    generated_at: Any = field(default_factory=timezone.now)
    county: Area | None = None  # the wellbeing services county's edition

    @property
    def version(self) -> Any:
        return self.board.version

    @property
    def area(self) -> Area | None:
        """The municipality or county of an edition; None for the whole region."""
        return self.municipality or self.county

    @property
    def title(self) -> str:
        with translation.override(self.language):
            if self.kind == WELFARE and self.municipality is not None:
                return _("Welfare report %(year)s: %(municipality)s") % {
                    "year": self.year,
                    "municipality": self.municipality.name,
                }
            if self.area is not None:
                return _("Follow-up report %(year)s: %(region)s, %(municipality)s") % {
                    "year": self.year,
                    "region": self.region.name,
                    "municipality": self.area.name,
                }
            return _("Follow-up report %(year)s: %(region)s") % {"year": self.year, "region": self.region.name}

    @cached_property
    def summary(self) -> Summary:
        with translation.override(self.language):
            return summary_of(self.board)

    @cached_property
    def sections(self) -> list[Section]:
        with translation.override(self.language):
            return sections_of(self)

    @property
    def empty_sections(self) -> list[Section]:
        return [s for s in self.sections if not s.has_data]

    @property
    def entries(self) -> list[MetricEntry]:
        return [entry for goal in self.goals for entry in goal.metrics]

    @property
    def charts_drawn(self) -> int:
        return sum(1 for entry in self.entries if entry.chart_svg)


def municipality_of(region: Region, code: str, *, year: int) -> Area:
    area = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=code).first()
    if area is None or area.pk not in {a.pk for a in members_of(region.area, year=year)}:
        raise NotFound(f"municipality {code} is not in {region} in {year}")
    return area


def _flatten(nodes: list[GoalNode], depth: int, entries: dict[int, MetricEntry]) -> list[GoalEntry]:
    found = []
    for node in nodes:
        found.append(GoalEntry(goal=node.goal, depth=depth, metrics=[entries[c.metric.pk] for c in node.cards]))
        found.extend(_flatten(node.children, depth + 1, entries))
    return found


def evidence_of(region: Region, *, year: int, metric_keys: list[str]) -> dict[str, list[Evidence]]:
    """The approved reports of the follow-up year by metric key, with their evidence and comments."""
    found: dict[str, list[Evidence]] = {}
    reports = (
        Report.objects.filter(
            task__period__region=region,
            task__period__year=year,
            task__metric__key__in=metric_keys,
            status=ReportStatus.APPROVED,
        )
        .select_related("task__metric", "organisation")
        .order_by("task__metric__key", "organisation__name", "-submitted_at")
    )
    seen: set[tuple[str, int | None]] = set()
    for report in reports:
        key = (report.task.metric.key, report.task.organisation_id)
        if key in seen:
            continue  # an earlier approved report of the same task was replaced by this one
        seen.add(key)
        found.setdefault(report.task.metric.key, []).append(
            Evidence(
                organisation=report.organisation.name if report.organisation else "",
                value=report.display_value,
                url=report.evidence_url,
                has_file=bool(report.evidence_file),
                report_pk=report.pk,
                comment=report.comment,
            )
        )
    return found


def _entry(
    card: Card, *, region: Region, municipality: Area | None, area: Area | None, language: str, draw: bool
) -> MetricEntry:
    """The card's chart (with the municipality's line in its edition) and `area`'s own latest figure."""
    choice = ChartChoice(codes=(municipality.code,) if municipality else ())
    chart = metric_chart(card, region=region, choice=choice, language=language)
    svg = ""
    if draw and chart.spec is not None:
        try:
            svg = charts.render_svg(chart.spec)
        except charts.ChartError:
            svg = ""  # the table below the chart carries the same figures
    own = None
    if area is not None and card.data is not None:  # every provider's own figure of the municipality or county
        values = card.data.area_values(area, up_to=card_year(card))
        if values:
            latest = max(values)
            own = (latest, values[latest])
    return MetricEntry(card=card, chart_svg=svg, columns=chart.columns, rows=chart.rows, own=own)


def card_year(card: Card) -> int:
    return card.latest[0] if card.latest else 9999


def is_hyte(metric: Metric, hyte_goals: set[int]) -> bool:
    return is_index(metric, HYTE_COEFFICIENT) or metric.goal_id in hyte_goals


def is_index(metric: Metric, index: str) -> bool:
    """The metric is bound to the computed index `index` (the HYTE coefficient, the vitality index)."""
    binding = metric.typed_binding
    return isinstance(binding, ComputedBinding) and binding.index == index


def hyte_goal_ids(goals: list[Goal]) -> set[int]:
    """The goals under the focus area led by the HYTE working group (seed 000: hyvinvoinnin ja terveyden
    edistäminen), found by the group's key, as the grants app finds it."""
    by_pk = {g.pk: g for g in goals}
    roots = {
        g.pk
        for g in goals
        if g.parent_id is None and g.responsible is not None and g.responsible.key.endswith("hyte-tyoryhma")
    }
    found = set()
    for goal in goals:
        top = goal
        while top.parent_id is not None and top.parent_id in by_pk:
            top = by_pk[top.parent_id]
        if top.pk in roots:
            found.add(goal.pk)
    return found


def follow_up_report(
    *,
    region: Region,
    year: int,
    language: str = "fi",
    municipality_code: str = "",
    kind: str = FOLLOW_UP,
    draw_charts: bool = True,
    county_code: str | None = None,
) -> FollowUpReport:
    """The yearly follow-up report of the region's strategy (or one municipality's edition of it), in
    `language`; `kind` WELFARE follows the structure of a municipal welfare report (needs a municipality).
    `county_code` (not None) makes the wellbeing services county's edition ("" for the region's only county)."""
    if kind not in KINDS:
        raise NotFound(f"no report kind '{kind}'")
    if kind == WELFARE and not municipality_code:
        raise NotFound("a welfare report is made for one municipality")
    if county_code is not None and municipality_code:
        raise NotFound("an edition is for one municipality or for the county, not both")
    with translation.override(language):
        municipality = municipality_of(region, municipality_code, year=year) if municipality_code else None
        county = county_edition.county_of(region, county_code, year=year) if county_code is not None else None
        area = municipality or county
        board = dashboard_selectors.dashboard(region=region, year=year)
        entries = {
            card.metric.pk: _entry(
                card, region=region, municipality=municipality, area=area, language=language, draw=draw_charts
            )
            for card in board.cards
        }
        manual_keys = [c.metric.key for c in board.cards if c.metric.binding_type == BindingType.MANUAL]
        evidence = evidence_of(region, year=year, metric_keys=manual_keys)
        for entry in entries.values():
            entry.evidence = evidence.get(entry.metric.key, [])
        goals = list(board.version.goals.select_related("responsible"))
        hyte_goals = hyte_goal_ids(goals)
        ordered = [entries[c.metric.pk] for c in board.cards]
        availability = []
        if area is not None:
            availability = [
                _availability(entry)
                for entry in ordered
                if is_hyte(entry.metric, hyte_goals) or entry.metric.binding_type == BindingType.DATABANK
            ]
        return FollowUpReport(
            region=region,
            board=board,
            year=year,
            language=language,
            kind=kind,
            municipality=municipality,
            county=county,
            goals=_flatten(board.main_goals + board.focus_areas, 0, entries),
            manual=[
                e
                for e in ordered
                if e.metric.binding_type == BindingType.MANUAL
                and (county is None or county_edition.reported_by_county(e.metric))
            ],
            actions=actions_of(board),
            survey_metrics=[e for e in ordered if e.metric.binding_type == BindingType.SURVEY],
            hyte=[e for e in ordered if is_hyte(e.metric, hyte_goals)],
            vitality=[e for e in ordered if is_index(e.metric, VITALITY_INDEX)],
            availability=availability,
            population=population_of(area, year=year) if area is not None else [],
            survey_results=sections.survey_results(region=region, year=year, metrics=[c.metric for c in board.cards]),
            funding=county_edition.county_funding(region, county, year=year)
            if county is not None
            else sections.funding_section(region=region, year=year, municipality=municipality),
            inequalities=[
                inequality_of(
                    metric=e.metric,
                    indicator=e.card.data.indicator if e.card.data else None,
                    area=region.area,
                    direction=e.card.assessment.direction,
                    series=e.card.data.series if e.card.data else None,
                    up_to=year,
                )
                for e in ordered
                if in_report(e.metric)
            ],
            project_rows=projects_of_year(region, year),
            report_comments=report_comments(region, year),
        )


def _availability(entry: MetricEntry) -> IndicatorAvailability:
    data = entry.card.data
    if entry.own is None or data is None:
        return IndicatorAvailability(entry=entry, year=None, value=None, region_value=None, country_value=None)
    year, value = entry.own
    return IndicatorAvailability(
        entry=entry, year=year, value=value, region_value=data.values.get(year), country_value=data.country_value(year)
    )


def population_of(area: Area, *, year: int) -> list[tuple[int, float]]:
    """The area's population 31.12. (Sotkanet 127) in the data bank, the last six years up to `year`."""
    source, external_id = POPULATION
    rows = Observation.objects.filter(
        indicator__source__key=source,
        indicator__external_id=external_id,
        area=area,
        gender="total",
        classification="",
        year__lte=year,
        value__isnull=False,
    ).order_by("-year")[:6]
    return sorted((o.year, o.value) for o in rows if o.value is not None)


def actions_of(board: Dashboard) -> list[ActionEntry]:
    rows = action_rows(board.version, ActionFilters())
    notes: dict[int, str] = {}
    for note in ProgressNote.objects.filter(action__in=[r.action for r in rows]).order_by("written_at", "pk"):
        notes[note.action_id] = note.text
    return [ActionEntry(action=r.action, interface=r.interface, latest_note=notes.get(r.action.pk, "")) for r in rows]


def gaps(*, region: Region, year: int) -> Summary:
    """The metrics of the region's strategy without data for `year`, grouped by who is responsible (the data gaps
    page); the report's last section is the same list."""
    board = dashboard_selectors.dashboard(region=region, year=year)
    return Summary(gaps=gaps_of(board), year=year)


def report_index(region: Region) -> dict[str, Any]:
    """What the region's reports page offers: the follow-up years and the municipalities of the latest one."""
    year = dashboard_selectors.default_year()
    version = version_in_force(region, year)
    if version is None:
        raise NotFound(f"{region} has no strategy")
    years = list(range(max(year, version.period_start), version.period_start - 1, -1))
    return {
        "years": years,
        "year": year,
        "municipalities": list(members_of(region.area, year=year)),
        "counties": county_edition.counties(region, year=year),
    }
