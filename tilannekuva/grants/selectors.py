"""Reads for the grant pages: a region's principles and rounds, a round's ranking, the yearly report, the overlap
of funders, and of a round whether it is open and who may manage and review it."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tilannekuva.core import charts
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_manage_grant_round, can_review_grants

from . import scoring
from .models import Application, Conflict, GrantRound, Principles, PrinciplesStatus, Review, TargetGroup


class NotFound(LookupError):
    """No such region, round or application."""


def published_principles(region: Region, year: int | None = None) -> Principles | None:
    found = Principles.objects.filter(region=region, status=PrinciplesStatus.PUBLISHED)
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-year").first()


def rounds_of(region: Region, *, published_only: bool = True) -> QuerySet[GrantRound]:
    rounds = GrantRound.objects.filter(principles__region=region).select_related("funder", "principles")
    if published_only:
        rounds = rounds.filter(principles__status=PrinciplesStatus.PUBLISHED)
    return rounds.order_by("-opens_on", "pk")


def round_for(region: Region, pk: int, *, published_only: bool = True) -> GrantRound:
    found = rounds_of(region, published_only=published_only).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"no grant round {pk} in {region}")
    return found


def application_for(region: Region, pk: int) -> Application:
    found = (
        Application.objects.select_related("round__principles__region", "round__funder")
        .prefetch_related("priorities", "municipalities", "attachments")
        .filter(pk=pk, round__principles__region=region)
        .first()
    )
    if found is None:
        raise NotFound(f"no application {pk} in {region}")
    return found


@dataclass
class ReviewPage:
    """A reviewer's view of one application: their own review, and the others' only once their own is given."""

    application: Application
    own: Review | None
    others: list[Review]
    score: scoring.WeightedScore
    may_review: bool
    may_manage: bool
    conflict: Conflict | None = None  # the user's declared conflict of interest in this application

    @property
    def others_visible(self) -> bool:
        if self.conflict is not None:
            return False
        return self.own is not None or (self.may_manage and not self.may_review)


def review_page(*, application: Application, user: Any) -> ReviewPage:
    grant_round = application.round
    reviews = list(application.reviews.select_related("reviewer").prefetch_related("scores__criterion"))
    own = next((r for r in reviews if r.reviewer_id == user.pk), None)
    criteria = list(grant_round.principles.criteria.all())
    priorities = scoring.accepted_priorities(grant_round.principles)
    return ReviewPage(
        application=application,
        own=own,
        others=[r for r in reviews if r.reviewer_id != user.pk],
        score=scoring.weighted_score(application, criteria=criteria, all_priorities=priorities, reviews=reviews),
        may_review=may_review(user, grant_round),
        may_manage=may_manage(user, grant_round),
        conflict=Conflict.objects.filter(application=application, reviewer_id=user.pk).first(),
    )


@dataclass
class RankedRow:
    position: int
    score: scoring.WeightedScore
    proposed: Decimal
    own_review_given: bool
    note: str = ""  # why the proposal is not what was applied for, when it is not


def _proposal_note(grant_round: GrantRound, score: scoring.WeightedScore, proposed: Decimal) -> str:
    applied = score.application.amount_applied
    if score.total is None or score.total < grant_round.min_score or proposed == applied:
        return ""
    if proposed == 0:
        return _("Does not fit whole in what is left of the budget: no partial grant is proposed.")
    return _("Capped at the round's largest grant: %(proposed)s € of the %(applied)s € applied for.") % {
        "proposed": number_format(proposed, decimal_pos=2, use_l10n=True, force_grouping=True),
        "applied": number_format(applied, decimal_pos=2, use_l10n=True, force_grouping=True),
    }


def ranking(grant_round: GrantRound, *, user: Any) -> list[RankedRow]:
    scores = scoring.round_scores(grant_round)
    proposal = scoring.allocation_proposal(grant_round, scores)
    return [
        RankedRow(
            position=i,
            score=s,
            proposed=proposal[s.application.pk],
            own_review_given=any(r.reviewer_id == user.pk for r in s.application.reviews.all())
            or any(c.reviewer_id == user.pk for c in s.application.conflicts.all()),
            note=_proposal_note(grant_round, s, proposal[s.application.pk]),
        )
        for i, s in enumerate(scores, start=1)
    ]


def review_counts(rows: list[RankedRow]) -> tuple[int, int] | None:
    """(fewest, most) reviews among the scored applications when they differ: the ranking then compares scores
    of unequal reliability, and says so."""
    counts = {row.score.reviews for row in rows if row.score.reviews}
    return (min(counts), max(counts)) if len(counts) > 1 else None


def ranking_visible(rows: list[RankedRow], *, may_manage: bool, may_review: bool) -> bool:
    """The ranking, the scores and the proposal reveal the other reviewers' scores: a reviewer sees them once they
    have scored every application; a manager who is not a reviewer of the round sees them always."""
    if may_review:
        return all(row.own_review_given for row in rows)
    return may_manage


@dataclass
class Breakdown:
    """Money granted by one dimension: rows of (label, euros), largest first, with the chart of the same rows."""

    key: str
    title: str
    rows: list[tuple[str, Decimal]]
    spec: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((amount for _label, amount in self.rows), Decimal(0))

    @property
    def chart_id(self) -> str:
        return f"{self.key}-chart"


def _whole_euros(spec: dict[str, Any]) -> None:
    """Label the bars in whole euros like the tables (the chart helper's labels keep one decimal: "6 000,0")."""
    for tip in spec["encoding"].get("tooltip", []):
        if tip.get("type") == "quantitative":
            tip["format"] = ",.0f"
    for layer in spec.get("layer", []):
        text = layer.get("encoding", {}).get("text")
        if text is not None:
            text["format"] = ",.0f"


@dataclass
class YearReport:
    region: Region
    year: int
    years: list[int]
    principles: Principles | None
    granted: list[Application]
    breakdowns: list[Breakdown]
    applications: int
    demo: bool

    @property
    def total(self) -> Decimal:
        return sum((a.granted_amount or Decimal(0) for a in self.granted), Decimal(0))


def report_years(region: Region) -> list[int]:
    years = GrantRound.objects.filter(principles__region=region, decided_at__isnull=False)
    return sorted(set(years.values_list("principles__year", flat=True)), reverse=True)


def year_report(*, region: Region, year: int | None, titles: dict[str, str], language: str) -> YearReport:
    """Money granted in the year's decided rounds by priority, municipality, target group and funder. An
    application with several priorities, municipalities or target groups counts in equal shares in each."""
    years = report_years(region)
    chosen = year if year is not None else (years[0] if years else timezone.localdate().year)
    applications = list(
        Application.objects.filter(
            round__principles__region=region, round__principles__year=chosen, round__decided_at__isnull=False
        )
        .select_related("round__funder")
        .prefetch_related("priorities", "municipalities")
    )
    granted = [a for a in applications if a.granted_amount]
    groups = dict(TargetGroup.choices)
    pairs: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for a in granted:
        amount = a.granted_amount or Decimal(0)
        pairs["priority"] += list(scoring.split(amount, [p.title for p in a.priorities.all()]).items())
        pairs["municipality"] += list(scoring.split(amount, [m.name for m in a.municipalities.all()]).items())
        pairs["target_group"] += list(scoring.split(amount, [str(groups.get(g, g)) for g in a.target_groups]).items())
        pairs["funder"].append((str(a.round.funder), amount))
    breakdowns = []
    for key in ("priority", "municipality", "target_group", "funder"):
        rows = sorted(scoring.by_key(pairs[key]).items(), key=lambda r: (-r[1], r[0]))
        spec = charts.bar_chart(
            [{"label": label, "value": float(amount)} for label, amount in rows],
            title=titles[key],
            x_title=titles["euros"],
            language=language,
        )
        _whole_euros(spec)
        breakdowns.append(Breakdown(key, titles[key], rows, spec))
    return YearReport(
        region=region,
        year=chosen,
        years=years,
        principles=published_principles(region, chosen),
        granted=sorted(granted, key=lambda a: (str(a.round.funder), a.association)),
        breakdowns=breakdowns,
        applications=len(applications),
        demo=any(a.is_demo for a in applications),
    )


@dataclass
class Overlap:
    """One association (by business id) with grants or applications from several funders in a year."""

    business_id: str
    association: str
    year: int
    applications: list[Application]

    @property
    def funders(self) -> list[str]:
        return sorted({str(a.round.funder) for a in self.applications})

    @property
    def granted(self) -> Decimal:
        return sum((a.granted_amount or Decimal(0) for a in self.applications), Decimal(0))

    @property
    def same_activity(self) -> bool:
        """The same activity (by its name, case and spaces aside) applied for from more than one funder."""
        by_activity: dict[str, set[int]] = defaultdict(set)
        for a in self.applications:
            by_activity[" ".join(a.activity.casefold().split())].add(a.round.funder_id)
        return any(len(funders) > 1 for funders in by_activity.values())


def overlaps(region: Region) -> list[Overlap]:
    """Associations that applied to more than one funder in the same year, newest year first."""
    grouped: dict[tuple[int, str], list[Application]] = defaultdict(list)
    for a in Application.objects.filter(round__principles__region=region).select_related(
        "round__funder", "round__principles"
    ):
        grouped[(a.round.principles.year, a.business_id)].append(a)
    found = []
    for (year, business_id), applications in grouped.items():
        if len({a.round.funder_id for a in applications}) > 1:
            found.append(Overlap(business_id, applications[0].association, year, applications))
    return sorted(found, key=lambda o: (-o.year, not o.same_activity, o.association))


# --- rounds: open or not, who may manage and review them, an application by its private link ------------------


def is_open(grant_round: GrantRound, today: Any = None) -> bool:
    today = today or timezone.localdate()
    return grant_round.principles.is_published and grant_round.opens_on <= today <= grant_round.closes_on


def reviewer_ids(grant_round: GrantRound) -> set[int]:
    return set(grant_round.reviewers.values_list("user_id", flat=True))


def may_manage(user: Any, grant_round: GrantRound) -> bool:
    return can_manage_grant_round(user, region=grant_round.region, funder_id=grant_round.funder_id)


def may_review(user: Any, grant_round: GrantRound) -> bool:
    return can_review_grants(user, region=grant_round.region, reviewer_ids=reviewer_ids(grant_round))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def application_for_token(token: str) -> Application | None:
    return (
        Application.objects.select_related("round__principles__region", "round__funder")
        .filter(token_hash=token_hash(token))
        .first()
    )
