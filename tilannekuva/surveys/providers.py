"""The dashboard's data for metrics bound to a survey (`binding: {type: survey, survey: KEY, question: Q}`): each
year's NPS or mean of the region's survey of that key, once its results are published (only a closed survey's
can be) and it has at least its threshold of answers. An open or unpublished survey feeds no card: its live,
preliminary results are on its own results page for the region's roles. A binding
without a question takes the survey's own score (EUROHIS-QOL 8) where it has one, else the number of answers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.regions.models import Region
from tilannekuva.strategy.bindings import SurveyBinding
from tilannekuva.strategy.models import BindingType, Direction, Metric

from .models import Answer, Question, QuestionKind, Response, Survey, SurveyStatus
from .selectors import EUROHIS_SCORE, headline_values, values_by_area


def survey_values(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    bound = {m.pk: b for m in metrics if isinstance(b := m.typed_binding, SurveyBinding)}
    keys = {b.survey for b in bound.values()}
    surveys = list(
        Survey.objects.filter(
            region=region, key__in=keys, results_published_at__isnull=False, status=SurveyStatus.CLOSED
        ).order_by("year")
    )
    headlines = {s.pk: headline_values(s) for s in surveys}
    question_keys = {b.question for b in bound.values()} - {""}
    questions = {(q.survey_id, q.key): q for q in Question.objects.filter(survey__in=surveys, key__in=question_keys)}
    found = {}
    for metric in metrics:
        if metric.pk not in bound:
            continue
        key, question_key = bound[metric.pk].survey, bound[metric.pk].question
        mine = [s for s in surveys if s.key == key]
        if not mine:
            continue
        values: dict[int, float] = {}
        by_area: dict[int, dict[int, float | None]] = {}
        texts: dict[int, str] = {}
        counts: dict[int, int] = {}
        label = ""
        scale: tuple[float, float] | None = None
        demo = False
        for survey in mine:
            figures = headlines[survey.pk]
            wanted = question_key or (EUROHIS_SCORE if EUROHIS_SCORE in figures else None)
            question = questions.get((survey.pk, question_key)) if question_key else None
            if question is not None and question.kind == QuestionKind.TEXT:
                published = question.answers.filter(moderation="published").exclude(text="").count()
                total = question.answers.exclude(text="").count()
                if total:
                    texts[survey.year] = _("%(total)s open answers, %(published)s published") % {
                        "total": total,
                        "published": published,
                    }
            elif wanted and wanted in figures and figures[wanted][1] is not None:
                values[survey.year] = float(figures[wanted][1])  # type: ignore[arg-type]
                counts[survey.year] = figures[wanted][2]
                if question_key:  # each organisation's own figure where its group is large enough
                    for area_id, value in values_by_area(survey, question_key).items():
                        by_area.setdefault(area_id, {})[survey.year] = value
                if question is not None and question.kind == QuestionKind.NPS:
                    label = "NPS (1–10)" if question.scale_min == 1 else "NPS (0–10)"
                    scale = (-100.0, 100.0)  # NPS: the share of promoters less that of detractors
                elif question is not None and question.scale_min is not None and question.scale_max is not None:
                    scale = (float(question.scale_min), float(question.scale_max))
            elif not wanted:
                answered = survey.responses.count()
                if answered:
                    texts[survey.year] = _("Survey done: %(count)s answers") % {"count": answered}
            demo = demo or survey.demo
        if not values and not texts:
            continue
        source = _("Survey: %(title)s") % {"title": mine[-1].title}
        notes = [f"n = {counts[max(counts)]} ({max(counts)})"] if counts else []
        if label:
            notes.append(label)
        if demo:
            notes.append(_("Demo data (synthetic)"))
        detail_url = reverse("surveys:public_results", args=[region.slug, mine[-1].pk])
        detail_label = _("The published survey results (%(year)s)") % {"year": mine[-1].year}
        found[metric.pk] = MetricData(
            values=values,
            by_area=by_area,
            source_label=" · ".join([source, *notes]),
            vintage=" · ".join(notes),
            unit=label or metric.unit,
            texts=texts,
            direction=metric.direction or Direction.NEUTRAL,
            detail_url=detail_url,
            detail_label=detail_label,
            scale=scale,
        )
    return found


# A response in or out, a survey's status or questions changed, an open answer published or hidden.
register([BindingType.SURVEY], survey_values, watches=[Survey, Question, Response, Answer])
