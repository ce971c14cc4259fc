"""Binding strategy metrics to data-bank indicators, and resolving a metric's binding back to its indicator."""

from typing import Any

from django.db import transaction
from django.db.models import Q

from tilannekuva.strategy.models import BindingType, Metric, StrategyVersion

from .models import Indicator
from .regional import Aggregation


class BindingError(Exception):
    """The binding cannot be made; the message says why."""


def binding_for(indicator: Indicator, *, aggregation: str) -> tuple[str, dict[str, Any]]:
    if aggregation not in dict(Aggregation.CHOICES):
        raise BindingError(f"unknown aggregation rule '{aggregation}'")
    if indicator.source.key == "sotkanet" and indicator.external_id.isdigit():
        return BindingType.SOTKANET, {"indicator": int(indicator.external_id), "aggregation": aggregation}
    return BindingType.DATABANK, {
        "source": indicator.source.key,
        "series": indicator.external_id,
        "aggregation": aggregation,
    }


@transaction.atomic
def bind(*, metric: Metric, indicator: Indicator, aggregation: str) -> Metric:
    metric.binding_type, metric.binding = binding_for(indicator, aggregation=aggregation)
    metric.save(update_fields=["binding_type", "binding"])
    return metric


def indicator_key(metric: Metric) -> tuple[str, str] | None:
    """(source key, id at the source) of the indicator a metric's binding names, or None."""
    details = metric.binding
    if metric.binding_type == BindingType.SOTKANET and "indicator" in details:
        return "sotkanet", str(details["indicator"])
    if metric.binding_type in (BindingType.DATABANK, BindingType.STATFIN) and "series" in details:
        default_source = "statfin" if metric.binding_type == BindingType.STATFIN else ""
        return str(details.get("source") or default_source), str(details["series"])
    return None


def indicator_for(metric: Metric) -> Indicator | None:
    return indicators_for([metric]).get(metric.pk)


def indicators_for(metrics: list[Metric]) -> dict[int, Indicator]:
    """The bound indicator of each metric that has one, by metric id, in one query."""
    keys = {metric.pk: key for metric in metrics if (key := indicator_key(metric))}
    if not keys:
        return {}
    wanted = Q()
    for source_key, external_id in set(keys.values()):
        wanted |= Q(source__key=source_key, external_id=external_id)
    found = {(i.source.key, i.external_id): i for i in Indicator.objects.filter(wanted).select_related("source")}
    return {pk: found[key] for pk, key in keys.items() if key in found}


def metrics_bound_to(indicator: Indicator) -> list[Metric]:
    binding_type, details = binding_for(indicator, aggregation=Aggregation.REGION_VALUE)
    metrics = Metric.objects.filter(binding_type=binding_type).select_related("version__strategy__region", "goal")
    key = "indicator" if binding_type == BindingType.SOTKANET else "series"
    return [
        m for m in metrics if m.binding.get(key) == details[key] and m.binding.get("source") == details.get("source")
    ]


def bindable_metrics(version: StrategyVersion) -> list[Metric]:
    return list(version.metrics.select_related("goal").order_by("position"))
