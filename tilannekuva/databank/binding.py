"""Binding strategy metrics to data-bank indicators, and resolving a metric's binding back to its indicator."""

from django.db import transaction
from django.db.models import Q

from tilannekuva.strategy.bindings import DataBankBinding
from tilannekuva.strategy.models import BindingType, Metric, StrategyVersion

from .models import Indicator
from .regional import Aggregation


class BindingError(Exception):
    """The binding cannot be made; the message says why."""


def binding_for(indicator: Indicator, *, aggregation: str) -> DataBankBinding:
    if aggregation not in dict(Aggregation.CHOICES):
        raise BindingError(f"unknown aggregation rule '{aggregation}'")
    return DataBankBinding(source=indicator.source.key, series=indicator.external_id, aggregation=aggregation)


@transaction.atomic
def bind(*, metric: Metric, indicator: Indicator, aggregation: str) -> Metric:
    metric.set_binding(binding_for(indicator, aggregation=aggregation))
    metric.save(update_fields=["binding_type", "binding"])
    return metric


def databank_binding(metric: Metric) -> DataBankBinding | None:
    """The metric's data-bank binding, or None when its data comes from elsewhere."""
    binding = metric.typed_binding
    return binding if isinstance(binding, DataBankBinding) else None


def indicator_key(metric: Metric) -> tuple[str, str] | None:
    """(source key, id at the source) of the indicator a metric's binding names, or None."""
    binding = databank_binding(metric)
    return binding.indicator_key if binding is not None else None


def indicator_for(metric: Metric) -> Indicator | None:
    return indicators_for([metric]).get(metric.pk)


def indicators_for(metrics: list[Metric]) -> dict[int, Indicator]:
    """The bound indicator of each metric that has one, by metric id, in one query."""
    keys = {metric.pk: key for metric in metrics if (key := indicator_key(metric))}
    if not keys:
        return {}
    by_source: dict[str, set[str]] = {}
    for source_key, external_id in keys.values():
        by_source.setdefault(source_key, set()).add(external_id)
    wanted = Q()
    for source_key, external_ids in by_source.items():  # one condition per source, not per metric
        wanted |= Q(source__key=source_key, external_id__in=sorted(external_ids))
    found = {(i.source.key, i.external_id): i for i in Indicator.objects.filter(wanted).select_related("source")}
    return {pk: found[key] for pk, key in keys.items() if key in found}


def metrics_bound_to(indicator: Indicator) -> list[Metric]:
    metrics = Metric.objects.filter(binding_type=BindingType.DATABANK).select_related(
        "version__strategy__region", "goal"
    )
    key = (indicator.source.key, indicator.external_id)
    return [m for m in metrics if indicator_key(m) == key]


def bindable_metrics(version: StrategyVersion) -> list[Metric]:
    return list(version.metrics.select_related("goal").order_by("position"))
