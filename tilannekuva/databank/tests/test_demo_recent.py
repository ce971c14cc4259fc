"""The demo's real recent figures (data/statfin/recent/, data/SOURCES.md) through the importers: population of
2024–2025 for every municipality, continued by the recorded PxWeb answer of 11ra, and the dependency ratio."""

import io

from tilannekuva.databank import demo
from tilannekuva.databank.models import ImportRun, Indicator, Observation


def run_all() -> list[str]:
    said = []
    for run_one in demo.recent_imports():
        out = io.StringIO()
        run: ImportRun = run_one(out)
        said.append(out.getvalue() + run.status)
    return said


def test_recent_population_is_real_and_continues_into_the_recorded_pxweb_answer(world):
    said = run_all()
    indicator = Indicator.objects.get(source__key="statfin", external_id="vaesto")
    values = dict(
        Observation.objects.filter(indicator=indicator, area__kind="municipality", area__code="491").values_list(
            "year", "value"
        )
    )
    # data/SOURCES.md's checks: Mikkeli 51 890 (2024) and 51 551 (2025).
    assert values == {2024: 51890, 2025: 51551}
    assert Observation.objects.get(indicator=indicator, area__kind="country", year=2025).value == 5652881
    assert indicator.metadata["series"] == "11ra:vaerak-vaesto"
    assert "the 308 values both have are equal" in said[3]
    diabetes = Indicator.objects.get(source__key="sotkanet", external_id="683")
    mikkeli = Observation.objects.get(indicator=diabetes, area__code="491", area__kind="municipality", year=2023)
    assert (mikkeli.value, mikkeli.absolute_value) == (12.4, 3830)  # data/SOURCES.md's check
    assert Observation.objects.get(indicator=diabetes, area__kind="country", year=2023).value == 11.8
    assert indicator.vintage.startswith("Tilastokeskus, väestörakenne 31.12.2024")
    ratio = Indicator.objects.get(source__key="statfin", external_id="huoltosuhde")
    assert (
        Observation.objects.get(indicator=ratio, area__code="491", area__kind="municipality", year=2025).value == 73.0
    )


def test_a_second_demo_run_changes_nothing(world):
    run_all()
    count = Observation.objects.count()
    run_all()
    assert Observation.objects.count() == count
    last = ImportRun.objects.order_by("-pk")[:5]
    assert all(r.rows_added == 0 and r.rows_changed == 0 for r in last), [
        (r.source.key, r.rows_added, r.rows_changed) for r in last
    ]
