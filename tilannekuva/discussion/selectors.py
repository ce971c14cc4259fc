"""Reads of the discussion: the subject a key names, a subject's thread, the region's recent comments, and the
comments chosen for a year's report."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import Action, Goal, Metric, StrategyVersion
from tilannekuva.strategy.selectors import version_in_force

from .models import Comment, CommentStatus, Subject

MODELS: dict[str, type[Model]] = {Subject.METRIC: Metric, Subject.GOAL: Goal, Subject.ACTION: Action}


def subject_object(region: Region, subject: str, key: str) -> Any | None:
    """The metric, goal or action with `key` in the version in force this year, else in the latest version that
    has it (a comment stays about a key the strategy has since dropped)."""
    model = MODELS.get(subject)
    if model is None:
        return None
    found = model._default_manager.filter(version__strategy__region=region, key=key)  # type: ignore[misc]
    in_force = version_in_force(region)
    return (in_force and found.filter(version=in_force).first()) or found.order_by("-version__year").first()


def title_of(obj: Any) -> str:
    return str(getattr(obj, "title", "") or obj)


@dataclass
class Node:
    comment: Comment
    replies: list["Node"] = field(default_factory=list)


def thread(region: Region, subject: str, key: str, *, moderator: bool) -> list[Node]:
    """The subject's comments as a tree. A hidden comment shows to moderators only; to others its replies still
    show, under a note that a comment was hidden."""
    comments = list(
        Comment.objects.filter(region=region, subject=subject, key=key).select_related("author", "organisation")
    )
    nodes = {c.pk: Node(c) for c in comments}
    roots = []
    for comment in comments:
        node = nodes[comment.pk]
        if comment.parent_id and comment.parent_id in nodes:
            nodes[comment.parent_id].replies.append(node)
        else:
            roots.append(node)
    return roots


@dataclass
class SubjectRow:
    subject: str
    key: str
    title: str
    comments: int

    @property
    def label(self) -> str:
        return str(Subject(self.subject).label)


def subjects(region: Region, version: StrategyVersion | None) -> list[SubjectRow]:
    """The version's goals, metrics and actions with how many visible comments each has, discussed ones first."""
    counts = Counter(Comment.objects.filter(region=region, status=CommentStatus.VISIBLE).values_list("subject", "key"))
    if version is None:
        return []
    rows = [SubjectRow(Subject.GOAL, g.key, g.title, counts[(Subject.GOAL, g.key)]) for g in version.goals.all()]
    rows += [SubjectRow(Subject.METRIC, m.key, m.title, counts[(Subject.METRIC, m.key)]) for m in version.metrics.all()]
    rows += [SubjectRow(Subject.ACTION, a.key, a.title, counts[(Subject.ACTION, a.key)]) for a in version.actions.all()]
    return sorted(rows, key=lambda r: -r.comments)


def recent(region: Region, *, moderator: bool, limit: int = 20) -> list[Comment]:
    found = Comment.objects.filter(region=region).select_related("author", "organisation")
    if not moderator:
        found = found.filter(status=CommentStatus.VISIBLE)
    return list(found.order_by("-created_at", "-pk")[:limit])


@dataclass
class ReportComment:
    comment: Comment
    subject_label: str
    subject_title: str


def report_comments(region: Region, year: int) -> list[ReportComment]:
    """The visible comments the administrators chose for the report of `year`, with what they are about."""
    chosen = Comment.objects.filter(region=region, report_year=year, status=CommentStatus.VISIBLE).select_related(
        "organisation"
    )
    found = []
    for comment in chosen.order_by("subject", "key", "created_at"):
        obj = subject_object(region, comment.subject, comment.key)
        found.append(
            ReportComment(
                comment=comment,
                subject_label=str(Subject(comment.subject).label),
                subject_title=title_of(obj) if obj is not None else comment.key,
            )
        )
    return found


def report_context(region: Region, year: int) -> dict[str, Any]:
    return {"report_comments": report_comments(region, year)}
