"""Co-operation test world: an Etelä-Savo action kept by the HYTE working group, a process phase, an editor and
the group's coordinator beside the shared alice/bob/carol/dave."""

import pytest

from tilannekuva.regions.models import Organisation, OrganisationKind, Region, RegionRole, RoleKind
from tilannekuva.strategy.models import Action, Goal, Group, Metric, ProcessEvent, ProcessPhase, StrategyVersion
from tilannekuva.strategy.selectors import version_in_force

GROUP_KEY = "hyte-tyoryhma"
ACTION_KEY = "es-liikuntareitit"
PHASE_KEY = "es-paivitys"


@pytest.fixture
def etela_savo(world) -> Region:
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def es_version(etela_savo) -> StrategyVersion:
    version = version_in_force(etela_savo)
    assert version is not None
    return version


@pytest.fixture
def es_action(es_version) -> Action:
    goal = Goal.objects.filter(version=es_version, parent__isnull=False).order_by("position")[0]
    group = Group.objects.get(version=es_version, key=GROUP_KEY)
    action = Action.objects.create(
        version=es_version,
        key=ACTION_KEY,
        goal=goal,
        title="Liikuntareittien yhteinen kartoitus",
        responsible="Mikkelin kaupunki ja Etelä-Savon hyvinvointialue",
        responsible_group=group,
        position=999,
    )
    Metric.objects.create(
        version=es_version,
        key="es-liikuntareitit-m1",
        goal=goal,
        action=action,
        description="Kartoitus tehty / ei tehty",
        kind="yes_no",
        frequency="yearly",
        position=999,
    )
    return action


@pytest.fixture
def es_phase(es_version) -> ProcessPhase:
    phase = ProcessPhase.objects.create(version=es_version, key=PHASE_KEY, name="Strategian päivitys", position=1)
    ProcessEvent.objects.create(phase=phase, name="Kuntafoorumin työpaja", kind="workshop", date="2026-03-12")
    return phase


@pytest.fixture
def people(users, etela_savo, django_user_model):
    """users plus erin, a Mikkeli editor, and cody, the coordinator of the HYTE working group (both Etelä-Savo)."""
    mikkeli = Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, area__code="491")
    erin = django_user_model.objects.create_user("erin", password="erin-password-12")
    RegionRole.objects.create(user=erin, region=etela_savo, role=RoleKind.EDITOR, organisation=mikkeli)
    cody = django_user_model.objects.create_user("cody", password="cody-password-12")
    RegionRole.objects.create(user=cody, region=etela_savo, role=RoleKind.COORDINATOR, group_key=GROUP_KEY)
    return {**users, "erin": erin, "cody": cody}
