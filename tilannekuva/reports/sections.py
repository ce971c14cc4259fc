"""The report's sections that read other apps' results through their selectors: survey results, and the HYTE
coefficient and vitality index figures. Each section also lists the dashboard cards of its metrics, so a report
always says honestly what is known even where an app has nothing yet."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from tilannekuva.funding import selectors as funding_selectors
from tilannekuva.funding import vitality
from tilannekuva.funding.models import Level
from tilannekuva.regions.models import Area, Region
from tilannekuva.strategy.bindings import SurveyBinding
from tilannekuva.strategy.models import Metric
from tilannekuva.surveys.models import Survey, SurveyStatus
from tilannekuva.surveys.selectors import EUROHIS_SCORE, headline_values


@dataclass
class SurveyResult:
    """One survey of the follow-up year: the headline of each question the strategy's metrics are bound to
    (the figures the dashboard shows), only when the survey has at least its threshold of respondents."""

    title: str
    year: int
    respondents: int
    shown: bool
    threshold: int
    demo: bool
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # question, headline as shown, respondents
    public_url: str = ""  # the public results page, once the survey's results are published


@dataclass
class HyteRow:
    area: Area
    points: float | None
    kind: str  # "official", "synthetic", "computed" or ""
    rank: int | None
    tertile: int | None
    eur: Decimal | None
    eur_per_resident: Decimal | None

    @property
    def kind_label(self) -> str:
        return {
            "official": _("THL's figure"),
            "synthetic": _("SYNTHETIC demo figure"),
            "computed": _("computed by the calculator"),
        }.get(self.kind, "–")


@dataclass
class FundingSection:
    """The HYTE coefficient of the region's partners and the vitality index, as the funding app has them."""

    hyte_year: int | None = None
    hyte_rows: list[HyteRow] = field(default_factory=list)
    vitality_year: int | None = None
    vitality_rows: list[tuple[str, float | None]] = field(default_factory=list)  # area, composite (z-score)


def survey_results(*, region: Region, year: int, metrics: list[Metric]) -> list[SurveyResult]:
    """The region's surveys of the follow-up year (drafts left out), with the questions bound to metrics."""
    bound: dict[str, set[str]] = {}
    for metric in metrics:
        binding = metric.typed_binding
        if isinstance(binding, SurveyBinding):
            bound.setdefault(binding.survey, set()).add(binding.question or EUROHIS_SCORE)
    found = []
    surveys = Survey.objects.filter(region=region, year=year).exclude(status=SurveyStatus.DRAFT).order_by("key")
    for survey in surveys:
        respondents = survey.responses.count()
        public = survey.results_published and survey.status == SurveyStatus.CLOSED
        values = headline_values(survey) if public else {}  # empty below the threshold
        wanted = bound.get(survey.key, set())
        rows = [
            (question.text, values[question.key][0], values[question.key][2])
            for question in survey.questions.order_by("position", "pk")
            if question.key in wanted and question.key in values
        ]
        if EUROHIS_SCORE in wanted and EUROHIS_SCORE in values:
            rows.append(
                (_("Quality of life (EUROHIS-QOL 8), mean"), values[EUROHIS_SCORE][0], values[EUROHIS_SCORE][2])
            )
        found.append(
            SurveyResult(
                title=survey.title,
                year=survey.year,
                respondents=respondents,
                shown=respondents >= survey.threshold,
                threshold=survey.threshold,
                demo=survey.demo,
                rows=rows,
                public_url=reverse("surveys:public_results", args=[region.slug, survey.pk])
                if survey.results_published
                else "",
            )
        )
    return found


def funding_section(*, region: Region, year: int, municipality: Area | None) -> FundingSection:
    """THL's HYTE points and VM's euros (or the calculator's) for the region's municipalities, or the one
    municipality of its edition, in the latest year with figures up to the follow-up year; and the vitality
    index's composite for the same areas in the follow-up year or the latest before it."""
    section = FundingSection()
    years = [y for y in funding_selectors.years_with_figures(Level.MUNICIPALITY) if y <= year]
    if years:
        data = funding_selectors.year_data(level=Level.MUNICIPALITY, year=years[-1])
        areas = (
            [municipality] if municipality else funding_selectors.partners(region, level=Level.MUNICIPALITY, year=year)
        )
        rows = funding_selectors.partner_rows(data, funding_selectors.calculate(data), areas)
        section.hyte_year = years[-1]
        section.hyte_rows = [
            HyteRow(r.area, r.points, r.points_kind, r.rank, r.tertile, r.eur, r.eur_per_resident)
            for r in rows
            if r.points is not None or r.eur is not None
        ]
    result = vitality.compute()
    codes = (
        [municipality.code]
        if municipality
        else [a.code for a in funding_selectors.partners(region, level=Level.MUNICIPALITY, year=year)]
    )
    with_values = [y for y in result.years if y <= year and any(result.composite.get(c, {}).get(y) for c in codes)]
    if with_values:
        chosen = with_values[-1]
        section.vitality_year = chosen
        section.vitality_rows = [
            (
                result.municipalities[code].name if code in result.municipalities else code,
                result.composite.get(code, {}).get(chosen),
            )
            for code in codes
        ]
        if municipality is None:
            mean = result.region_mean(codes).get(chosen)
            section.vitality_rows.append((region.name, mean[0] if mean else None))
    return section
