"""The dashboard's answers from the co-operation registers: a metric bound to the counterpart pairs
(`binding: {type: counterparts}`, seed 001's "Yhteystiedot löytyvät / ei löydy") is yes in a year when every
place of its interface's row of the matrix has a pair; a metric bound to agreements (`binding: {type: agreement,
agreement_kind: KIND}`, e.g. "Yhteistyösopimus tehty / ei tehty") is yes when an agreement of that kind for its
interface is in force. Each year from the strategy period's start to this year has an answer with its evidence,
computed by the same functions as the counterparts and agreements pages."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tilannekuva.dashboard.providers import MetricData, register
from tilannekuva.regions.models import Region
from tilannekuva.strategy.bindings import AgreementBinding
from tilannekuva.strategy.models import BindingType, Direction, Goal, Metric, StrategyVersion

from .models import Agreement, CounterpartPair
from .registers import (
    agreement_evidence,
    counterpart_matrix,
    interfaces_of_metric,
    matching_agreements,
    region_pairs,
    visible_agreements,
)


def _years(version: StrategyVersion) -> range:
    this_year = timezone.localdate().year
    return range(min(version.period_start, this_year), this_year + 1)


def _goals(metrics: list[Metric]) -> dict[int, dict[int, Goal]]:
    versions = {m.version_id for m in metrics}
    found: dict[int, dict[int, Goal]] = {v: {} for v in versions}
    for goal in Goal.objects.filter(version_id__in=versions):
        found[goal.version_id][goal.pk] = goal
    return found


def counterpart_values(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    pairs = region_pairs(region)
    goals = _goals(metrics)
    found = {}
    for metric in metrics:
        version = metric.version
        interfaces = interfaces_of_metric(metric, goals[version.pk])
        values: dict[int, float] = {}
        evidence: dict[int, str] = {}
        for year in _years(version):
            matrix = counterpart_matrix(region, version, year=year, pairs=pairs)
            if not matrix.rows_for(interfaces):
                continue
            values[year] = 1.0 if matrix.found(interfaces) else 0.0
            evidence[year] = matrix.evidence(interfaces)
        anchor = f"#interface-{interfaces[0]}" if interfaces else ""
        found[metric.pk] = MetricData(
            values=values,
            source_label=_("Counterpart pairs register"),
            unit=metric.unit,
            direction=metric.direction or Direction.NEUTRAL,
            evidence=evidence,
            detail_url=reverse("cooperation:counterparts", args=[region.slug]) + anchor,
            detail_label=_("The counterpart matrix"),
        )
    return found


def agreement_values(metrics: list[Metric], region: Region) -> dict[int, MetricData]:
    agreements = list(visible_agreements(region, internal=False))
    goals = _goals(metrics)
    found = {}
    for metric in metrics:
        binding = metric.typed_binding
        if not isinstance(binding, AgreementBinding):
            continue
        kind = binding.agreement_kind
        interfaces = interfaces_of_metric(metric, goals[metric.version_id])
        values: dict[int, float] = {}
        evidence: dict[int, str] = {}
        demo = False
        for year in _years(metric.version):
            matching = matching_agreements(agreements, kind=kind, interface_keys=interfaces, year=year)
            values[year] = 1.0 if matching else 0.0
            evidence[year] = agreement_evidence(matching, kind=kind, year=year)
            demo = demo or any(a.demo for a in matching)
        notes = [_("Demo data (synthetic)")] if demo else []
        found[metric.pk] = MetricData(
            values=values,
            source_label=" · ".join([_("Agreements register"), *notes]),
            vintage=" · ".join(notes),
            unit=metric.unit,
            direction=metric.direction or Direction.NEUTRAL,
            evidence=evidence,
            detail_url=reverse("cooperation:agreements", args=[region.slug]),
            detail_label=_("The agreements register"),
        )
    return found


register([BindingType.COUNTERPARTS], counterpart_values, watches=[CounterpartPair])
register([BindingType.AGREEMENT], agreement_values, watches=[Agreement, Agreement.parties.through])
