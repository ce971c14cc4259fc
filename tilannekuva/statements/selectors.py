"""Reads of the statement rounds: which rounds a visitor may see, and one round's page with its statements grouped
by goal, each with its answer."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_view_dashboard, can_view_internal, organisations_edited
from tilannekuva.strategy.models import Goal, StrategyVersion, VersionStatus

from .models import RoundStatus, Statement, StatementRequest, StatementRound


def visible_rounds(user: Any, region: Region) -> QuerySet[StatementRound]:
    """Those with a role in the region see every round; others, where the dashboard is public, the closed rounds
    of approved versions: the statements and answers are then part of the approved strategy's record."""
    rounds = StatementRound.objects.filter(region=region).select_related("version")
    if can_view_internal(user, region):
        return rounds
    if can_view_dashboard(user, region):
        return rounds.filter(status=RoundStatus.CLOSED, version__status=VersionStatus.APPROVED)
    return rounds.none()


def round_list(user: Any, region: Region) -> list[StatementRound]:
    return list(
        visible_rounds(user, region).annotate(
            requested=Count("requests", distinct=True), given=Count("requests__statements", distinct=True)
        )
    )


def draft_versions(region: Region) -> list[StrategyVersion]:
    return list(StrategyVersion.objects.filter(strategy__region=region, status=VersionStatus.DRAFT).order_by("-year"))


@dataclass
class GoalStatements:
    goal: Goal | None
    statements: list[Statement] = field(default_factory=list)


@dataclass
class RoundPage:
    round: StatementRound
    requests: list[StatementRequest]
    by_goal: list[GoalStatements]
    goals: list[Goal]
    mine: list[StatementRequest]  # the requests the user may answer for (their organisations')
    internal: bool

    @property
    def approved(self) -> bool:
        return self.round.version.status == VersionStatus.APPROVED

    @property
    def unanswered(self) -> int:
        return sum(1 for group in self.by_goal for s in group.statements if not hasattr(s, "answer"))


def round_page(user: Any, statement_round: StatementRound) -> RoundPage:
    region = statement_round.region
    statements = Statement.objects.select_related("goal", "answer", "submitted_by", "request__organisation")
    requests = list(
        statement_round.requests.select_related("organisation").prefetch_related(
            Prefetch("statements", queryset=statements)
        )
    )
    goals = list(statement_round.version.goals.order_by("position"))
    order = {g.pk: i for i, g in enumerate(goals)}
    groups: dict[int | None, GoalStatements] = {}
    for request in requests:
        for statement in request.statements.all():
            groups.setdefault(statement.goal_id, GoalStatements(statement.goal)).statements.append(statement)
    by_goal = sorted(groups.values(), key=lambda g: -1 if g.goal is None else order.get(g.goal.pk, len(order)))
    edited = set(organisations_edited(user, region))
    return RoundPage(
        round=statement_round,
        requests=requests,
        by_goal=by_goal,
        goals=goals,
        mine=[r for r in requests if r.organisation_id in edited],
        internal=can_view_internal(user, region),
    )
