"""Strategy files: exact round trip, faults named by path, nothing changed by a refused file."""

import copy
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tilannekuva.strategy import files, yaml_export, yaml_import
from tilannekuva.strategy.files import StrategyFileError
from tilannekuva.strategy.models import Goal, Metric, StrategyVersion

pytestmark = pytest.mark.usefixtures("world")
FILES = ["etela-savo", "pohjois-savo", "keski-uusimaa"]


def load(settings, region):
    return files.read(settings.STRATEGIES_DIR / f"{region}.yaml")


@pytest.mark.parametrize("region", FILES)
def test_import_then_export_gives_back_the_identical_file(settings, region):
    path = settings.STRATEGIES_DIR / f"{region}.yaml"
    yaml_import.import_file(path)
    assert yaml_export.export_text(region) == path.read_text(encoding="utf-8")


def test_export_command_prints_the_file(settings, capsys):
    call_command("strategy", "export", "etela-savo")
    assert capsys.readouterr().out == (settings.STRATEGIES_DIR / "etela-savo.yaml").read_text(encoding="utf-8")


def test_second_import_keeps_ids_and_changes_nothing(settings):
    before = sorted(Metric.objects.values_list("pk", "key", "description"))
    result = yaml_import.import_file(settings.STRATEGIES_DIR / "etela-savo.yaml")
    assert result.created is False
    assert sorted(Metric.objects.values_list("pk", "key", "description")) == before


def snapshot():
    return (
        StrategyVersion.objects.count(),
        Goal.objects.count(),
        sorted(Metric.objects.values_list("pk", "frequency")),
    )


def test_bad_frequency_is_refused_with_its_path_and_changes_nothing(settings):
    data = load(settings, "etela-savo")
    data["focus_areas"][2]["goals"][0]["metrics"][1]["frequency"] = "weekly"
    data["focus_areas"][0]["goals"][0]["metrics"][0]["description"] = "changed"
    before = snapshot()
    with pytest.raises(StrategyFileError) as caught:
        yaml_import.import_strategy(data)
    assert caught.value.errors[0].startswith("focus_areas[2].goals[0].metrics[1].frequency: expected one of yearly")
    assert snapshot() == before


def test_unknown_field_and_missing_field_are_named(settings):
    data = load(settings, "etela-savo")
    data["values"][0]["colour"] = "red"
    del data["mission"]
    with pytest.raises(StrategyFileError) as caught:
        yaml_import.import_strategy(data)
    assert "mission: required field is missing" in caught.value.errors
    assert any(e.startswith("values[0].colour: unknown field") for e in caught.value.errors)


def test_duplicate_key_and_dangling_reference_are_named(settings):
    data = load(settings, "etela-savo")
    data["focus_areas"][1]["key"] = data["focus_areas"][0]["key"]
    data["main_goals"][0]["responsible"] = "no-such-group"
    with pytest.raises(StrategyFileError) as caught:
        yaml_import.import_strategy(data)
    text = str(caught.value)
    assert "focus_areas[1].key: 'hyte' is already used at focus_areas[0].key" in text or "is already used at" in text
    assert "main_goals[0].responsible: 'no-such-group' is not the key of any working group or forum" in text


def test_a_2025_version_cannot_name_pertunmaa_as_a_partner(settings):
    data = load(settings, "etela-savo")
    data["version"]["year"] = 2025
    with pytest.raises(StrategyFileError) as caught:
        yaml_import.import_strategy(data)
    assert any("Pertunmaa (588) did not exist in 2025" in e for e in caught.value.errors)


def test_yearly_versions_are_kept_side_by_side(settings):
    data = load(settings, "etela-savo")
    data["version"] = {"year": 2025, "status": "draft"}
    data["partners"] = [p for p in data["partners"] if p.get("code") != "588"]
    for forum in data["forums"]:  # Pertunmaa sits also at the Mikkeli partnership table
        forum["member_organisations"] = [m for m in forum.get("member_organisations", []) if m.get("code") != "588"]
    data["mission"] = "Uusi missio 2025"
    yaml_import.import_strategy(copy.deepcopy(data))
    assert list(
        StrategyVersion.objects.filter(strategy__region__slug="etela-savo")
        .order_by("year")
        .values_list("year", "mission")
    ) == [
        (2024, load(settings, "etela-savo")["mission"]),
        (2025, "Uusi missio 2025"),
    ]
    assert yaml_export.export_text("etela-savo", year=2024) == (settings.STRATEGIES_DIR / "etela-savo.yaml").read_text(
        encoding="utf-8"
    )
    assert "Uusi missio 2025" in yaml_export.export_text("etela-savo", year=2025)  # a draft, by its year
    assert "Uusi missio 2025" not in yaml_export.export_text("etela-savo")  # in force: the approved 2024 version


def test_removed_metric_is_deleted_on_reimport(settings):
    data = load(settings, "etela-savo")
    removed = data["focus_areas"][4]["goals"][0]["metrics"].pop()
    yaml_import.import_strategy(data)
    assert not Metric.objects.filter(key=removed["key"], version__strategy__region__slug="etela-savo").exists()


def test_import_command_reports_the_fault_and_refuses(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nslug: x\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line \d+, column \d+: not valid YAML"):
        call_command("strategy", "import", str(bad))


def test_validate_command_accepts_the_bundled_files(settings, capsys):
    call_command("strategy", "validate", *(str(settings.STRATEGIES_DIR / f"{r}.yaml") for r in FILES))
    assert capsys.readouterr().out.count(": valid") == 3


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_is_either_refused_cleanly_or_valid(text):
    try:
        yaml_import.validate(files.parse(text))
    except StrategyFileError as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)


def test_a_file_nested_too_deeply_is_refused_by_name(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("strategy", "validate", str(deep))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
        max_leaves=12,
    )
)
def test_any_structure_is_refused_with_named_paths(data):
    with pytest.raises(StrategyFileError):
        yaml_import.import_strategy(data)


def test_every_field_of_the_format_is_documented(settings):
    """docs/STRATEGY-FORMAT.md names every property of the JSON Schema."""
    schema = json.loads(files.SCHEMA_PATH.read_text(encoding="utf-8"))
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    doc = (settings.BASE_DIR / "docs" / "STRATEGY-FORMAT.md").read_text(encoding="utf-8")
    assert sorted(n for n in names if not re.search(rf"\b{re.escape(n)}\b", doc)) == []


# Where a text of a strategy file goes: (path to it in the Etelä-Savo file, the model and column that keep it).
PLACES = {
    "metric unit": (("focus_areas", 0, "goals", 0, "metrics", 0, "unit"), Metric, "unit"),
    "metric name": (("focus_areas", 0, "goals", 0, "metrics", 0, "name"), Metric, "name"),
    "goal code": (("focus_areas", 0, "code"), Goal, "code"),
    "version name": (("name",), StrategyVersion, "name"),
}


class RolledBack(Exception):
    pass


def test_a_unit_over_40_characters_is_refused_by_validate_and_import_alike(settings, tmp_path):
    data = load(settings, "etela-savo")
    data["focus_areas"][0]["goals"][0]["metrics"][0]["unit"] = "u" * 41
    for check in (yaml_import.validate, yaml_import.import_strategy):
        with pytest.raises(StrategyFileError) as caught:
            check(copy.deepcopy(data))
        assert caught.value.errors == [
            "focus_areas[0].goals[0].metrics[0].unit: 41 characters; at most 40 fit (“uuuuuuuuuuuuuuuuuuuuuuuuuuuuuu…”)"
        ]
    written = tmp_path / "long-unit.yaml"
    written.write_text(files.dump(data), encoding="utf-8")
    for action in ("validate", "import"):
        with pytest.raises(CommandError, match=r"metrics\[0\]\.unit: 41 characters; at most 40 fit"):
            call_command("strategy", action, str(written))


@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    place=st.sampled_from(sorted(PLACES)),
    text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=400),
)
def test_validate_accepts_exactly_what_import_stores(settings, place, text):
    """`strategy validate` ⇔ `strategy import`: a file validate accepts is imported and keeps the text whole; a file
    it refuses, import refuses with the same errors, and changes nothing."""
    path, model, column = PLACES[place]
    data = load(settings, "etela-savo")
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = text
    try:
        yaml_import.validate(copy.deepcopy(data))
        refused = None
    except StrategyFileError as exc:
        refused = exc.errors
    try:
        with transaction.atomic():
            yaml_import.import_strategy(copy.deepcopy(data))
            stored = model._default_manager.filter(**{column: text}).exists()
            raise RolledBack
    except StrategyFileError as exc:
        assert refused == exc.errors
    except RolledBack:
        assert refused is None and stored
        field = model._meta.get_field(column)
        assert isinstance(field, models.CharField) and field.max_length is not None
        assert len(text) <= field.max_length
