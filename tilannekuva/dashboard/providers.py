"""Where a metric's values come from: one provider per kind of data binding, behind one registry.

The data bank's provider is registered here; the follow-up, survey and funding apps register theirs for manual,
survey and computed metrics when they are installed (they sit below the dashboard and may import it). Each
provider names the models it reads, and a change to any of them expires the dashboard's cache (dashboard.signals).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Model
from django.utils.translation import gettext as _

from tilannekuva.databank.binding import databank_binding, indicators_for
from tilannekuva.databank.models import ImportRun, Indicator, Observation
from tilannekuva.databank.regional import region_series_many
from tilannekuva.databank.sources.ptv import SOURCE_KEY as PTV_SOURCE
from tilannekuva.regions.models import Area, Region
from tilannekuva.strategy.bindings import (
    AgreementBinding,
    ComputedBinding,
    CounterpartsBinding,
    ManualBinding,
    SurveyBinding,
)
from tilannekuva.strategy.models import BindingType, Metric, TargetRule

from .figures import MetricData, counties_of  # noqa: F401 - where the apps find them
from .ptv import is_ptv, ptv_data
from .signals import Watch, watch

Provider = Callable[[list[Metric], Region], dict[int, MetricData]]
_PROVIDERS: dict[str, Provider] = {}


def register(binding_types: Iterable[str], provider: Provider, *, watches: Iterable[type[Model] | Watch]) -> None:
    """`provider` gives the values of metrics of these binding types from the models it `watches`: a change to
    any of them expires the cached dashboard pages."""
    for binding_type in binding_types:
        _PROVIDERS[binding_type] = provider
    watch(*watches)


def data_for(metrics: list[Metric], *, region: Region) -> dict[int, MetricData]:
    """Each metric's data by metric id; metrics whose provider knows nothing of them are left out."""
    by_provider: dict[Provider, list[Metric]] = defaultdict(list)
    for metric in metrics:
        provider = _PROVIDERS.get(metric.binding_type)
        if provider is not None:
            by_provider[provider].append(metric)
    found: dict[int, MetricData] = {}
    for provider, group in by_provider.items():
        found.update(provider(group, region))
    return found


def databank_data(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    """Metrics bound to data-bank indicators (Sotkanet, Statistics Finland, files): the region's own figure
    where the source has one, else the binding's rule over the municipalities (databank.regional). A binding
    that names a kind of organisation (PTV's counts) asks for a figure the region series does not hold: it is
    left out here, and its card says that no count has been imported."""
    indicators = indicators_for(metrics)
    rules = {
        m.pk: binding.rule
        for m in metrics
        if m.pk in indicators and (binding := databank_binding(m)) is not None and not binding.organisation_kind
    }
    bound = [m for m in metrics if m.pk in rules]
    pairs = list(dict.fromkeys((indicators[m.pk], rules[m.pk]) for m in bound))
    series_of = dict(zip(pairs, region_series_many(pairs, area=region.area, others=counties_of(region)), strict=True))
    found = {}
    for metric in bound:
        indicator = indicators[metric.pk]
        series = series_of[(indicator, rules[metric.pk])]
        values = {year: figure.value for year, figure in series.region.items() if figure.value is not None}
        data = MetricData(
            values=values,
            source_label=metric.binding_summary,
            unit=metric.unit or indicator.unit,
            vintage=indicator.vintage,
            rule_labels=series.rules_used,
            indicator=indicator,
            series=series,
            direction=indicator.direction,
            updated=indicator.data_updated,
        )
        if metric.target_rule == TargetRule.BEST_THIRD and values:
            data.peers = peer_values(indicator, kind=region.area.kind, year=max(values), leave_out=region.area)
        found[metric.pk] = data
    found.update(ptv_data([m for m in metrics if is_ptv(m)], region))  # counts per kind of organisation: ptv.py
    return found


def peer_values(indicator: Indicator, *, kind: str, year: int, leave_out: Area) -> dict[int, list[float]]:
    """The values of the other areas of the same kind (e.g. every maakunta) in `year`, for "best third"."""
    values = Observation.objects.filter(
        indicator=indicator, year=year, gender="total", classification="", area__kind=kind, value__isnull=False
    ).exclude(area=leave_out)
    return {year: [v for v in values.values_list("value", flat=True) if v is not None]}


def no_data_label(metric: Metric) -> str:
    """What a card says where a metric has no data yet: who or what is expected to bring it."""
    binding = metric.typed_binding
    if isinstance(binding, ManualBinding):
        return _("Reported by hand by the responsible group; nothing has been reported yet.")
    if isinstance(binding, SurveyBinding):
        return _("Comes from a survey; no results yet.")
    if isinstance(binding, ComputedBinding):
        return _("A computed index; it has not been computed yet.")
    if isinstance(binding, CounterpartsBinding | AgreementBinding):
        return _("Answered from the co-operation registers; there is no answer for this year yet.")
    if binding.source == PTV_SOURCE:
        return _("Counted from the Finnish Service Catalogue (PTV); no count has been imported for the region yet.")
    return _("No values have been imported for the region yet.")


def _finished(run: ImportRun) -> bool:
    """A run that has just started has changed nothing yet; its rows are written in bulk, so its end stands for them."""
    return run.finished_at is not None


register(
    [BindingType.DATABANK],
    databank_data,
    watches=[Watch(ImportRun, shows=_finished), Indicator, Observation],
)
