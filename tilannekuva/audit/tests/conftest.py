"""Fixtures of the audit trail's tests: a metric and a goal of Etelä-Savo."""

import pytest
from django.utils import translation

from tilannekuva.audit.models import AuditEntry
from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import Metric


@pytest.fixture
def etela_savo(world):
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def target_metric(world):
    """Etelä-Savo's metric with the target '> 60'."""
    return Metric.objects.get(version__strategy__region__slug="etela-savo", target_type="value", target_value=60)


@pytest.fixture(autouse=True)
def _empty_trail(db):
    """Each test starts from an empty trail: loading the test world has recorded the strategies' creation."""
    AuditEntry.objects.all().delete()


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language; the Finnish ones are the translators' work."""
    with translation.override("en"):
        yield
