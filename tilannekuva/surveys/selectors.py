"""Reads for the survey pages: a region's surveys, and a survey's results with the small-group rules applied
(breakdowns by organisation kind, year over year, open answers)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from tilannekuva.regions.models import OrganisationKind, Region

from . import results
from .models import Answer, Choice, Moderation, Question, QuestionKind, Response, Survey, SurveyStatus

EUROHIS_KEYS = [f"eurohis-{n}" for n in range(1, 9)]
EUROHIS_SCORE = "eurohis-qol-8"


class NotFound(LookupError):
    """No such region or survey."""


def surveys_of(region: Region) -> QuerySet[Survey]:
    return Survey.objects.filter(region=region).annotate(
        response_count=Count("responses", distinct=True), question_count=Count("questions", distinct=True)
    )


def survey_of(region: Region, pk: int) -> Survey:
    survey = Survey.objects.select_related("region").filter(region=region, pk=pk).first()
    if survey is None:
        raise NotFound(f"no survey {pk} in {region}")
    return survey


def published_surveys(region: Region) -> QuerySet[Survey]:
    """The region's surveys whose results are public (published, and closed: an older database may hold a
    survey published while open), newest first."""
    return (
        Survey.objects.select_related("region")
        .filter(region=region, results_published_at__isnull=False, status=SurveyStatus.CLOSED)
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-year", "key", "pk")
    )


def published_survey(region: Region, pk: int) -> Survey:
    """A survey of the region whose results are public; NotFound for any other (unpublished ones included)."""
    survey = published_surveys(region).filter(pk=pk).first()
    if survey is None:
        raise NotFound(f"no published survey {pk} in {region}")
    return survey


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.select_related("section").prefetch_related("choices"))


@dataclass
class GroupRow:
    """One organisation kind of a breakdown; `hidden` when it is too small or hides another small group."""

    label: str
    n: int
    hidden: bool
    complementary: bool = False
    values: dict[str, str] = field(default_factory=dict)  # question key -> headline as shown
    numbers: dict[str, float | None] = field(default_factory=dict)  # question key -> the headline as a number
    kind: str = ""  # the organisation kind's code ("" when not given)
    cells: list[str] = field(default_factory=list)  # the same in the order of the page's columns


@dataclass
class QuestionResult:
    question: Question
    n: int
    nps: results.Nps | None = None
    summary: results.ScaleSummary | None = None
    choices: list[tuple[Choice, int, float]] = field(default_factory=list)
    open_answers: list[Answer] = field(default_factory=list)
    open_total: int = 0

    @property
    def headline(self) -> str:
        return headline(self.nps, self.summary)

    @property
    def distribution_rows(self) -> list[tuple[int, str, int, float]]:
        if self.summary is None:
            return []
        labels = self.question.point_labels
        total = self.summary.n or 1
        return [
            (value, labels.get(value, ""), count, 100 * count / total) for value, count in self.summary.distribution
        ]


def headline(nps: results.Nps | None, summary: results.ScaleSummary | None) -> str:
    if nps is not None:
        return "–" if nps.score is None else str(nps.score)
    if summary is not None:
        return results.format_number(summary.mean)
    return "–"


@dataclass
class YearRow:
    survey: Survey
    n: int
    shown: bool
    values: dict[str, str]
    cells: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    n: int
    shown: bool
    questions: list[QuestionResult]
    by_kind: list[GroupRow]
    years: list[YearRow]
    score: results.ScaleSummary | None = None
    scale_keys: list[str] = field(default_factory=list)
    preliminary: bool = False  # the survey still takes answers: live results, no breakdowns

    @property
    def threshold(self) -> int:
        return self.survey.threshold


def _numbers(survey: Survey) -> dict[int, list[int]]:
    """Every scale answer of the survey: question id -> values."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = Answer.objects.filter(response__survey=survey, number__isnull=False).values_list("question_id", "number")
    for question_id, number in rows:
        if number is not None:
            found[question_id].append(number)
    return found


def question_result(question: Question, numbers: list[int], *, choice_counts: dict[int, int]) -> QuestionResult:
    if question.kind == QuestionKind.NPS:
        return QuestionResult(question, len(numbers), nps=results.nps(numbers, scale_min=question.scale_min or 0))
    if question.is_scale:
        summary = results.scale_summary(numbers, scale=question.scale)
        return QuestionResult(question, summary.n, summary=summary)
    if question.is_choice:
        respondents = (
            Answer.objects.filter(question=question).values("response_id").distinct().count() if choice_counts else 0
        )
        rows = [
            (choice, choice_counts.get(choice.pk, 0), 100 * choice_counts.get(choice.pk, 0) / (respondents or 1))
            for choice in question.choices.all()
        ]
        return QuestionResult(question, respondents, choices=rows)
    return QuestionResult(question, 0)


def eurohis(survey: Survey) -> results.ScaleSummary | None:
    """The EUROHIS-QOL 8 score of a survey that has its eight items (the resident wellbeing template)."""
    keys = set(survey.questions.filter(key__in=EUROHIS_KEYS).values_list("key", flat=True))
    if keys != set(EUROHIS_KEYS):
        return None
    by_response: dict[int, dict[str, int]] = defaultdict(dict)
    rows = Answer.objects.filter(response__survey=survey, question__key__in=EUROHIS_KEYS, number__isnull=False)
    for response_id, key, number in rows.values_list("response_id", "question__key", "number"):
        if number is not None:
            by_response[response_id][key] = number
    return results.eurohis_score([[answers.get(k) for k in EUROHIS_KEYS] for answers in by_response.values()])


def survey_results(survey: Survey, *, moderator: bool = False, public: bool = False) -> SurveyResults:
    """Everything the results page shows. Nothing is computed for the page when the survey has fewer answers
    than its threshold; open answers are listed to moderators, and to others once published. `public`: the
    published results (the public page, the open data API), compared only with other published years.

    Breakdowns resist differencing: while the survey takes answers its results are preliminary and shown without
    the breakdown by organisation kind, so nobody can add known answers between two views to lift a small group
    over the threshold and subtract them; once closed, no answer can be added and two views never differ."""
    moderator = moderator and not public
    preliminary = survey.status != SurveyStatus.CLOSED
    n = survey.responses.count()
    shown = n >= survey.threshold
    questions = questions_of(survey)
    numbers = _numbers(survey) if shown else {}
    choice_counts = dict(
        Answer.objects.filter(response__survey=survey, choice__isnull=False)
        .values_list("choice_id")
        .annotate(count=Count("pk"))
        .values_list("choice_id", "count")
    )
    found = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            answers = Answer.objects.filter(question=question).exclude(text="").order_by("response__submitted_at", "pk")
            listed = answers if moderator else answers.filter(moderation=Moderation.PUBLISHED)
            found.append(
                QuestionResult(
                    question,
                    answers.count(),
                    open_answers=list(listed) if (shown or moderator) else [],
                    open_total=answers.count(),
                )
            )
        elif shown:
            found.append(question_result(question, numbers.get(question.pk, []), choice_counts=choice_counts))
        else:
            found.append(QuestionResult(question, len(numbers.get(question.pk, []))))
    scale_keys = [q.key for q in questions if q.is_scale]
    return SurveyResults(
        survey=survey,
        n=n,
        shown=shown,
        questions=found,
        by_kind=breakdown_by_kind(survey, questions) if shown and not preliminary else [],
        years=year_over_year(survey, questions, published_only=public),
        score=eurohis(survey) if shown else None,
        scale_keys=scale_keys,
        preliminary=preliminary,
    )


def breakdown_by_kind(survey: Survey, questions: list[Question]) -> list[GroupRow]:
    """Respondents by the kind of their organisation, each kind's headline per scale question; small kinds are
    hidden, and complementary ones so that no hidden kind can be worked out from the total."""
    counts = dict(
        survey.responses.values_list("organisation_kind")
        .annotate(count=Count("pk"))
        .values_list("organisation_kind", "count")
    )
    if len(counts) < 2:
        return []  # one group is the total itself
    suppression = results.suppress(counts, threshold=survey.threshold)
    labels = dict(OrganisationKind.choices)
    scales = [q for q in questions if q.is_scale]
    values: dict[tuple[str, int], list[int]] = defaultdict(list)
    rows = Answer.objects.filter(response__survey=survey, question__in=scales, number__isnull=False)
    for kind, question_id, number in rows.values_list("response__organisation_kind", "question_id", "number"):
        if number is not None:
            values[(kind, question_id)].append(number)
    groups = []
    for kind, count in sorted(counts.items(), key=lambda item: str(labels.get(item[0], item[0]))):
        label = str(labels.get(kind, "")) or _("Not given")
        row = GroupRow(label, count, kind in suppression.hidden, kind in suppression.complementary, kind=kind or "")
        if not row.hidden:
            for question in scales:
                answers = values.get((kind, question.pk), [])
                if question.kind == QuestionKind.NPS:
                    score = results.nps(answers, scale_min=question.scale_min or 0)
                    row.values[question.key] = headline(score, None)
                    row.numbers[question.key] = score.score
                else:
                    summary = results.scale_summary(answers, scale=question.scale)
                    row.values[question.key] = headline(None, summary)
                    row.numbers[question.key] = summary.mean
            row.cells = [row.values.get(q.key, "–") for q in scales]
        groups.append(row)
    return groups


def year_over_year(survey: Survey, questions: list[Question], *, published_only: bool = False) -> list[YearRow]:
    """The same survey (by key) of every year in the region, each year's headline per scale question (only the
    years whose results are published, for the public)."""
    keys = [q.key for q in questions if q.is_scale]
    rows = []
    others = Survey.objects.filter(region=survey.region, key=survey.key).exclude(status=SurveyStatus.DRAFT)
    if published_only:
        others = others.filter(results_published_at__isnull=False, status=SurveyStatus.CLOSED)
    for other in others:
        values = headline_values(other)
        n = other.responses.count()
        shown = n >= other.threshold
        shown_values = {k: values[k][0] for k in keys if k in values} if shown else {}
        rows.append(YearRow(other, n, shown, shown_values, [shown_values.get(k, "–") for k in keys]))
    return sorted(rows, key=lambda r: r.survey.year)


def headline_values(survey: Survey) -> dict[str, tuple[str, float | None, int]]:
    """Per scale question of a survey: (as shown, the number, n), only when the survey has enough answers."""
    if survey.responses.count() < survey.threshold:
        return {}
    numbers = _numbers(survey)
    found: dict[str, tuple[str, float | None, int]] = {}
    for question in survey.questions.all():
        answers = numbers.get(question.pk, [])
        if question.kind == QuestionKind.NPS:
            score = results.nps(answers, scale_min=question.scale_min or 0)
            found[question.key] = (headline(score, None), score.score, score.n)
        elif question.is_scale:
            summary = results.scale_summary(answers, scale=question.scale)
            found[question.key] = (headline(None, summary), summary.mean, summary.n)
    quality = eurohis(survey)
    if quality is not None:
        found[EUROHIS_SCORE] = (headline(None, quality), quality.mean, quality.n)
    return found


def values_by_area(survey: Survey, question_key: str) -> dict[int, float]:
    """The question's NPS or mean per municipality (area id) of the answering organisation, only for an
    organisation with at least the survey's threshold of respondents (never a group under five)."""
    question = survey.questions.filter(key=question_key).first()
    if question is None or not (question.kind == QuestionKind.NPS or question.is_scale):
        return {}
    by_area: dict[int, list[int]] = defaultdict(list)
    respondents: dict[int, set[int]] = defaultdict(set)
    rows = Answer.objects.filter(
        question=question, number__isnull=False, response__organisation__area__isnull=False
    ).values_list("response__organisation__area_id", "response_id", "number")
    for area_id, response_id, number in rows:
        if number is not None:
            by_area[area_id].append(number)
            respondents[area_id].add(response_id)
    found = {}
    for area_id, numbers in by_area.items():
        if len(respondents[area_id]) < survey.threshold:
            continue
        value: float | None
        if question.kind == QuestionKind.NPS:
            value = results.nps(numbers, scale_min=question.scale_min or 0).score
        else:
            value = results.scale_summary(numbers, scale=question.scale).mean
        if value is not None:
            found[area_id] = float(value)
    return found


def responses_for_export(survey: Survey) -> QuerySet[Response]:
    return survey.responses.prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("question", "choice"))
    ).order_by("submitted_at", "pk")


def open_answer_counts(survey: Survey) -> dict[str, Any]:
    answers = Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.TEXT).exclude(text="")
    return {
        "total": answers.count(),
        "pending": answers.filter(moderation=Moderation.PENDING).count(),
        "published": answers.filter(moderation=Moderation.PUBLISHED).count(),
    }
