"""The dashboard's data for metrics reported by hand: the approved reports of each reporting period."""

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import BindingType, MeasureKind, Metric

from .models import Report, ReportStatus, Task
from .services import SUMMED_KINDS


def approved_values(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    """Per metric and year, the approved value: one report, or for a metric reported per organisation the sum
    (counts, euros) or the mean (shares) of the organisations' approved values, and each organisation's own
    value under its area (the municipality profile reads it). A yes/no metric that each organisation reports
    for itself is "X / Y": X organisations said yes of the Y that had the task; its value is the share X / Y,
    so the target "yes" is met when every one said yes.

    Metrics are matched by key, so the values of earlier years stay with a metric through yearly versions."""
    keys = {m.key: m for m in metrics}
    latest: dict[tuple[str, int, int | None], Report] = {}
    reports = Report.objects.filter(
        task__period__region=region, task__metric__key__in=keys, status=ReportStatus.APPROVED
    ).select_related("task__period", "task__metric", "task__organisation", "organisation", "submitted_by")
    for report in reports.order_by("submitted_at", "pk"):
        latest[(report.task.metric.key, report.task.period.year, report.task.organisation_id)] = report
    expected = Counter(
        Task.objects.filter(period__region=region, metric__key__in=keys, organisation__isnull=False).values_list(
            "metric__key", "period__year"
        )
    )
    grouped: dict[str, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    for (key, year, _organisation), report in latest.items():
        grouped[key][year].append(report)
    found = {}
    for key, by_year in grouped.items():
        metric = keys[key]
        data = MetricData(values={}, source_label="", unit=metric.unit)
        for year, year_reports in by_year.items():
            _year_of(data, metric, year, year_reports, expected=expected[(key, year)])
        label = _("Reported by hand and approved")
        if data.coverage:
            done, total = data.coverage[max(data.coverage)]
            label += " · " + _("%(done)s / %(total)s organisations") % {"done": done, "total": total}
        data.source_label = label
        found[metric.pk] = data
    return found


def _year_of(data: MetricData, metric: Metric, year: int, reports: list[Report], *, expected: int) -> None:
    numbers = [r.numeric_value for r in reports if r.numeric_value is not None]
    own = [r for r in reports if r.task.organisation_id]
    data.texts[year] = "; ".join(r.value_text for r in reports if r.value_text)
    for report in own:
        organisation = report.task.organisation
        if organisation is not None and organisation.area_id is not None and report.numeric_value is not None:
            data.by_area.setdefault(organisation.area_id, {})[year] = report.numeric_value
        data.reporters.setdefault(year, []).append((str(organisation), report.display_value, report.evidence_url))
    if not numbers:
        return
    if own and expected:
        if metric.kind == MeasureKind.YES_NO:
            yes = sum(1 for n in numbers if n >= 0.5)
            data.values[year] = yes / expected
            data.coverage[year] = (yes, expected)
            data.region_rule = _("X / Y: the organisations that answered yes of those that report it")
            return
        data.coverage[year] = (len(numbers), expected)
    if metric.kind in SUMMED_KINDS:
        data.values[year] = sum(numbers)
        data.region_rule = _("the sum of the organisations' values") if own else ""
    else:
        data.values[year] = sum(numbers) / len(numbers)
        data.region_rule = _("the mean of the organisations' values") if own else ""


register([BindingType.MANUAL], approved_values, watches=[Report])
