"""The dashboard's data for metrics reported by hand: the approved reports of each reporting period."""

from collections import defaultdict

from django.utils.translation import gettext as _

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import BindingType, Metric

from .models import Report, ReportStatus
from .services import SUMMED_KINDS


def approved_values(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    """Per metric and year, the approved value: one report, or for a metric reported per organisation the sum
    (counts, euros) or the mean (shares, yes/no as the share of yes) of the organisations' approved values.

    Metrics are matched by key, so the values of earlier years stay with a metric through yearly versions."""
    keys = {m.key: m for m in metrics}
    latest: dict[tuple[str, int, int | None], Report] = {}
    reports = Report.objects.filter(
        task__period__region=region, task__metric__key__in=keys, status=ReportStatus.APPROVED
    ).select_related("task__period", "task__metric")
    for report in reports.order_by("submitted_at", "pk"):
        latest[(report.task.metric.key, report.task.period.year, report.task.organisation_id)] = report
    grouped: dict[str, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    for (key, year, _organisation), report in latest.items():
        grouped[key][year].append(report)
    found = {}
    for key, by_year in grouped.items():
        metric = keys[key]
        values, texts, counts = {}, {}, {}
        for year, year_reports in by_year.items():
            numbers = [r.numeric_value for r in year_reports if r.numeric_value is not None]
            if numbers:
                values[year] = sum(numbers) if metric.kind in SUMMED_KINDS else sum(numbers) / len(numbers)
            texts[year] = "; ".join(r.value_text for r in year_reports if r.value_text)
            counts[year] = len(year_reports)
        label = _("Reported by hand and approved")
        if metric.per_organisation:
            label += " · " + _("%(count)s organisations") % {"count": counts[max(counts)]}
        found[metric.pk] = MetricData(values=values, source_label=label, unit=metric.unit, texts=texts)
    return found


register([BindingType.MANUAL], approved_values, watches=[Report])
