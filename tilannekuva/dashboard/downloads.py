"""A metric's chart and data as the metric page shows them, and as files: CSV, XLSX, SVG and PNG."""

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tilannekuva.core import charts, csv_dialects
from tilannekuva.core.templatetags.numbers import num
from tilannekuva.databank.binding import databank_binding
from tilannekuva.databank.exports import csv_file_text, plain_number, records, xlsx_bytes
from tilannekuva.databank.models import Gender, Observation
from tilannekuva.databank.regional import Aggregation, RegionSeries, region_series
from tilannekuva.databank.selectors import observations_in_area
from tilannekuva.regions.models import Area, Region
from tilannekuva.strategy.models import Direction, MeasureKind

from .providers import counties_of
from .selectors import Card

MAX_CHOSEN = 12  # municipalities drawn beside the region and the country
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "svg": "image/svg+xml",
    "png": "image/png",
}


@dataclass(frozen=True)
class ChartChoice:
    """What the metric page draws: a gender and the municipalities chosen beside the region and the country."""

    gender: str = Gender.TOTAL.value
    codes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.gender}:{','.join(self.codes)}"


def chart_choice(query: QueryDict) -> ChartChoice:
    gender = query.get("gender", Gender.TOTAL.value)
    if gender not in Gender.values:
        raise Http404("unknown gender")
    codes = tuple(sorted({c for c in query.getlist("m") if c.isdigit() and len(c) == 3}))[:MAX_CHOSEN]
    return ChartChoice(gender=gender, codes=codes)


def higher_is_better(direction: str) -> bool | None:
    if direction == Direction.HIGHER_IS_BETTER:
        return True
    if direction == Direction.LOWER_IS_BETTER:
        return False
    return None


@dataclass
class MetricChart:
    spec: dict[str, Any] | None
    columns: list[str]
    rows: list[tuple[int, list[float | None]]]
    genders: list[tuple[str, str]]
    municipalities: list[Area]
    series: RegionSeries | None
    cells: list[tuple[int, list[str]]] = field(default_factory=list)  # the rows as the table shows them


def cell(card: Card, year: int, value: float | None, *, region_column: bool) -> str:
    """A value as the page shows it: rounded to the metric's precision; a yes/no metric's Yes or No, and the
    region's "X / Y" where each organisation reports its own."""
    if value is None:
        return "–"
    if card.metric.kind == MeasureKind.YES_NO:
        coverage = card.data.coverage.get(year) if card.data and region_column else None
        if coverage:
            return f"{coverage[0]} / {coverage[1]}"
        return str(_("Yes") if value >= 0.5 else _("No"))
    return num(value, card.precision)


def _series_for(card: Card, *, region: Region, gender: str) -> RegionSeries | None:
    data = card.data
    if data is None or data.indicator is None:
        return None
    if gender == Gender.TOTAL and data.series is not None:
        return data.series
    binding = databank_binding(card.metric)
    rule = binding.rule if binding is not None else Aggregation.REGION_VALUE
    return region_series(
        indicator=data.indicator, area=region.area, gender=gender, rule=rule, others=counties_of(region)
    )


def metric_chart(card: Card, *, region: Region, choice: ChartChoice, language: str) -> MetricChart:
    """The time series of the region, the country and the chosen municipalities, up to the follow-up year."""
    series = _series_for(card, region=region, gender=choice.gender)
    last_year = card.latest[0] if card.latest else None
    genders: list[tuple[str, str]] = []
    if card.data and card.data.indicator:
        present = set(
            Observation.objects.filter(indicator=card.data.indicator).values_list("gender", flat=True).distinct()
        )
        genders = [(value, str(label)) for value, label in Gender.choices if value in present]
    if series is None:
        years = [y for y, _v in card.points]
        lines: list[tuple[str, dict[int, float | None]]] = [(region.name, dict(card.points))]
        municipalities: list[Area] = []
    else:
        years = [y for y in series.years if last_year is None or y <= last_year]
        region_values = {y: f.value for y, f in series.region.items()}
        lines = [(region.name, region_values)]
        if series.country:
            lines.append((series.country.name, series.values.get(series.country.pk, {})))
        municipalities = series.municipalities
        for area in municipalities:
            if area.code in choice.codes:
                lines.append((area.name, series.values.get(area.pk, {})))
    rows = [(year, [values.get(year) for _name, values in lines]) for year in years]
    spec = None
    if any(v is not None for _year, values in rows for v in values):
        spec = charts.line_chart(
            [{"year": year, "series": name, "value": values.get(year)} for name, values in lines for year in years],
            title=card.metric.title[:120],
            y_title=card.unit or _("value"),
            series_title=_("Area"),
            language=language,
            decimals=card.precision,
            year_title=_("Year"),
            yes_no=(_("Yes"), _("No")) if card.metric.kind == MeasureKind.YES_NO else None,
            y_domain=charts.honest_domain(
                [v for _year, values in rows for v in values if v is not None],
                unit=card.unit,
                scale=card.data.scale if card.data else None,
            ),
        )
    return MetricChart(
        spec=spec,
        columns=[name for name, _values in lines],
        rows=rows,
        genders=genders,
        municipalities=municipalities,
        series=series,
        cells=[(y, [cell(card, y, v, region_column=i == 0) for i, v in enumerate(values)]) for y, values in rows],
    )


def _filename(card: Card, region: Region, fmt: str) -> str:
    return f"{slugify(region.slug)}-{slugify(card.metric.key)}.{fmt}"


def response(
    card: Card, *, region: Region, fmt: str, choice: ChartChoice, language: str, dialect: str = ""
) -> HttpResponse:
    """The file; a CSV in the Finnish spreadsheet dialect in the Finnish interface (or with `dialect=fi`), else the
    machine dialect."""
    if fmt not in CONTENT_TYPES:
        raise Http404("unknown format")
    if fmt in ("svg", "png"):
        chart = metric_chart(card, region=region, choice=choice, language=language)
        if chart.spec is None:
            raise Http404("no data to draw")
        try:
            body: bytes | str = charts.render_svg(chart.spec) if fmt == "svg" else charts.render_png(chart.spec)
        except charts.ChartError as exc:
            raise Http404(str(exc)) from exc
    else:
        rows = data_records(card, region=region, gender=choice.gender)
        body = (
            csv_file_text(rows, csv_dialects.dialect_for(dialect, language)).encode("utf-8")
            if fmt == "csv"
            else xlsx_bytes(rows)
        )
    result = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    result["Content-Disposition"] = f'attachment; filename="{_filename(card, region, fmt)}"'
    return result


def data_records(card: Card, *, region: Region, gender: str) -> list[dict[str, Any]]:
    """The values behind the metric page in the data bank's export format (docs/FILE-IMPORT.md): every
    municipality of the region in each year, the region and the country; for metrics outside the data bank,
    the region's values."""
    last_year = card.latest[0] if card.latest else None
    data = card.data
    if data is not None and data.indicator is not None and data.series is not None:
        years = [y for y in data.series.years if last_year is None or y <= last_year]
        found = observations_in_area(
            indicator=data.indicator, area=region.area, years=years, gender=gender, classification=""
        )
        rows = records(data.indicator, found)
        own = {r["year"] for r in rows if r["area_code"] == region.area.code}
        # Region figures derived from the municipalities are part of what the page shows: add them, marked.
        for year in years:
            figure = data.series.region.get(year)
            if year not in own and figure is not None and figure.value is not None:
                rows.append(
                    {
                        "indicator": data.indicator.external_id,
                        "area_code": region.area.code,
                        "area_name": f"{region.area.name_fi} ({figure.rule_label})",
                        "area_kind": region.area.kind,
                        "year": year,
                        "gender": gender,
                        "value": plain_number(figure.value),
                        "absolute_value": None,
                    }
                )
        return rows
    name = region.area.name_fi
    if data is not None and data.synthetic:
        name = f"{name} ({data.vintage})"  # a figure from SYNTHETIC demo input says so in the export too
    return [
        {
            "indicator": card.metric.key,
            "area_code": region.area.code,
            "area_name": name,
            "area_kind": region.area.kind,
            "year": year,
            "gender": Gender.TOTAL.value,
            "value": plain_number(value),
            "absolute_value": None,
        }
        for year, value in card.points
    ]
