"""Seed 001 names who is responsible for every action of the Pohjois-Savo plan: a follow-up period gives each
metric reported by hand a task for that group, whose coordinators approve it."""

import datetime

from tilannekuva.followup.services import open_period
from tilannekuva.regions.models import Region, RegionRole, RoleKind
from tilannekuva.regions.permissions import can_coordinate
from tilannekuva.strategy.models import BindingType


def test_a_2025_period_of_pohjois_savo_gives_every_manual_metric_a_coordinating_group(users, django_user_model):
    region = Region.objects.get(slug="pohjois-savo")
    period = open_period(region=region, year=2025, deadline=datetime.date(2026, 3, 31), user=users["bob"])
    tasks = list(period.tasks.select_related("metric__version"))
    assert tasks and {t.metric.binding_type for t in tasks} == {BindingType.MANUAL}
    version = tasks[0].metric.version
    groups = set(version.groups.values_list("key", flat=True))
    assert all(t.group_key in groups for t in tasks)
    employment_task = next(t for t in tasks if t.metric.key == "c-tyoikaisten-hyvinvointitavoitteet-m1")
    coordinator = django_user_model.objects.create_user("kaija", password="kaija-password-1")
    RegionRole.objects.create(user=coordinator, region=region, role=RoleKind.COORDINATOR, group_key="kaikki-toimijat")
    assert employment_task.group_key == "kaikki-toimijat"
    assert can_coordinate(coordinator, region=region, group_key=employment_task.group_key)
