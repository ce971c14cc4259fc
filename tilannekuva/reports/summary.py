"""The report's first page and its structure: what improved, what worsened and what is missing per main goal,
told in sentences made only from the figures and the statuses (no prose of our own), the one grouped list of
the metrics without data for the year (with who is responsible and why), and the sections of the report in the
order of its kind, those without data collapsed into that list.

The same list of missing metrics is the data gaps page (`reports:gaps`), so the page and the report never
disagree."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tilannekuva.dashboard.selectors import Card, Dashboard, GoalNode
from tilannekuva.dashboard.status import Status, Trend

if TYPE_CHECKING:
    from .selectors import FollowUpReport

NAMES_SHOWN = 3  # metrics named per sentence; the rest are counted


@dataclass
class Gap:
    """A metric without data for the follow-up year: why, and who is expected to bring it."""

    card: Card
    reason: str

    @property
    def metric_title(self) -> str:
        return self.card.metric.title


@dataclass
class GapGroup:
    responsible: str
    gaps: list[Gap]


@dataclass
class GoalSummary:
    node: GoalNode
    improved: list[Card]
    worsened: list[Card]
    missing: list[Card]
    total: int
    status_counts: list[tuple[Status, int]]
    sentences: list[str]


@dataclass
class Section:
    """A section of the report: its anchor, its heading, and whether it has anything to show."""

    key: str
    title: str
    has_data: bool = True

    @property
    def template(self) -> str:
        return f"reports/sections/_{self.key.removesuffix('-title').removesuffix('-report')}.html"


@dataclass
class Summary:
    goals: list[GoalSummary] = field(default_factory=list)
    gaps: list[GapGroup] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    year: int | None = None

    @property
    def gap_count(self) -> int:
        return sum(len(group.gaps) for group in self.gaps)


def _value(card: Card, value: float) -> str:
    decimals = card.data.indicator.decimals if card.data and card.data.indicator else None
    shown = number_format(value, decimal_pos=decimals if decimals is not None else (0 if value == int(value) else 1))
    return f"{shown} {card.unit}".strip()


def _change(card: Card) -> str:
    """'Title 6,6 → 6,2 (2023–2024)': the two figures the trend was judged from."""
    before, after = card.previous, card.latest
    if before is None or after is None:
        return card.metric.title
    return f"{_short(card.metric.title)} {_value(card, before[1])} → {_value(card, after[1])} ({before[0]}–{after[0]})"


def _short(title: str, limit: int = 90) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _named(cards: list[Card], describe: bool) -> str:
    names = [_change(c) if describe else _short(c.metric.title) for c in cards[:NAMES_SHOWN]]
    if len(cards) > NAMES_SHOWN:
        names.append(_("%(count)s more") % {"count": len(cards) - NAMES_SHOWN})
    return "; ".join(names)


def gap_reason(card: Card, *, year: int) -> str:
    if card.latest is not None:
        return _("The latest value is from %(latest)s; none for %(year)s yet.") % {
            "latest": card.latest[0],
            "year": year,
        }
    if card.text:
        return _("Reported in words only; no figure for %(year)s.") % {"year": year}
    return card.no_data_label


def gaps_of(board: Dashboard) -> list[GapGroup]:
    """The metrics without data for the follow-up year, grouped by who is responsible for them."""
    groups: dict[str, list[Gap]] = {}
    for card in board.missing:
        name = card.responsible.name if card.responsible else _("No responsible group named")
        groups.setdefault(name, []).append(Gap(card=card, reason=gap_reason(card, year=board.year)))
    return [GapGroup(responsible=name, gaps=gaps) for name, gaps in sorted(groups.items())]


def goal_summary(node: GoalNode, *, year: int) -> GoalSummary:
    cards = node.all_cards
    improved = [c for c in cards if c.ready and c.trend == Trend.IMPROVED]
    worsened = [c for c in cards if c.ready and c.trend == Trend.WORSENED]
    missing = [c for c in cards if not c.ready]
    counts = [(status, sum(1 for c in cards if c.status == status)) for status in Status]
    sentences = []
    if not cards:
        sentences.append(_("No metrics are set for this goal."))
    else:
        sentences.append(
            _("%(ready)s of %(total)s metrics have a value for %(year)s.")
            % {"ready": len(cards) - len(missing), "total": len(cards), "year": year}
        )
        if improved:
            sentences.append(
                _("Improved from the previous value (%(count)s): %(names)s.")
                % {"count": len(improved), "names": _named(improved, True)}
            )
        if worsened:
            sentences.append(
                _("Worsened from the previous value (%(count)s): %(names)s.")
                % {"count": len(worsened), "names": _named(worsened, True)}
            )
        if not improved and not worsened and len(missing) < len(cards):
            sentences.append(_("None of the metrics with a value improved or worsened from the previous value."))
        if missing:
            sentences.append(
                _("Without data for %(year)s (%(count)s): %(names)s.")
                % {"year": year, "count": len(missing), "names": _named(missing, False)}
            )
    sentences = [sentence.replace("….", "…") for sentence in sentences]  # a shortened title ends the sentence
    shown = [(status, count) for status, count in counts if count]
    return GoalSummary(
        node=node,
        improved=improved,
        worsened=worsened,
        missing=missing,
        total=len(cards),
        status_counts=shown,
        sentences=sentences,
    )


def summary_of(board: Dashboard) -> Summary:
    goals = [goal_summary(node, year=board.year) for node in board.main_goals + board.focus_areas]
    improved = sum(len(g.improved) for g in goals)
    worsened = sum(len(g.worsened) for g in goals)
    sentences = [
        _(
            "Of the strategy's %(total)s metrics, %(ready)s have a value for %(year)s: %(improved)s improved and "
            "%(worsened)s worsened from their previous value; %(missing)s have no data for the year."
        )
        % {
            "total": len(board.cards),
            "ready": len(board.ready),
            "year": board.year,
            "improved": improved,
            "worsened": worsened,
            "missing": len(board.missing),
        }
    ]
    return Summary(goals=goals, gaps=gaps_of(board), sentences=sentences, year=board.year)


def sections_of(report: "FollowUpReport") -> list[Section]:
    """The report's sections in the order of its kind. The welfare report follows the structure of the
    municipal welfare report to the council (population and living conditions, the state of wellbeing and
    health, the structures that promote them, the evaluation of the actions, then what is missing); the
    county's edition puts the county's own figures first (the data bank's, those it reports, its HYTE share)."""
    board = report.board
    welfare = report.kind == "welfare"
    goals = Section(
        "goals-title", _("The state of wellbeing and health: goals and metrics") if welfare else _("Goals and metrics")
    )
    manual = Section("manual-title", _("Metrics reported by hand, with their evidence"), bool(report.manual))
    actions = Section(
        "actions-title",
        _("Evaluation of the actions") if welfare else _("Actions and their status"),
        bool(report.actions),
    )
    projects = Section("projects-title", _("Projects"), bool(report.project_rows))
    inequality = Section("inequality-report-title", _("Gaps within the region"), bool(report.inequalities))
    discussion = Section("discussion-title", _("From the partners' discussion"), bool(report.report_comments))
    surveys = Section(
        "surveys-title",
        pgettext("report section", "Survey results"),
        bool(report.survey_results or report.survey_metrics),
    )
    hyte = Section(
        "hyte-title",
        _("Structures that promote wellbeing: HYTE") if welfare else _("Promotion of wellbeing and health (HYTE)"),
        bool(report.funding.hyte_rows or report.hyte),
    )
    vitality = Section("vitality-title", _("Vitality"), bool(report.funding.vitality_rows or report.vitality))
    gaps = Section("gaps-title", _("Missing data and who is responsible"), bool(board.missing))
    population = Section("population-title", _("Population and living conditions"), bool(report.population))
    availability = Section(
        "availability-title",
        _("The strategy's HYTE indicators with data for %(municipality)s")
        % {"municipality": report.area.name if report.area is not None else ""},
        bool(report.availability),
    )
    if welfare:  # the welfare report says so even when there is nothing to show
        population.has_data = availability.has_data = True
        order = [population, availability, goals, hyte, surveys, inequality, actions, manual, projects, vitality]
    elif report.county is not None:
        manual.title = _("Metrics the county reports, with their evidence")
        hyte.title = _("The county's HYTE figures, with the region's beside")
        manual.has_data = bool(report.manual)
        order = [population, availability, manual, hyte, goals, surveys, inequality, actions, projects, vitality]
    else:
        order = [goals, manual, actions, projects, inequality, discussion, surveys, hyte, vitality]
    if welfare or report.county is not None:
        order.append(discussion)
    return [*order, gaps]
