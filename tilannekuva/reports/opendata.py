"""Reads of the open data API: public data only (regions whose dashboard is public, their strategies, the data
bank's indicators and observations, the published results of their surveys), with the licence and source of every
answer."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from tilannekuva.core.years import FIRST_YEAR, LAST_YEAR
from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.databank.exports import plain_number
from tilannekuva.databank.models import Gender, Indicator, Observation, Source
from tilannekuva.regions.models import Area, AreaMembership, Region
from tilannekuva.regions.selectors import UnknownArea, area_for
from tilannekuva.surveys import selectors as survey_selectors
from tilannekuva.surveys.models import Moderation, QuestionKind, Survey

CC_BY = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
PLATFORM = {
    "name": "Tilannekuva",
    "licence": "CC BY 4.0",
    "attribution": "Tilannekuva; area classifications: Statistics Finland (CC BY 4.0); region ids: Sotkanet / THL",
    "url": "",
}
INDICATOR_ID = re.compile(r"^([a-z0-9-]+:)?[A-Za-z0-9_.:-]+$")  # an id at its source may hold colons (11re:vaesto)
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


class BadRequest(ValueError):
    """A filter or a page that cannot be answered; the message names the parameter."""


class NotFound(LookupError):
    """No such public region or indicator."""


def public_regions() -> QuerySet[Region]:
    """Regions whose dashboard is public and that have a strategy: an internal region's data is never shown."""
    return Region.objects.select_related("area").filter(dashboard_public=True, strategy__isnull=False).order_by("slug")


def public_region(slug: str) -> Region:
    region = public_regions().filter(slug=slug).first()
    if region is None:
        raise NotFound(f"no public region '{slug}'")
    return region


def source_attribution(source: Source, indicator: Indicator | None = None) -> dict[str, str]:
    """The licence as the indicator's metadata says (e.g. CC BY 4.0 for THL's own), else the source's."""
    licence = (indicator.licence if indicator else "") or source.licence
    return {
        "name": source.name,
        "licence": licence,
        "attribution": source.attribution or source.name,
        "url": source.url,
        "producer": indicator.organisation if indicator else "",
    }


def attribution(indicators: list[Indicator] | None = None) -> dict[str, Any]:
    """The licence and sources of an answer: the platform's, and each indicator's source."""
    sources = [PLATFORM]
    seen = set()
    for indicator in indicators or []:
        entry = source_attribution(indicator.source, indicator)
        key = tuple(entry.values())
        if key not in seen:
            seen.add(key)
            sources.append(entry)
    return {"licence": CC_BY, "sources": sources}


def attribution_text(meta: dict[str, Any]) -> str:
    """One line for a header: ASCII only, as HTTP headers are."""
    text = unicodedata.normalize("NFKD", "; ".join(s["attribution"] for s in meta["sources"]))
    return text.encode("ascii", "ignore").decode("ascii")[:900]


def region_json(region: Region) -> dict[str, Any]:
    return {
        "slug": region.slug,
        "name": region.name,
        "area": area_json(region.area),
        "strategy": f"/api/v1/regions/{region.slug}/strategy/",
    }


def area_json(area: Area) -> dict[str, Any]:
    return {"code": area.code, "kind": area.kind, "slug": area.slug, "name_fi": area.name_fi, "name_sv": area.name_sv}


def strategy_json(region: Region, *, year: int) -> dict[str, Any]:
    """The strategy version in force in `year` with its goals and metrics, and each metric's latest public value
    and status as the dashboard shows them."""
    board = dashboard_selectors.dashboard(region=region, year=year)
    version = board.version
    cards = {card.metric.pk: card for card in board.cards}
    goals = []
    for goal in version.goals.select_related("parent", "responsible").order_by("position"):
        metrics = []
        for metric in goal.metrics.order_by("position"):
            card = cards.get(metric.pk)
            metrics.append(
                {
                    "key": metric.key,
                    "title": metric.title,
                    "kind": metric.kind,
                    "unit": (card.unit if card else "") or metric.unit,
                    "direction": metric.direction,
                    "frequency": metric.frequency,
                    "target": metric.target_summary,
                    "source": metric.binding_summary,
                    "binding_type": metric.binding_type,
                    "latest": (
                        {
                            "year": card.latest[0],
                            "value": plain_number(card.latest[1]),
                            "vintage": card.data.vintage if card.data else "",
                            "synthetic": bool(card.data and card.data.synthetic),
                        }
                        if card is not None and card.latest
                        else None
                    ),
                    "status": str(card.status) if card else None,
                }
            )
        goals.append(
            {
                "key": goal.key,
                "code": goal.code,
                "level": goal.level,
                "title": goal.title,
                "parent": goal.parent.key if goal.parent else None,
                "responsible": goal.responsible.name if goal.responsible else "",
                "metrics": metrics,
            }
        )
    return {
        "region": region.slug,
        "follow_up_year": year,
        "version": {
            "year": version.year,
            "name": version.name,
            "status": version.status,
            "period_start": version.period_start,
            "period_end": version.period_end,
            "mission": version.mission,
            "vision": version.vision,
        },
        "goals": goals,
    }


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": f"{indicator.source.key}:{indicator.external_id}",
        "source": indicator.source.key,
        "external_id": indicator.external_id,
        "title_fi": indicator.title_fi,
        "title_sv": indicator.title_sv,
        "title_en": indicator.title_en,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "direction": indicator.direction,
        "producer": indicator.organisation,
        "licence": indicator.licence or indicator.source.licence,
        "first_year": indicator.first_year,
        "last_year": indicator.last_year,
        "vintage": indicator.vintage,
        "data_updated": indicator.data_updated.isoformat() if indicator.data_updated else None,
    }


def indicators(*, source: str = "") -> QuerySet[Indicator]:
    found = Indicator.objects.select_related("source").order_by("source__key", "external_id")
    return found.filter(source__key=source) if source else found


def indicator_for(identifier: str) -> Indicator:
    """`sotkanet:127`, or `127` when only one source has that id. The source is the part before the first colon
    when a source has that key: the rest is the id at the source, colons and all (`statfin:11re:vaerak-vaesto`)."""
    source, _colon, external_id = identifier.partition(":")
    found = Indicator.objects.select_related("source")
    if external_id and Source.objects.filter(key=source).exists():
        found = found.filter(source__key=source, external_id=external_id)
    else:
        found = found.filter(external_id=identifier)
    matches = list(found[:2])
    if len(matches) != 1:
        raise NotFound(f"no indicator '{identifier}'" if not matches else f"'{identifier}' is ambiguous: add SOURCE:")
    return matches[0]


@dataclass
class ObservationFilter:
    indicators: list[Indicator]
    areas: list[Area] | None  # None: every area
    years: list[int] | None
    gender: str | None


YEAR_SPAN = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def _years(text: str) -> list[int] | None:
    """`2020`, `2010-2022` or `2015,2020`; years outside the bound of `core.years` have no data and are left out."""
    if not text:
        return None
    years: set[int] = set()
    for part in text.split(","):
        match = YEAR_SPAN.match(part.strip())
        if match is None:
            raise BadRequest(f"year: '{part.strip()[:20]}' is not a year or a span such as 2010-2022")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        first, last = min(first, last), max(first, last)
        years.update(range(max(first, FIRST_YEAR), min(last, LAST_YEAR) + 1))
    return sorted(years)


def parse_filter(params: Any) -> ObservationFilter:
    """The observations' filters: indicator (required, comma-separated), region, area, year, gender."""
    identifiers = [i.strip() for i in params.get("indicator", "").split(",") if i.strip()]
    if not identifiers:
        raise BadRequest("indicator: give one or more indicators, e.g. indicator=sotkanet:127")
    if len(identifiers) > 20:
        raise BadRequest("indicator: at most 20 indicators at a time")
    if not all(INDICATOR_ID.match(i) for i in identifiers):
        raise BadRequest("indicator: SOURCE:ID or ID, e.g. sotkanet:127")
    chosen = [indicator_for(i) for i in identifiers]  # an unknown one is not found (404)
    areas: list[Area] | None = None
    region_slug = params.get("region", "")
    if region_slug:
        region = public_region(region_slug)
        member_ids = AreaMembership.objects.filter(parent=region.area).values_list("member_id", flat=True)
        areas = list(Area.objects.filter(Q(pk=region.area_id) | Q(pk__in=member_ids)))
    area_ids = [a.strip() for a in params.get("area", "").split(",") if a.strip()]
    if area_ids:
        try:
            named = [area_for(a) for a in area_ids]
        except UnknownArea as exc:
            raise NotFound(f"area: {exc}") from exc
        areas = named if areas is None else [a for a in areas if a in named]
    gender = params.get("gender", Gender.TOTAL.value)
    if gender not in [*Gender.values, "all"]:
        raise BadRequest("gender: one of total, male, female, all")
    return ObservationFilter(
        indicators=chosen, areas=areas, years=_years(params.get("year", "")), gender=None if gender == "all" else gender
    )


def observations(chosen: ObservationFilter) -> QuerySet[Observation]:
    found = Observation.objects.filter(indicator__in=chosen.indicators, value__isnull=False)
    if chosen.areas is not None:
        found = found.filter(area__in=chosen.areas)
    if chosen.years is not None:
        found = found.filter(year__in=chosen.years)
    if chosen.gender is not None:
        found = found.filter(gender=chosen.gender)
    return found.select_related("indicator__source", "area").order_by(
        "indicator__source__key", "indicator__external_id", "area__kind", "area__code", "year", "gender", "pk"
    )


def observation_json(o: Observation) -> dict[str, Any]:
    return {
        "indicator": f"{o.indicator.source.key}:{o.indicator.external_id}",
        "area_code": o.area.code,
        "area_kind": o.area.kind,
        "area_name": o.area.name_fi,
        "year": o.year,
        "gender": o.gender,
        "classification": o.classification,
        "value": plain_number(o.value),
        "absolute_value": plain_number(o.absolute_value),
    }


@dataclass
class Page:
    number: int
    size: int
    count: int
    items: list[Any]

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.count


def paginate(queryset: Any, params: Any) -> Page:
    try:
        number = int(params.get("page", "1"))
        size = int(params.get("page_size", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        raise BadRequest("page, page_size: whole numbers") from None
    if number < 1 or number > 1_000_000:
        raise BadRequest("page: from 1")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise BadRequest(f"page_size: from 1 to {MAX_PAGE_SIZE}")
    count = queryset.count()
    items = list(queryset[(number - 1) * size : number * size])
    return Page(number=number, size=size, count=count, items=items)


# -- published survey results ---------------------------------------------------------------------------------


def _number(value: float | None) -> float | int | None:
    """A mean to four decimals, a whole number (an NPS) without '.0'."""
    return None if value is None else plain_number(round(float(value), 4))


SYNTHETIC_NOTE = "SYNTHETIC demo data: the answers were generated by code and are not anyone's real answers"


def survey_attribution(region: Region, surveys: list[Survey]) -> dict[str, Any]:
    """Survey data is the region's own: the region (its partnership) is the source, under CC BY 4.0; a survey
    flagged as demo data says SYNTHETIC in its attribution."""
    meta = attribution()
    for survey in surveys:
        text = f"{region.name}: {survey.title_fi} {survey.year}"
        meta["sources"].append(
            {
                "name": region.name,
                "licence": CC_BY["name"],
                "attribution": f"{text} ({SYNTHETIC_NOTE})" if survey.demo else text,
                "url": reverse("surveys:public_results", args=[region.slug, survey.pk]),
                "producer": region.name,
            }
        )
    return meta


def published_survey(pk: int) -> Survey:
    """A survey whose results are published, of a region whose data is public; NotFound for any other."""
    survey = Survey.objects.select_related("region").filter(pk=pk, region__in=public_regions()).first()
    if survey is None:
        raise NotFound(f"no published survey {pk}")
    try:
        return survey_selectors.published_survey(survey.region, pk)
    except survey_selectors.NotFound:
        raise NotFound(f"no published survey {pk}") from None


def survey_json(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "region": survey.region.slug,
        "key": survey.key,
        "year": survey.year,
        "title_fi": survey.title_fi,
        "title_sv": survey.title_sv,
        "title_en": survey.title_en,
        "status": survey.status,
        "respondents": survey.responses.count(),
        "threshold": survey.threshold,
        "demo": survey.demo,
        "synthetic": SYNTHETIC_NOTE if survey.demo else None,
        "published_at": survey.results_published_at.isoformat() if survey.results_published_at else None,
        "results": f"/api/v1/surveys/{survey.pk}/results",
        "page": reverse("surveys:public_results", args=[survey.region.slug, survey.pk]),
    }


def _question_json(item: survey_selectors.QuestionResult, *, shown: bool) -> dict[str, Any]:
    question = item.question
    found: dict[str, Any] = {
        "key": question.key,
        "kind": question.kind,
        "text_fi": question.text_fi,
        "text_sv": question.text_sv,
        "text_en": question.text_en,
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "n": item.n,
        "nps": None,
        "mean": None,
        "median": None,
        "distribution": [],
        "choices": [],
        "open_answers": [],
    }
    if item.nps is not None:
        nps = item.nps
        found["nps"] = {
            "label": nps.label,
            "score": nps.score,
            "ci_low": nps.ci_low,
            "ci_high": nps.ci_high,
            "n": nps.n,
            "promoters": nps.promoters,
            "passives": nps.passives,
            "detractors": nps.detractors,
        }
    if item.summary is not None:
        found["mean"] = _number(item.summary.mean)
        found["median"] = _number(item.summary.median)
        found["distribution"] = [{"value": v, "count": c} for v, c in item.summary.distribution]
    if item.choices:
        found["choices"] = [{"value": c.value, "text_fi": c.text_fi, "count": n} for c, n, _share in item.choices]
    if question.kind == QuestionKind.TEXT and shown:
        # survey_results(public=True) lists only the answers a moderator has published
        found["open_answers"] = [a.text for a in item.open_answers if a.moderation == Moderation.PUBLISHED]
    return found


def survey_results_json(survey: Survey) -> dict[str, Any]:
    """The published results as the public page shows them: nothing below the survey's threshold, hidden groups
    without their figures, only approved open answers."""
    found = survey_selectors.survey_results(survey, public=True)
    groups = []
    for row in found.by_kind:
        group: dict[str, Any] = {"kind": row.kind or None, "suppressed": row.hidden}
        if row.hidden:
            group["reason"] = "complementary" if row.complementary else "fewer_than_threshold"
        else:
            group["n"] = row.n
            group["values"] = {key: _number(value) for key, value in row.numbers.items()}
        groups.append(group)
    return {
        "survey": survey_json(survey),
        "shown": found.shown,
        "n": found.n,
        "score": (
            {"name": "EUROHIS-QOL 8", "mean": _number(found.score.mean), "n": found.score.n}
            if found.score is not None
            else None
        ),
        "questions": [_question_json(item, shown=found.shown) for item in found.questions],
        "by_organisation_kind": groups,
    }


def survey_csv_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The results in long form: one row per question, group and measure (all respondents, then each shown
    organisation kind); no row for a hidden group or an open answer."""
    survey = results["survey"]
    rows: list[dict[str, Any]] = []

    def add(question: str, group: str, measure: str, value: Any, n: int | None) -> None:
        rows.append(
            {
                "survey": survey["id"],
                "year": survey["year"],
                "question": question,
                "group": group,
                "measure": measure,
                "value": value,
                "n": n,
                "demo": "SYNTHETIC" if survey["demo"] else "",
            }
        )

    if not results["shown"]:
        add("", "all", "respondents", results["n"], results["n"])
        return rows
    for question in results["questions"]:
        key, n = question["key"], question["n"]
        if question["nps"]:
            nps = question["nps"]
            for measure in ("score", "ci_low", "ci_high", "promoters", "passives", "detractors"):
                add(key, "all", f"nps_{measure}" if measure != "score" else nps["label"], nps[measure], nps["n"])
        if question["mean"] is not None:
            add(key, "all", "mean", question["mean"], n)
            add(key, "all", "median", question["median"], n)
        for point in question["distribution"]:
            add(key, "all", f"count_{point['value']}", point["count"], n)
        for choice in question["choices"]:
            add(key, "all", f"choice_{choice['value']}", choice["count"], n)
    for group in results["by_organisation_kind"]:
        if group["suppressed"]:
            continue
        for key, value in group["values"].items():
            add(key, group["kind"] or "not_given", "headline", value, group["n"])
    return rows
