"""Django admin behind login, with permissions per region: a region administrator edits only their own."""

import pytest
from django.urls import reverse

from tilannekuva.strategy.models import Goal, Metric, StrategyVersion


@pytest.fixture
def etela_savo_metric(world):
    return Metric.objects.filter(version__strategy__region__slug="etela-savo").first()


@pytest.fixture
def pohjois_savo_metric(world):
    return Metric.objects.filter(version__strategy__region__slug="pohjois-savo").first()


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_anonymous_visitor_is_sent_to_login(client, etela_savo_metric):
    response = client.get(change_url(etela_savo_metric))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_region_admin_sees_only_own_region_in_lists(client, users):
    client.force_login(users["alice"])
    text = client.get(reverse("admin:strategy_strategyversion_changelist")).content.decode()
    assert "Etelä-Savon kumppanuusstrategia" in text
    assert "Yhdyspintasuunnitelma 2030" not in text


def test_region_admin_edits_own_region(client, users, etela_savo_metric):
    client.force_login(users["alice"])
    assert client.get(change_url(etela_savo_metric)).status_code == 200


def test_region_admin_cannot_open_or_change_another_region(client, users, pohjois_savo_metric):
    client.force_login(users["alice"])
    before = pohjois_savo_metric.description
    response = client.post(change_url(pohjois_savo_metric), {"description": "hijacked"})
    assert response.status_code in (302, 403, 404)
    assert client.get(change_url(pohjois_savo_metric)).status_code in (302, 403, 404)
    pohjois_savo_metric.refresh_from_db()
    assert pohjois_savo_metric.description == before


@pytest.mark.parametrize("who", ["carol", "dave"])
def test_viewer_and_staff_without_region_cannot_edit(client, users, who, etela_savo_metric):
    client.force_login(users[who])
    assert client.get(change_url(etela_savo_metric)).status_code in (302, 403, 404)
    assert client.get(reverse("admin:strategy_metric_changelist")).status_code == 403


def test_region_admin_cannot_touch_national_area_data(client, users):
    client.force_login(users["alice"])
    assert client.get(reverse("admin:regions_area_changelist")).status_code == 403


def test_region_admin_can_edit_a_goal_title(client, users):
    goal = Goal.objects.filter(version__strategy__region__slug="etela-savo", level="goal").first()
    assert goal is not None
    client.force_login(users["alice"])
    response = client.get(change_url(goal))
    assert response.status_code == 200
    assert goal.title in response.content.decode()


def test_region_admin_sees_version_with_values_inline(client, users):
    version = StrategyVersion.objects.get(strategy__region__slug="etela-savo")
    client.force_login(users["alice"])
    text = client.get(change_url(version)).content.decode()
    assert "Vastuullinen" in text
