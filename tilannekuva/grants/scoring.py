"""Scoring and allocation: an application's weighted score from the reviews and the priority fit, the ranking,
the allocation proposal within the round's budget, and the equal shares of the yearly report."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Application, Criterion, CriterionKind, GrantRound, Principles, Priority, PriorityStatus, Review

SCORE_MAX = 5


def accepted_priorities(principles: Principles) -> list[Priority]:
    return list(principles.priorities.filter(status=PriorityStatus.ACCEPTED).order_by("position", "pk"))


def scored_criteria(principles: Principles) -> list[Criterion]:
    return [c for c in principles.criteria.all() if c.kind == CriterionKind.SCORED]


@dataclass
class CriterionResult:
    criterion: Criterion
    score: float | None  # 0..5
    note: str

    @property
    def points(self) -> float | None:
        return None if self.score is None else self.score / SCORE_MAX


@dataclass
class WeightedScore:
    """An application's weighted score (0–100) and how it came about, criterion by criterion."""

    application: Application
    results: list[CriterionResult]
    reviews: int

    @property
    def quality(self) -> float:
        """0..1: the weighted mean of the reviewers' criteria (everything but the priority fit); 1 when the round
        scores nothing but the priority fit."""
        scored = [r for r in self.results if r.criterion.kind != CriterionKind.PRIORITY_FIT]
        weight = sum(r.criterion.weight for r in scored)
        if not weight:
            return 1.0
        return sum(r.criterion.weight * (r.score or 0) / SCORE_MAX for r in scored) / weight

    @property
    def total(self) -> float | None:
        """0..100. The priority fit counts in proportion to the quality (docs/DECISIONS.md, "Trust guards"): a
        weak application cannot climb on a ticked priority, and the total never exceeds the quality score."""
        weight = sum(r.criterion.weight for r in self.results)
        if not self.results or weight == 0 or any(r.score is None for r in self.results):
            return None
        quality = self.quality
        points = 0.0
        for r in self.results:
            factor = quality if r.criterion.kind == CriterionKind.PRIORITY_FIT else 1.0
            points += r.criterion.weight * (r.score or 0) / SCORE_MAX * factor
        return round(100 * points / weight, 1)

    @property
    def explanation(self) -> list[str]:
        weight = sum(r.criterion.weight for r in self.results) or 1
        lines = []
        for r in self.results:
            share = round(100 * r.criterion.weight / weight)
            shown = "–" if r.score is None else number_format(_one_decimal(r.score), decimal_pos=1, use_l10n=True)
            note = r.note
            if r.criterion.kind == CriterionKind.PRIORITY_FIT:
                note += " " + _("Counted in proportion to the quality score (%(share)s %%).") % {
                    "share": round(100 * self.quality)
                }
            lines.append(f"{r.criterion.title} ({share} %): {shown} / {SCORE_MAX}. {note}")
        return lines


def priority_fit(application_priorities: Iterable[Priority], all_priorities: Sequence[Priority]) -> tuple[float, str]:
    """0..5: the highest weight among the priorities addressed, against the highest weight of the year."""
    chosen = list(application_priorities)
    top = max((p.weight for p in all_priorities), default=0)
    if not chosen or top == 0:
        return 0.0, _("No priority addressed.")
    best = max(p.weight for p in chosen)
    names = ", ".join(f"{p.title} ({p.weight})" for p in sorted(chosen, key=lambda p: -p.weight))
    return SCORE_MAX * best / top, _(
        "Priorities addressed (weight): %(names)s; highest weight %(best)s of %(top)s."
    ) % {
        "names": names,
        "best": best,
        "top": top,
    }


def weighted_score(
    application: Application,
    *,
    criteria: Sequence[Criterion],
    all_priorities: Sequence[Priority],
    reviews: Sequence[Review],
) -> WeightedScore:
    """Each scored criterion's mean over the reviews given; the priority fit computed; weighted by the criteria's
    weights into 0–100. Without any review the score is not yet known."""
    results = []
    for criterion in criteria:
        if criterion.kind == CriterionKind.PRIORITY_FIT:
            score, note = priority_fit(application.priorities.all(), all_priorities)
            results.append(CriterionResult(criterion, score, note))
            continue
        values = [s.score for r in reviews for s in r.scores.all() if s.criterion_id == criterion.pk]
        if not values:
            results.append(CriterionResult(criterion, None, _("No reviews yet.")))
        else:
            mean = sum(values) / len(values)
            results.append(
                CriterionResult(
                    criterion,
                    mean,
                    _("Mean of %(count)s reviews: %(scores)s.")
                    % {
                        "count": len(values),
                        "scores": ", ".join(str(v) for v in values),
                    },
                )
            )
    return WeightedScore(application, results, len(reviews))


def round_scores(grant_round: GrantRound) -> list[WeightedScore]:
    """Every application of the round with its weighted score, in rank order (see `rank`)."""
    principles = grant_round.principles
    criteria = list(principles.criteria.all())
    priorities = accepted_priorities(principles)
    applications = grant_round.applications.prefetch_related("priorities", "reviews__scores", "municipalities")
    scores = [
        weighted_score(a, criteria=criteria, all_priorities=priorities, reviews=list(a.reviews.all()))
        for a in applications
    ]
    return rank(scores)


def rank(scores: list[WeightedScore]) -> list[WeightedScore]:
    """Highest weighted score first; a tie goes to the smaller amount applied, then the earlier application.
    Applications not yet scored come last."""
    return sorted(
        scores,
        key=lambda s: (
            s.total is None,
            -(s.total or 0),
            s.application.amount_applied,
            s.application.submitted_at,
            s.application.pk,
        ),
    )


# --- allocation ------------------------------------------------------------------------------------------------

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Claim:
    """What the allocation needs of an application: its place in the ranking, score and amount applied."""

    key: int
    score: float | None
    amount: Decimal


def allocate(
    claims: Sequence[Claim], *, budget: Decimal, min_score: float, max_grant: Decimal | None = None
) -> dict[int, Decimal]:
    """Greedy by rank, whole grants only: going down the ranking, each application scoring at least `min_score`
    gets what it applied for (at most `max_grant`) if that fits in what is left of the budget; one that does not
    fit whole gets nothing (no share it did not ask for) and the next ones are tried. What is left over stays
    unallocated for the funder to decide. The sum never exceeds the budget."""
    remaining = max(Decimal(0), budget.quantize(CENT, rounding=ROUND_HALF_UP))
    if remaining > budget:
        remaining -= CENT
    granted: dict[int, Decimal] = {}
    for claim in claims:
        wanted = max(Decimal(0), claim.amount)
        if max_grant is not None:
            wanted = min(wanted, max(Decimal(0), max_grant))
        wanted = wanted.quantize(CENT, rounding=ROUND_HALF_UP)
        if claim.score is None or claim.score < min_score or remaining <= 0:
            granted[claim.key] = Decimal(0)
            continue
        grant = wanted if wanted <= remaining else Decimal(0)
        granted[claim.key] = grant
        remaining -= grant
    return granted


def allocation_proposal(grant_round: GrantRound, scores: Sequence[WeightedScore] | None = None) -> dict[int, Decimal]:
    scores = round_scores(grant_round) if scores is None else scores
    claims = [Claim(s.application.pk, s.total, s.application.amount_applied) for s in scores]
    return allocate(claims, budget=grant_round.budget, min_score=grant_round.min_score, max_grant=grant_round.max_grant)


def split(amount: Decimal, keys: Sequence[Any]) -> dict[Any, Decimal]:
    """`amount` in equal shares over `keys` (the report's rule for an application with several priorities,
    municipalities or target groups); the cents left over go to the first keys, so the shares sum to `amount`."""
    if not keys:
        return {}
    share = (amount / len(keys)).quantize(CENT, rounding="ROUND_DOWN")
    shares = dict.fromkeys(keys, share)
    left = amount - share * len(keys)
    for k in keys:
        if left <= 0:
            break
        shares[k] += CENT
        left -= CENT
    return shares


def by_key(pairs: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for key, amount in pairs:
        totals[key] += amount
    return dict(totals)


def _one_decimal(value: float | Decimal) -> Decimal:
    """Rounded half up to one decimal: number_format alone cuts off the further digits (3.67 → "3,6")."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
