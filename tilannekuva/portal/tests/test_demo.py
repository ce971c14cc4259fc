"""`tilannekuva demo`: the areas, the three strategies and the bundled real data, loaded through the importers."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tilannekuva.databank.models import ImportRun, ImportStatus, Indicator, Observation
from tilannekuva.followup.models import ReportingPeriod, TaskStatus
from tilannekuva.regions.models import Region, RegionRole, RoleKind

from .demo_checks import check_where_mikkeli_stands_and_that_no_old_value_is_on_track

pytestmark = pytest.mark.django_db


def test_demo_loads_strategies_and_bundled_data_and_a_second_run_changes_nothing():
    out = StringIO()
    call_command("demo", stdout=out)
    assert set(Region.objects.values_list("slug", flat=True)) >= {"etela-savo", "pohjois-savo", "keski-uusimaa"}
    snapshot = Indicator.objects.filter(source__key="sotkanet-snapshot")
    assert snapshot.count() == 52
    assert all("2013" in i.vintage for i in snapshot)
    population = Indicator.objects.get(source__key="sotkanet", external_id="127")
    assert Observation.objects.filter(indicator=population).count() == 7107
    assert "geofi" in population.vintage
    described = Indicator.objects.get(source__key="sotkanet", external_id="5527")
    assert described.description_fi and not described.observations.exists()
    assert "Demo administrator: demo-admin" in out.getvalue()
    period = ReportingPeriod.objects.get(region__slug="etela-savo")
    yes_no = period.tasks.filter(metric__kind="yes_no")
    # 7 shared yes/no tasks and each of the 11 municipalities of 2025 its own welfare report (no Pertunmaa)
    assert yes_no.count() == 7 + 11 and {t.status for t in yes_no} == {TaskStatus.OPEN}
    assert not period.tasks.filter(organisation__area__code="588").exists()
    assert all(t.group_key for t in yes_no)  # each a task of a responsible group of seed 000's table
    editors = RegionRole.objects.filter(region=period.region, role=RoleKind.EDITOR, user__username__startswith="demo-")
    assert {r.organisation.kind for r in editors if r.organisation} == {
        "municipality",
        "wellbeing_services_county",
        "regional_council",
    }
    check_where_mikkeli_stands_and_that_no_old_value_is_on_track()
    runs_before = ImportRun.objects.count()

    again = StringIO()
    call_command("demo", "--no-admin", stdout=again)
    latest = ImportRun.objects.order_by("-pk")[: ImportRun.objects.count() - runs_before]
    assert {run.status for run in latest} == {ImportStatus.UNCHANGED}
    assert "0 added, 0 changed: nothing changed" in again.getvalue()


@override_settings(PRODUCTION=True)
def test_the_demo_is_refused_in_production():
    with pytest.raises(CommandError, match="never loaded in the production profile"):
        call_command("demo", "--no-admin")
