"""The bundled strategy files hold the whole content of the seed documents."""

from pathlib import Path

import pytest

from tilannekuva.regions.models import Region
from tilannekuva.strategy.bindings import DataBankBinding
from tilannekuva.strategy.models import BindingType, Goal, GoalLevel, Metric, StrategyVersion
from tilannekuva.strategy.selectors import version_in_force

DATA = Path(__file__).with_name("data")
pytestmark = pytest.mark.usefixtures("world")


def metric_texts(version: StrategyVersion) -> str:
    return "\n".join(f"{m.name} | {m.description} | {m.measure}" for m in Metric.objects.filter(version=version))


def version_of(slug: str) -> StrategyVersion:
    """The version in force this year in the region of `slug`."""
    version = version_in_force(Region.objects.get(slug=slug))
    assert version is not None
    return version


@pytest.mark.parametrize(
    ("region", "listing"), [("etela-savo", "seed-000-metrics.txt"), ("pohjois-savo", "seed-001-metrics.txt")]
)
def test_every_metric_row_of_the_seed_is_present(region, listing):
    texts = metric_texts(version_of(region))
    expected = [line for line in (DATA / listing).read_text(encoding="utf-8").splitlines() if line]
    missing = [line for line in expected if line not in texts]
    assert missing == []


def test_etela_savo_mission_values_and_main_goals():
    version = version_of("etela-savo")
    assert version.mission.startswith("Yhdessä elinvoimainen Etelä-Savo")
    assert [v.name for v in version.values.all()] == ["Vastuullinen", "Avoin", "Uudistuva"]
    main_goals = Goal.objects.filter(version=version, level=GoalLevel.MAIN_GOAL)
    assert main_goals.count() == 3
    nps = Metric.objects.get(version=version, kind="nps")
    assert (nps.target_operator, nps.target_value) == (">", 60)
    assert version.partners.count() == 14  # 12 municipalities of 2024, the county and the regional council


def test_etela_savo_metrics_carry_their_bindings():
    version = version_of("etela-savo")
    bound = [m.typed_binding for m in Metric.objects.filter(version=version, binding_type=BindingType.DATABANK)]
    assert DataBankBinding(source="sotkanet", series="3037", aggregation="region_value") in bound
    assert sorted(b.organisation_kind for b in bound if isinstance(b, DataBankBinding) and b.source == "ptv") == [
        "association",
        "municipality",
        "wellbeing_services_county",
    ]
    assert Metric.objects.filter(version=version, kind="yes_no").count() >= 8


def test_pohjois_savo_has_all_five_interfaces_and_their_actions():
    version = version_of("pohjois-savo")
    codes = list(
        Goal.objects.filter(version=version, level=GoalLevel.FOCUS_AREA).exclude(code="").values_list("code", flat=True)
    )
    assert codes == ["3", "a", "b", "c", "d", "e"]  # the management table (section 3), then interfaces a-e
    assert version.actions.count() >= 40
    assert version.groups.filter(name__icontains="kuntafoorumi").exists()


def test_keski_uusimaa_has_twelve_strategic_goals_and_five_phases():
    version = version_of("keski-uusimaa")
    assert Goal.objects.filter(version=version, level=GoalLevel.GOAL).count() == 12
    assert version.phases.count() == 5


@pytest.mark.parametrize("name", ["etela-savo.yaml", "pohjois-savo.yaml", "keski-uusimaa.yaml"])
def test_no_personal_contact_details_in_strategy_files(settings, name):
    text = (settings.STRATEGIES_DIR / name).read_text(encoding="utf-8")
    for forbidden in ["@", "puh.", "+358", "Rytönen", "Lätti", "Törmi", "Raevuori", "Linda Rex"]:
        assert forbidden not in text
