"""The sources' contract: one plain registry, typed options parsed once, and the helpers every source shares."""

import argparse
import dataclasses
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tilannekuva.databank.models import Indicator
from tilannekuva.databank.services import source
from tilannekuva.databank.sources import available, base, files, ptv, pxweb, sotkanet, sotkanet_snapshot

# One command line per source, as a user types it after `tilannekuva import NAME`.
COMMAND_LINES = {
    "sotkanet": ["--indicators", "127,3037", "--years", "2020-2022", "--genders", "total,male"],
    "sotkanet-snapshot": ["--dir", "data/sotkanet/snapshot-2013"],
    "statfin": [
        "--table",
        "statfin_vaerak_pxt_11ra",
        "--area-dimension",
        "Alue",
        "--year-dimension",
        "Vuosi",
        "--value-dimension",
        "Tiedot:vaesto",
        "--indicator-id",
        "population",
        "--indicator-title",
        "Väestö",
    ],
    "ptv": ["--business-ids", "0165116-3", "--year", "2025"],
    "file": ["data.csv", "--map", "value=arvo", "--indicator", "x"],
}


def test_the_registry_names_every_source_by_its_command():
    assert available() == {
        "sotkanet": sotkanet.SOURCE,
        "sotkanet-snapshot": sotkanet_snapshot.SOURCE,
        "statfin": pxweb.SOURCE,
        "ptv": ptv.SOURCE,
        "file": files.SOURCE,
    }
    text = (Path(base.__file__).parent / "__init__.py").read_text(encoding="utf-8")
    assert "import_module" not in text and "importlib" not in text


@pytest.mark.parametrize("name", COMMAND_LINES)
def test_a_command_line_is_parsed_once_into_the_sources_typed_options(name):
    source_ = available()[name]
    parser = argparse.ArgumentParser()
    source_.add_arguments(parser)
    options = source_.options(vars(parser.parse_args(COMMAND_LINES[name])))
    assert isinstance(options, source_.options_type) and dataclasses.is_dataclass(options)
    assert source_.options(vars(options)) == options  # a job's stored options give the same
    json.dumps(source_.parameters(options))  # what the run records is plain JSON


def test_typed_options_take_their_defaults_where_the_command_line_says_nothing():
    options = sotkanet.SOURCE.options({"indicators": [127], "years": [2024], "genders": None})
    assert (options.genders, options.fmt, options.force, options.allowed) == (["total"], "json", False, None)
    assert files.SOURCE.options({"path": "x.csv", "map": [("value", "arvo")]}).map == {"value": "arvo"}


def test_a_span_of_years_is_read_one_way_for_every_command():
    assert base.year_span("2020-2022") == [2020, 2021, 2022]
    assert base.year_span("2024, 2020,2021-2022") == [2020, 2021, 2022, 2024]
    for wrong, message in [("2024-2020", "from earlier to later"), ("20x", "not a year"), ("1700", "earlier")]:
        with pytest.raises(argparse.ArgumentTypeError, match=message):
            base.year_span(wrong)


def test_an_indicator_is_saved_only_when_something_about_it_changed(world):
    sotkanet_source = source("sotkanet")
    first = base.save_indicator(sotkanet_source, "127", {"title_fi": "Väestö", "unit": "lukumäärä"})
    with CaptureQueriesContext(connection) as queries:
        again = base.save_indicator(sotkanet_source, "127", {"title_fi": "Väestö", "unit": "lukumäärä"})
    assert again.pk == first.pk and not [q for q in queries if q["sql"].startswith("UPDATE")]
    changed = base.save_indicator(sotkanet_source, "127", {"title_fi": "Väestö 31.12."})
    assert Indicator.objects.get(pk=changed.pk).title_fi == "Väestö 31.12."


def test_an_answers_value_is_named_with_what_it_holds():
    assert base.describe_value(None) == "missing (null)"
    assert base.describe_value([1, 2]) == "a list ([1, 2])"
    assert base.describe_value("x" * 50) == 'text ("' + "x" * 36 + "...)"
