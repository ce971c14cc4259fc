"""The partnership's structures in a strategy file: groups in an area of the region and under a parent group,
member organisations with their business ids, dialogue levels and client paths, and their rules."""

import copy

import pytest

from tilannekuva.regions.models import Region
from tilannekuva.strategy import files, versions, yaml_import
from tilannekuva.strategy.files import StrategyFileError
from tilannekuva.strategy.models import Group, GroupKind, StrategyVersion
from tilannekuva.strategy.selectors import version_in_force
from tilannekuva.strategy.structures import client_paths_of, dialogue_levels_of, matrix_interfaces

pytestmark = pytest.mark.usefixtures("world")


def load(settings, region):
    return files.read(settings.STRATEGIES_DIR / f"{region}.yaml")


def forum(data, key):
    return next(f for f in data["forums"] if f["key"] == key)


def in_force(region: str) -> StrategyVersion:
    version = version_in_force(Region.objects.get(slug=region))
    assert version is not None
    return version


def refused(data) -> list[str]:
    with pytest.raises(StrategyFileError) as caught:
        yaml_import.import_strategy(data)
    return caught.value.errors


def test_the_three_partnership_tables_of_seed_003_sit_in_their_seutukunnat():
    tables = Group.objects.filter(
        version__strategy__region__slug="etela-savo", kind=GroupKind.PARTNERSHIP_TABLE, area__kind="seutukunta"
    ).select_related("area")
    assert sorted((t.key, t.area.name_fi if t.area else "") for t in tables) == [
        ("kumppanuuspoyta-mikkeli", "Mikkeli"),
        ("kumppanuuspoyta-pieksamaki", "Pieksämäki"),
        ("kumppanuuspoyta-savonlinna", "Savonlinna"),
    ]
    assert all("S11557" in t.source and "2010" in t.source for t in tables)


def test_the_theme_group_works_under_the_mikkeli_table_and_says_its_placement_is_an_example():
    theme = Group.objects.get(version__strategy__region__slug="etela-savo", key="teemaryhma-sote-hankinnat")
    assert theme.kind == GroupKind.THEME_GROUP
    assert theme.parent is not None and theme.parent.key == "kumppanuuspoyta-mikkeli"
    assert "esimerkki, ei lähteen tieto" in theme.source


def test_a_table_member_keeps_its_business_id():
    table = Group.objects.get(version__strategy__region__slug="etela-savo", key="kumppanuuspoyta-savonlinna")
    members = {o.name: o.business_id for o in table.member_organisations.all()}
    assert members["Mikkelin ammattikorkeakoulu Oy"] == "2189312-7"
    assert {"Savonlinna", "Enonkoski"} <= set(members)


def test_a_wrong_business_id_check_digit_is_refused_with_its_path(settings):
    data = load(settings, "etela-savo")
    mamk = next(m for m in forum(data, "kumppanuuspoyta-mikkeli")["member_organisations"] if "business_id" in m)
    mamk["business_id"] = "2189312-8"
    errors = refused(data)
    assert any(e.startswith("forums[") and ".business_id: '2189312-8' is not a valid business id" in e for e in errors)


def test_a_business_id_of_the_wrong_form_is_refused_by_the_schema(settings):
    data = load(settings, "etela-savo")
    data["partners"][-1]["business_id"] = "21893127"
    assert any("business_id" in e and "does not match" in e for e in refused(data))


def test_a_parent_must_be_a_group_and_parents_must_not_go_round(settings):
    data = load(settings, "etela-savo")
    forum(data, "teemaryhma-sote-hankinnat")["parent"] = "no-such-group"
    assert any(".parent: 'no-such-group' is not the key of any working group or forum" in e for e in refused(data))
    data = load(settings, "etela-savo")
    forum(data, "kumppanuuspoyta-mikkeli")["parent"] = "teemaryhma-sote-hankinnat"
    assert any("go round in a circle" in e for e in refused(data))
    data = load(settings, "etela-savo")
    forum(data, "kumppanuuspoyta-mikkeli")["parent"] = "kumppanuuspoyta-mikkeli"
    assert any("cannot be part of itself" in e for e in refused(data))


def test_a_group_area_outside_the_region_is_refused(settings):
    data = load(settings, "etela-savo")
    forum(data, "kumppanuuspoyta-mikkeli")["area"] = {"kind": "seutukunta", "code": "112"}  # Kuopio
    assert any(e.endswith("area: Kuopio (112) is not within Etelä-Savo in 2024") for e in refused(data))


def test_a_member_municipality_must_exist_in_the_version_year(settings):
    data = load(settings, "etela-savo")
    data["version"]["year"] = 2025
    data["partners"] = [p for p in data["partners"] if p.get("code") != "588"]
    errors = refused(data)  # Pertunmaa merged into Mäntyharju in 2025, but still sits at the Mikkeli table
    assert errors == ["forums[1].member_organisations[5].code: Pertunmaa (588) did not exist in 2025"]
    data = load(settings, "etela-savo")
    forum(data, "kumppanuuspoyta-savonlinna")["member_organisations"].append({"kind": "municipality", "code": "998"})
    assert any("member_organisations[3].code: no municipality with code '998'" in e for e in refused(data))


def test_a_refused_structure_changes_nothing(settings):
    before = sorted(Group.objects.values_list("pk", "key", "parent_id", "area_id"))
    data = load(settings, "etela-savo")
    forum(data, "teemaryhma-sote-hankinnat")["parent"] = "no-such-group"
    refused(data)
    assert sorted(Group.objects.values_list("pk", "key", "parent_id", "area_id")) == before


def test_the_dialogue_levels_of_seed_001_and_the_client_paths_of_employment(settings):
    version = in_force("pohjois-savo")
    assert [level.name for level in dialogue_levels_of(version)] == [
        "Johdon taso",
        "Yhdyspintataso",
        "Arjen taso",
        "Osallistumisen taso",
    ]
    interfaces = matrix_interfaces(version)
    assert [i.code for i in interfaces] == ["a", "b", "c", "d", "e"]
    employment = next(i for i in interfaces if i.code == "c")
    assert [p.name for p in client_paths_of(employment)] == [
        "Työllisyyspalvelut",
        "Työikäisten sosiaalipalvelut",
        "Perhekeskusverkostot",
    ]


def test_an_unknown_dialogue_level_and_a_repeated_client_path_are_named(settings):
    data = load(settings, "pohjois-savo")
    employment = next(a for a in data["focus_areas"] if a["key"] == "tyollisyys-yhdyspinta")
    employment["dialogue_levels"].append("kahvitaso")
    employment["client_paths"].append(copy.deepcopy(employment["client_paths"][0]))
    errors = refused(data)
    assert any(".dialogue_levels[4]: 'kahvitaso' is not the key of any dialogue level" in e for e in errors)
    assert any(".client_paths[3].key: 'tyollisyyspalvelut' is already used" in e for e in errors)


def test_a_counterparts_metric_needs_an_interface_with_dialogue_levels(settings):
    data = load(settings, "pohjois-savo")
    employment = next(a for a in data["focus_areas"] if a["key"] == "tyollisyys-yhdyspinta")
    del employment["dialogue_levels"]
    del employment["client_paths"]
    assert any("counterparts metric must sit under an interface with dialogue_levels" in e for e in refused(data))


def test_an_agreement_metric_names_the_kind_of_agreement(settings):
    data = load(settings, "pohjois-savo")
    security = next(a for a in data["focus_areas"] if a["key"] == "turvallisuus-yhdyspinta")
    action = next(a for g in security["goals"] for a in g.get("actions", []) if a["key"] == "e-yhteistyosopimus")
    del action["metrics"][0]["binding"]["agreement_kind"]
    assert any(e.endswith("binding.agreement_kind: required field is missing") for e in refused(data))


def test_a_copied_version_keeps_areas_and_parents_within_itself(settings):
    version = in_force("etela-savo")
    copy_ = versions.copy_version(version=version, year=2031)
    theme = copy_.groups.get(key="teemaryhma-sote-hankinnat")
    assert theme.parent is not None and theme.parent.version_id == copy_.pk
    assert theme.parent.key == "kumppanuuspoyta-mikkeli" and theme.area == theme.parent.area
    assert copy_.dialogue_levels == version.dialogue_levels
