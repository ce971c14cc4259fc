"""The demo's real recent figures through the importers (data/SOURCES.md): Sotkanet 683 of 2015–2023 for Etelä-Savo's
areas, and two key figures of 2025 from the recorded PxWeb answer of table 11ra."""

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


def test_recent_figures_are_real_with_their_vintage(world):
    run_all()
    diabetes = Indicator.objects.get(source__key="sotkanet", external_id="683")
    mikkeli = Observation.objects.get(indicator=diabetes, area__code="491", area__kind="municipality", year=2023)
    assert (mikkeli.value, mikkeli.absolute_value) == (12.4, 3830)  # data/SOURCES.md's check
    assert Observation.objects.get(indicator=diabetes, area__kind="country", year=2023).value == 11.8
    assert diabetes.vintage.startswith("Sotkanet 683 (tuottaja Kela), tiedot 2015–2023")
    elderly = Indicator.objects.get(source__key="statfin", external_id="11ra:vaesto_yli64_p")
    share = Observation.objects.get(indicator=elderly, area__code="491", area__kind="municipality", year=2025)
    assert share.value == 29.5  # data/SOURCES.md's check of 11ra: Mikkeli 29.5 % aged 65+
    assert elderly.vintage == (
        "Tilastokeskus, taulukko 11ra (päivitetty 29.5.2026); tallennettu PxWeb-vastaus 11ra-2025-recorded.json"
    )
    assert elderly.metadata["key"] == "yli64-osuus"
    assert Indicator.objects.filter(source__key="statfin", external_id="11ra:vaesto_keski_ika").exists()
    assert not Indicator.objects.filter(source__key="statfin", external_id="11ra:vaerak-vaesto").exists()


def test_a_second_demo_run_changes_nothing(world):
    run_all()
    count = Observation.objects.count()
    run_all()
    assert Observation.objects.count() == count
    last = ImportRun.objects.order_by("-pk")[:3]
    assert all(r.rows_added == 0 and r.rows_changed == 0 for r in last), [
        (r.source.key, r.rows_added, r.rows_changed) for r in last
    ]
