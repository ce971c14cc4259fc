"""Reads of the projects: the region's list, one project's page (its risk register and progress reports for those
with a role in the region) and the projects of a follow-up year for the yearly report."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import Action, Goal
from tilannekuva.strategy.selectors import version_in_force

from .models import Funding, Milestone, ProgressReport, Project, Risk

RISK_ICONS = {"high": "▲", "medium": "■", "low": "▽"}


@dataclass
class ProjectRow:
    project: Project
    goal: Goal | None
    action: Action | None
    funding: list[Funding] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    reports: list[ProgressReport] = field(default_factory=list)

    @property
    def funded(self) -> Decimal:
        return sum((f.amount for f in self.funding), Decimal("0"))

    @property
    def granted(self) -> Decimal:
        return sum((f.amount for f in self.funding if f.confirmed), Decimal("0"))

    @property
    def spent(self) -> Decimal | None:
        return next((r.spent for r in self.reports if r.spent is not None), None)

    @property
    def open_risks(self) -> list[Risk]:
        return [r for r in self.risks if r.status == "open"]

    @property
    def top_risk(self) -> Risk | None:
        return max(self.open_risks, key=lambda r: r.score, default=None)


def _projects(region: Region) -> QuerySet[Project]:
    return (
        Project.objects.filter(region=region)
        .select_related("lead")
        .prefetch_related("funding", "milestones", "risks", Prefetch("progress_reports"))
    )


def _rows(projects: list[Project], region: Region, *, internal: bool, year: int | None = None) -> list[ProjectRow]:
    """The projects with the goal and action their keys name in the version in force in `year` (default: this
    year)."""
    version = version_in_force(region, year)
    goals = {g.key: g for g in version.goals.all()} if version else {}
    actions = {a.key: a for a in version.actions.select_related("goal")} if version else {}
    return [
        ProjectRow(
            project=p,
            goal=goals.get(p.goal_key) or (actions[p.action_key].goal if p.action_key in actions else None),
            action=actions.get(p.action_key),
            funding=list(p.funding.all()),
            milestones=list(p.milestones.all()),
            risks=list(p.risks.all()) if internal else [],
            reports=list(p.progress_reports.all()) if internal else [],
        )
        for p in projects
    ]


def project_list(region: Region, *, internal: bool) -> list[ProjectRow]:
    return _rows(list(_projects(region)), region, internal=internal)


def project_row(region: Region, pk: int, *, internal: bool) -> ProjectRow | None:
    found = list(_projects(region).filter(pk=pk))
    return _rows(found, region, internal=internal)[0] if found else None


def projects_of_year(region: Region, year: int) -> list[ProjectRow]:
    """The projects running at some point of `year` (for the yearly report): schedule, budget, funders and the
    year's milestones; the risk register stays internal."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    running = _projects(region).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=last), Q(ends_on__isnull=True) | Q(ends_on__gte=first)
    )
    rows = _rows(list(running), region, internal=False, year=year)
    for row in rows:
        row.milestones = [m for m in row.milestones if m.due.year == year]
    return rows


def report_context(region: Region, year: int) -> dict[str, Any]:
    return {"project_rows": projects_of_year(region, year), "risk_icons": RISK_ICONS}
