"""The shared write path of every import: unknown ids refused set-wise, deletes handled without database
foreign-key constraints."""

import pytest
from django.db.models import ProtectedError

from tilannekuva.databank import services
from tilannekuva.databank.models import ImportRun, Indicator, Observation
from tilannekuva.databank.services import ImportDataError, ImportFailed, ObservationRow
from tilannekuva.regions.models import Area, AreaKind


@pytest.fixture
def indicator(world) -> Indicator:
    return Indicator.objects.create(source=services.source("file"), external_id="synthetic-write", title_fi="x")


@pytest.fixture
def mikkeli(world) -> Area:
    return Area.objects.get(kind=AreaKind.MUNICIPALITY, code="491")


def import_rows(rows: list[ObservationRow]) -> ImportRun:
    return services.run_import(
        source_key="file", url="", parameters={}, work=lambda run: services.write_observations(rows, run=run)
    )


def test_rows_of_known_ids_are_written(indicator, mikkeli):
    run = import_rows([ObservationRow(indicator.pk, mikkeli.pk, 2020, "total", "", 1.5, None)])
    assert run.rows_added == 1
    assert Observation.objects.get(indicator=indicator).value == 1.5


def test_unknown_indicator_and_area_ids_are_refused_and_nothing_is_written(indicator, mikkeli):
    no_indicator = max(Indicator.objects.values_list("pk", flat=True)) + 1000
    no_area = max(Area.objects.values_list("pk", flat=True)) + 1000
    rows = [
        ObservationRow(indicator.pk, mikkeli.pk, 2020, "total", "", 1.0, None),
        ObservationRow(no_indicator, mikkeli.pk, 2020, "total", "", 2.0, None),
        ObservationRow(indicator.pk, no_area, 2020, "total", "", 3.0, None),
    ]
    with pytest.raises(ImportFailed) as failure:
        import_rows(rows)
    message = str(failure.value)
    assert f"indicator id {no_indicator} does not exist" in message
    assert f"area id {no_area} does not exist" in message
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_deleting_an_indicator_deletes_its_observations(indicator, mikkeli):
    import_rows([ObservationRow(indicator.pk, mikkeli.pk, 2020, "total", "", 1.0, None)])
    indicator.delete()
    assert not Observation.objects.filter(indicator_id=indicator.pk).exists()


def test_an_area_with_observations_cannot_be_deleted(indicator, mikkeli):
    import_rows([ObservationRow(indicator.pk, mikkeli.pk, 2020, "total", "", 1.0, None)])
    with pytest.raises(ProtectedError):
        mikkeli.delete()


def test_deleting_an_import_run_keeps_its_observations(indicator, mikkeli):
    run = import_rows([ObservationRow(indicator.pk, mikkeli.pk, 2020, "total", "", 1.0, None)])
    run.delete()
    assert Observation.objects.get(indicator=indicator).import_run_id is None


def test_refusal_lists_every_unknown_id_once():
    with pytest.raises(ImportDataError) as failure:
        services._raise_for_unknown([7, 9], [3])
    assert failure.value.errors == [
        "indicator id 7 does not exist",
        "indicator id 9 does not exist",
        "area id 3 does not exist",
    ]


def test_a_batch_of_new_and_stored_indicators_is_counted_exactly(indicator, mikkeli):
    fresh = Indicator.objects.create(source=services.source("file"), external_id="synthetic-fresh", title_fi="y")
    import_rows(
        [
            ObservationRow(indicator.pk, mikkeli.pk, 2020, "total", "", 1.0, None),
            ObservationRow(indicator.pk, mikkeli.pk, 2021, "total", "", 2.0, None),
        ]
    )
    run = import_rows(
        [
            ObservationRow(indicator.pk, mikkeli.pk, 2020, "total", "", 1.0, None),  # unchanged
            ObservationRow(indicator.pk, mikkeli.pk, 2021, "total", "", 2.5, None),  # changed
            ObservationRow(indicator.pk, mikkeli.pk, 2022, "total", "", 3.0, None),  # added to a stored indicator
            ObservationRow(fresh.pk, mikkeli.pk, 2020, "total", "", 9.0, 90.0),  # a new indicator
        ]
    )
    assert (run.rows_added, run.rows_changed, run.rows_unchanged) == (2, 1, 1)
    assert Observation.objects.get(indicator=indicator, year=2021).value == 2.5
    assert Observation.objects.get(indicator=fresh).absolute_value == 90.0
    assert Observation.objects.get(indicator=fresh).import_run_id == run.pk
