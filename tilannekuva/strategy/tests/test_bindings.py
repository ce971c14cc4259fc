"""A metric's binding: parsed once into a typed object, refused on import with the metric and field named, written
back in the schema's order, and the old data-bank bindings moved to the one type by the migration."""

import sys
from dataclasses import fields

import pytest
from django.core.exceptions import ValidationError
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from tilannekuva.strategy import bindings, files, yaml_import
from tilannekuva.strategy.bindings import (
    BindingError,
    ComputedBinding,
    DataBankBinding,
    ManualBinding,
    SurveyBinding,
)
from tilannekuva.strategy.files import StrategyFileError
from tilannekuva.strategy.models import Metric


def the_migration():
    """The module of the migration that moved the old data-bank bindings (a name that starts with a digit)."""
    migration = MigrationLoader(None, ignore_no_migrations=True).get_migration("strategy", "0003_one_databank_binding")
    return sys.modules[migration.__module__]


def test_each_kind_of_binding_is_parsed_into_its_own_type():
    assert bindings.parse("manual", {}) == ManualBinding()
    assert bindings.parse("databank", {"source": "sotkanet", "series": "3037"}) == DataBankBinding("sotkanet", "3037")
    assert bindings.parse("survey", {"survey": "partner-survey", "question": "nps"}) == SurveyBinding(
        "partner-survey", "nps"
    )
    assert bindings.parse("computed", {"index": "vitality_index", "component": "vaestoindeksi"}) == ComputedBinding(
        "vitality_index", component="vaestoindeksi"
    )


def test_a_data_bank_binding_without_a_rule_takes_the_sources_own_figure():
    assert DataBankBinding("sotkanet", "3037").rule == "region_value"
    assert DataBankBinding("sotkanet", "3037", aggregation="sum").rule == "sum"


@pytest.mark.parametrize(
    ("binding_type", "details", "field", "message"),
    [
        ("sotkanet", {"indicator": 3037}, "type", "expected one of manual, databank, survey, computed"),
        ("databank", {"source": "sotkanet"}, "series", "required for a databank binding"),
        ("databank", {"source": "sotkanet", "series": "1", "question": "nps"}, "question", "not a field of a databank"),
        ("databank", {"source": "sotkanet", "series": "1", "aggregation": "median"}, "aggregation", "expected one of"),
        ("manual", {"survey": "x"}, "survey", "its fields are reporter"),
        ("computed", {"index": "happiness"}, "index", "hyte_coefficient, vitality_index"),
        ("survey", {"survey": ["a"]}, "survey", "expected text"),
    ],
)
def test_a_bad_binding_names_its_field(binding_type, details, field, message):
    with pytest.raises(BindingError) as caught:
        bindings.parse(binding_type, details)
    assert caught.value.field == field and message in caught.value.message


def test_the_fields_of_every_kind_are_in_the_schemas_order_and_in_the_schema():
    order = list(files.schema()["$defs"]["binding"]["properties"])
    assert order[0] == "type" and set(order[1:]) == {f.name for kind in bindings.KINDS.values() for f in fields(kind)}
    for kind in bindings.KINDS.values():
        names = [f.name for f in fields(kind)]
        assert names == sorted(names, key=order.index)
    assert files.schema()["$defs"]["binding"]["properties"]["type"]["enum"] == list(bindings.KINDS)


def test_the_schemas_choices_are_the_parsers():
    properties = files.schema()["$defs"]["binding"]["properties"]
    for (_kind, name), choices in bindings.CHOICES.items():
        assert properties[name]["enum"] == list(choices)


def test_a_stored_binding_is_written_back_as_the_file_has_it():
    binding = DataBankBinding("sotkanet", "3037", aggregation="region_value")
    assert bindings.details_of(binding) == {"source": "sotkanet", "series": "3037", "aggregation": "region_value"}
    assert list(bindings.item_of(binding)) == ["type", "source", "series", "aggregation"]
    assert bindings.parse_item(bindings.item_of(binding)) == binding


def test_a_metric_reads_its_binding_as_attributes(world):
    metric = Metric.objects.filter(binding_type="databank", binding__source="sotkanet").first()
    assert metric is not None
    assert metric.typed_binding == DataBankBinding("sotkanet", "3037", aggregation="region_value")
    with translation.override("en"):
        assert metric.binding_summary == "Sotkanet (THL), indicator 3037"


def test_a_cards_source_names_no_internal_key(world):
    """Issue 17: public cards showed "partner-survey / nps" and "sotkanet-snapshot 180"."""
    metric = Metric.objects.filter(binding_type="databank").first()
    assert metric is not None
    with translation.override("fi"):
        metric.set_binding(DataBankBinding("sotkanet-snapshot", "180", aggregation="region_value"))
        assert metric.binding_summary == "Sotkanet (THL), tallennettu poiminta, indikaattori 180"
        metric.set_binding(bindings.SurveyBinding(survey="partner-survey", question="nps"))
        assert metric.binding_summary == "Kysely: kumppanuuskysely (NPS)"
        assert "partner-survey" not in metric.binding_summary


def test_a_bad_binding_is_refused_by_the_model_as_well(world):
    metric = Metric.objects.filter(binding_type="manual").first()
    assert metric is not None
    metric.binding_type, metric.binding = "survey", {"question": "nps"}
    with translation.override("en"), pytest.raises(ValidationError, match="survey: required for a survey binding"):
        metric.clean()


def test_a_file_with_a_bad_binding_is_refused_naming_the_metric_and_the_field(world, settings):
    data = files.read(settings.STRATEGIES_DIR / "etela-savo.yaml")
    metric = data["focus_areas"][0]["goals"][0]["metrics"][0]
    metric["binding"] = {"type": "databank", "source": "sotkanet", "series": "3037", "question": "nps"}
    with pytest.raises(StrategyFileError) as caught:
        yaml_import.import_strategy(data)
    assert caught.value.errors == [
        "focus_areas[0].goals[0].metrics[0].binding.question: not a field of a databank binding (its fields are "
        f"source, series, organisation_kind, aggregation) (metric '{metric['key']}')"
    ]
    metric["binding"] = {"type": "databank", "source": "sotkanet"}
    with pytest.raises(StrategyFileError) as caught:
        yaml_import.import_strategy(data)
    assert caught.value.errors == ["focus_areas[0].goals[0].metrics[0].binding.series: required field is missing"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            ("sotkanet", {"indicator": 3037, "aggregation": "sum"}),
            ("databank", {"source": "sotkanet", "series": "3037", "aggregation": "sum"}),
        ),
        (
            ("statfin", {"table": "vaerak/statfin_vaerak_pxt_11ra.px", "series": "vaesto"}),
            ("databank", {"source": "statfin", "series": "statfin_vaerak_pxt_11ra:vaesto"}),
        ),
        (
            ("statfin", {"series": "statfin_vaerak_pxt_11ra:vaesto"}),
            ("databank", {"source": "statfin", "series": "statfin_vaerak_pxt_11ra:vaesto"}),
        ),
        (
            ("ptv", {"organisation_kind": "association"}),
            ("databank", {"source": "ptv", "series": "services-responsible", "organisation_kind": "association"}),
        ),
        (
            ("databank", {"source": "file", "series": "x", "question": "q"}),
            ("databank", {"source": "file", "series": "x"}),
        ),
        (("manual", {"aggregation": "mean"}), ("manual", {})),
        (("sotkanet", {}), ("manual", {})),
        (("survey", {"survey": "partner-survey"}), ("survey", {"survey": "partner-survey"})),
    ],
)
def test_the_migration_moves_every_old_binding_to_a_valid_one(old, new):
    moved = the_migration().one_type(*old)
    assert moved == new
    bindings.parse(*moved)  # valid


def test_a_manual_binding_names_who_reports_it_and_refuses_anyone_else():
    assert bindings.parse("manual", {}).reporter_kind == "group"  # type: ignore[union-attr]
    own = bindings.parse("manual", {"reporter": "municipality"})
    assert isinstance(own, ManualBinding) and own.reporter_kind == "municipality"
    assert bindings.item_of(own) == {"type": "manual", "reporter": "municipality"}
    with pytest.raises(BindingError) as refused:
        bindings.parse("manual", {"reporter": "everyone"})
    assert refused.value.field == "reporter"


def test_seed_000_says_who_reports_by_the_metrics_own_words(world):
    reporters = {
        m.key: m.typed_binding.reporter_kind  # type: ignore[union-attr]
        for m in Metric.objects.filter(version__strategy__region__slug="etela-savo", binding_type="manual")
    }
    assert reporters["pitkat-tyosuhteet-kunnat"] == "municipality"  # "(kunnat)"
    assert reporters["pitkat-tyosuhteet-hyvinvointialue"] == "county"  # "(hva)"
    assert reporters["laaja-hyvinvointikertomus-ja-suunnitelma"] == "municipality"  # every municipality's own
