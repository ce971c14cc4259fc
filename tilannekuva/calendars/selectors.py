"""Reads of the annual calendar: a region's events of a year, made of its own entries, the statutory dates and
what the other apps already know (follow-up deadlines, surveys, meetings, grant rounds, statement rounds, project
milestones), never copied; the obligations with their scheduling; and the groups' rhythm against their meetings."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tilannekuva.cooperation.models import Meeting
from tilannekuva.followup.models import ReportingPeriod
from tilannekuva.grants.models import GrantRound
from tilannekuva.projects.models import Milestone
from tilannekuva.regions.models import Region
from tilannekuva.statements.models import StatementRound
from tilannekuva.strategy.models import Group
from tilannekuva.strategy.selectors import version_in_force
from tilannekuva.surveys.models import Survey, SurveyStatus

from .models import CalendarEntry, EventKind, Recurrence
from .obligations import Obligation, obligations

# Where an event comes from, shown beside it: the calendar derives, it does not copy.
FROM_ENTRY, FROM_STATUTE, FROM_FOLLOWUP, FROM_SURVEY, FROM_MEETING, FROM_GRANTS, FROM_STATEMENTS, FROM_PROJECT = (
    "entry",
    "statute",
    "followup",
    "survey",
    "meeting",
    "grants",
    "statements",
    "project",
)


@dataclass
class CalendarEvent:
    uid: str
    date: datetime.date
    title: str
    kind: str
    origin: str
    public: bool
    url: str = ""
    description: str = ""
    source: str = ""
    group_key: str = ""
    demo: bool = False
    recurrence: str = Recurrence.ONCE
    entry: CalendarEntry | None = None

    @property
    def kind_label(self) -> str:
        return str(EventKind(self.kind).label)

    @property
    def origin_label(self) -> str:
        return {
            FROM_ENTRY: _("the region's own calendar"),
            FROM_STATUTE: _("date set by statute"),
            FROM_FOLLOWUP: _("the follow-up"),
            FROM_SURVEY: _("surveys"),
            FROM_MEETING: _("meetings of the groups"),
            FROM_GRANTS: _("grant rounds"),
            FROM_STATEMENTS: _("statement rounds"),
            FROM_PROJECT: _("projects"),
        }[self.origin]


def _statutory(year: int) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=f"obligation-{o.key}-{year}",
            date=date,
            title=o.title,
            kind=o.kind,
            origin=FROM_STATUTE,
            public=True,
            description=o.date_rule,
            source=o.source,
        )
        for o in obligations()
        if (date := o.date_in(year)) is not None
    ]


def _entries(region: Region, year: int) -> list[CalendarEvent]:
    found = []
    for entry in CalendarEntry.objects.filter(region=region, date__year__lte=year):
        date = entry.occurs_in(year)
        if date is None:
            continue
        found.append(
            CalendarEvent(
                uid=f"entry-{entry.pk}-{year}",
                date=date,
                title=entry.title,
                kind=entry.kind,
                origin=FROM_ENTRY,
                public=entry.public,
                description=entry.description,
                source=entry.source,
                group_key=entry.group_key,
                demo=entry.demo,
                recurrence=entry.recurrence,
                entry=entry,
            )
        )
    return found


def group_names(region: Region) -> dict[str, str]:
    """Each group's name by its key, as the version in force names it (a key it no longer has: as the latest
    version that had it)."""
    rows = Group.objects.filter(version__strategy__region=region).order_by("version__year").values_list("key", "name")
    names = dict(rows)
    if (in_force := version_in_force(region)) is not None:
        names.update(in_force.groups.values_list("key", "name"))
    return names


def _derived(region: Region, year: int) -> list[CalendarEvent]:
    slug = region.slug
    found = []
    for period in ReportingPeriod.objects.filter(region=region, deadline__year=year):
        found.append(
            CalendarEvent(
                uid=f"followup-{period.pk}",
                date=period.deadline,
                title=_("Follow-up of %(year)s: deadline for reporting") % {"year": period.year},
                kind=EventKind.FOLLOWUP,
                origin=FROM_FOLLOWUP,
                public=False,
                url=reverse("followup:overview", args=[slug]) + f"?year={period.year}",
            )
        )
    for survey in Survey.objects.filter(region=region).exclude(status=SurveyStatus.DRAFT):
        for day, edge, what in (
            (survey.opens_on, "opens", pgettext("calendar event", "opens")),
            (survey.closes_on, "closes", pgettext("calendar event", "closes")),
        ):
            if day is not None and day.year == year:
                found.append(
                    CalendarEvent(
                        uid=f"survey-{survey.pk}-{edge}",  # the key, not the translated word: one UID in every language
                        date=day,
                        title=f"{survey.title} {survey.year}: {what}",
                        kind=EventKind.SURVEY,
                        origin=FROM_SURVEY,
                        public=False,
                        url=reverse("surveys:list", args=[slug]),
                        demo=survey.demo,
                    )
                )
    names = group_names(region)
    for meeting in Meeting.objects.filter(region=region, date__year=year):
        found.append(
            CalendarEvent(
                uid=f"meeting-{meeting.pk}",
                date=meeting.date,
                title=f"{names.get(meeting.group_key, meeting.group_key)}: {meeting.title}",
                kind=EventKind.MEETING,
                origin=FROM_MEETING,
                public=False,
                url=reverse("cooperation:group", args=[slug, meeting.group_key]),
                group_key=meeting.group_key,
            )
        )
    for grant_round in GrantRound.objects.filter(principles__region=region).select_related("funder"):
        for day, edge, what in (
            (grant_round.opens_on, "opens", pgettext("calendar event", "opens")),
            (grant_round.closes_on, "closes", pgettext("calendar event", "closes")),
        ):
            if day.year == year:
                found.append(
                    CalendarEvent(
                        uid=f"grants-{grant_round.pk}-{edge}",
                        date=day,
                        title=f"{grant_round.title} ({grant_round.funder}): {what}",
                        kind=EventKind.GRANTS,
                        origin=FROM_GRANTS,
                        public=True,
                        url=reverse("grants:round", args=[slug, grant_round.pk]),
                        demo=grant_round.is_demo,
                    )
                )
    for statement_round in StatementRound.objects.filter(region=region, deadline__year=year):
        found.append(
            CalendarEvent(
                uid=f"statements-{statement_round.pk}",
                date=statement_round.deadline,
                title=_("Statements due: %(title)s") % {"title": statement_round.title},
                kind=EventKind.STATEMENTS,
                origin=FROM_STATEMENTS,
                public=False,
                url=reverse("statements:round", args=[slug, statement_round.pk]),
                demo=statement_round.demo,
            )
        )
    for milestone in Milestone.objects.filter(project__region=region, due__year=year).select_related("project"):
        found.append(
            CalendarEvent(
                uid=f"milestone-{milestone.pk}",
                date=milestone.due,
                title=f"{milestone.project.name}: {milestone.title}",
                kind=EventKind.PROJECT,
                origin=FROM_PROJECT,
                public=True,
                url=reverse("projects:detail", args=[slug, milestone.project_id]),
                group_key=milestone.project.group_key,
                demo=milestone.project.demo,
            )
        )
    return found


def events(region: Region, year: int, *, internal: bool) -> list[CalendarEvent]:
    """The region's events of `year` in date order; without `internal`, only those anyone may see."""
    found = _statutory(year) + _entries(region, year) + _derived(region, year)
    if not internal:
        found = [e for e in found if e.public]
    return sorted(found, key=lambda e: (e.date, e.title))


def events_between(region: Region, first: datetime.date, last: datetime.date) -> list[CalendarEvent]:
    """Every event (internal ones too) from `first` to `last`, for the reminders."""
    found = []
    for year in range(first.year, last.year + 1):
        found += [e for e in events(region, year, internal=True) if first <= e.date <= last]
    return found


@dataclass
class Month:
    number: int
    first_day: datetime.date
    events: list[CalendarEvent] = field(default_factory=list)


def months(found: list[CalendarEvent], year: int) -> list[Month]:
    by_month: dict[int, list[CalendarEvent]] = defaultdict(list)
    for event in found:
        by_month[event.date.month].append(event)
    return [Month(number=m, first_day=datetime.date(year, m, 1), events=by_month[m]) for m in range(1, 13)]


@dataclass
class ObligationRow:
    obligation: Obligation
    scheduled: list[CalendarEntry]

    @property
    def statutory_date(self) -> bool:
        return self.obligation.has_date


def obligation_rows(region: Region) -> list[ObligationRow]:
    """Each obligation with the region's entries that schedule it (by key, or by kind where none names a key)."""
    entries = list(CalendarEntry.objects.filter(region=region))
    rows = []
    for o in obligations():
        scheduled = [e for e in entries if e.obligation_key == o.key]
        rows.append(ObligationRow(obligation=o, scheduled=scheduled))
    return rows


@dataclass
class GroupRhythm:
    key: str
    name: str
    cadence: str
    meetings: int


def group_rhythms(region: Region, year: int, *, internal: bool) -> list[GroupRhythm]:
    """The groups of the version in force whose source says how often they meet, with the meetings recorded in
    the year (counted only for those with a role in the region, who see the meetings)."""
    version = version_in_force(region, year)
    if version is None:
        return []
    counts: dict[str, int] = defaultdict(int)
    if internal:
        for key in Meeting.objects.filter(region=region, date__year=year).values_list("group_key", flat=True):
            counts[key] += 1
    return [
        GroupRhythm(key=g.key, name=g.name, cadence=g.cadence, meetings=counts[g.key])
        for g in version.groups.exclude(cadence="").order_by("position")
    ]
