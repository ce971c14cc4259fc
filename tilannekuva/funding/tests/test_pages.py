"""The HYTE page, the simulator, the vitality page and the method page, with an imported official table."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tilannekuva.funding import selectors
from tilannekuva.funding.models import Level
from tilannekuva.funding.services import import_figures
from tilannekuva.regions.models import Region

pytestmark = pytest.mark.django_db
HYTE = "/regions/etela-savo/hyte/?year=2024"
SIMULATOR = "/regions/etela-savo/hyte/simulator/"


@pytest.fixture
def imported(official_files):
    thl, vm = official_files
    import_figures(path=thl, kind="thl")
    import_figures(path=vm, kind="vm")


def test_the_calculator_reproduces_the_imported_official_figures(imported, table_codes):
    data = selectors.year_data(level=Level.MUNICIPALITY, year=2024)
    calculation = selectors.calculate(data)
    assert calculation is not None and calculation.ranked == len(table_codes)
    for code, official in data.official_totals.items():
        assert calculation.units[code].total == pytest.approx(official, abs=0.001)
    for code, official_eur in data.official_eur.items():
        eur = calculation.units[code].eur
        assert eur is not None and abs(eur - official_eur) <= Decimal("0.01")


def test_hyte_page_shows_each_partners_points_third_and_euros(client, imported):
    response = client.get(HYTE)
    assert response.status_code == 200
    page = response.content.decode()
    data = selectors.year_data(level=Level.MUNICIPALITY, year=2024)
    region = Region.objects.get(slug="etela-savo")
    partners = selectors.partners(region, level=Level.MUNICIPALITY, year=2024)
    rows = selectors.partner_rows(data, selectors.calculate(data), partners)
    assert len(rows) == 12
    for row in rows:
        assert row.area.name in page
        assert row.points_kind == "official" and row.eur_kind == "official"
        assert row.tertile in (1, 2, 3) and row.eur is not None and row.eur_per_resident is not None
    assert "virallinen, tuotu" in page
    assert "Simulaattorin etäisyys tuoduista pisteistä" in page or "pisteistä" in page
    assert 'data-chart="hyte-chart"' in page


def test_hyte_page_without_figures_says_so(client, world):
    response = client.get("/regions/etela-savo/hyte/?year=2023")
    assert response.status_code == 200
    assert "SYNTEETTI" not in response.content.decode()


def test_simulator_needs_a_role_in_the_region(client, users, imported):
    assert client.get(SIMULATOR).status_code == 302
    client.force_login(users["bob"])
    assert client.get(SIMULATOR).status_code == 403
    client.force_login(users["carol"])
    assert client.get(SIMULATOR + "?year=2024").status_code == 200


def test_simulator_change_moves_the_municipalitys_points_and_euros(client, users, imported):
    client.force_login(users["carol"])
    form = client.get(SIMULATOR, {"year": 2024, "area": "491"}).context["form"]
    values = {name: form[name].value() for name in form.fields if name.startswith("v-")}
    off = next(i.id for i in form.parameters.part("process") if form.current[i.id] == 0.0)
    values[f"v-{off}"] = "100"
    values["v-O2"] = "0"
    response = client.get(SIMULATOR, {"year": 2024, "area": "491", "for_area": "491", **values})
    assert response.status_code == 200
    simulation = response.context["simulation"]
    mikkeli = next(r for r in simulation.rows if r.area.code == "491")
    assert mikkeli.changed and mikkeli.after.total > mikkeli.before.total
    assert mikkeli.after.eur > mikkeli.before.eur
    page = response.content.decode()
    assert "VNA 1393/2022 3 § 5 mom" in page and "laki 618/2021 15 § 1 mom" in page


def test_simulator_shows_the_chosen_municipalitys_own_baselines(client, users, imported):
    client.force_login(users["carol"])
    data = selectors.year_data(level=Level.MUNICIPALITY, year=2024)
    # The previous municipality's values are in the query, but the municipality was changed to Juva (178).
    stale = {"v-O2": "1", "v-P1": "100", "for_area": "491"}
    response = client.get(SIMULATOR, {"year": 2024, "area": "178", **stale}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["v-O2"].value() == f"{data.values['178']['O2']:g}".replace(".", ",")
    assert not response.context["changes"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("v-P1", "50", "0 tai 100 pistettä"),
        ("v-P1", "+1000", "0 tai 100 pistettä"),
        ("v-O2", "101", "0–100"),
        ("v-O5", "-3", "0–10000"),
        ("v-O2", "abc", "ei ole luku"),
    ],
)
def test_simulator_refuses_a_value_the_indicator_cannot_have_next_to_the_field(
    client, users, imported, field, value, message
):
    client.force_login(users["carol"])
    response = client.get(SIMULATOR, {"year": 2024, "area": "491", "for_area": "491", field: value})
    assert response.status_code == 400
    page = response.content.decode()
    error = page.split(f'id="id_{field}-error"', 1)[1].split("</span>", 1)[0]
    assert message in error.replace("\xa0", " ")
    assert "simulation" not in response.context or response.context.get("simulation") is None


def test_simulator_answers_htmx_with_the_partial_only(client, users, imported):
    client.force_login(users["carol"])
    response = client.get(SIMULATOR, {"year": 2024, "area": "178"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="simulator">')


def test_internal_dashboard_hides_the_hyte_and_vitality_pages(client, users, world):
    Region.objects.filter(slug="etela-savo").update(dashboard_public=False)
    assert client.get(HYTE).status_code == 404  # as the API answers
    assert client.get("/regions/etela-savo/vitality/").status_code == 404
    client.force_login(users["dave"])  # no role in the region
    assert client.get(HYTE).status_code == 404
    client.force_login(users["carol"])
    assert client.get(HYTE).status_code == 200


def test_method_page_lists_every_parameter_file_and_its_unverified_items(client, world):
    page = client.get(reverse("funding:method")).content.decode()
    for name in ("hyte-municipalities-2023.yaml", "hyte-municipalities-2024.yaml", "hyte-counties-2026.yaml"):
        assert name in page
    for price in ("18,89", "19,31", "19,97"):
        assert price in page
    assert "Sotkanet id not verified" in page and "Sotkanet 3219" in page and "Sotkanet 3959" in page
    assert "VNA 1393/2022 3 § 5 mom" in page and "vahvistamaton" in page


def test_unknown_region_year_and_reference_are_404(client, world):
    assert client.get("/regions/no-such/hyte/").status_code == 404
    assert client.get("/regions/etela-savo/hyte/?year=abc").status_code == 404
    assert client.get("/regions/etela-savo/vitality/?reference=moon").status_code == 404


def test_county_figures_show_beside_the_municipalities(client, world, tmp_path):
    from tilannekuva.dashboard.providers import counties_of

    region = Region.objects.get(slug="etela-savo")
    county = counties_of(region, year=2025)[0]
    table = tmp_path / "vm-counties-2025.csv"
    table.write_text(f"year;area_code;residents;eur\n2025;{county.code};130000;2340000\n", encoding="utf-8")
    import_figures(path=table, kind="vm", level=Level.COUNTY)
    response = client.get("/regions/etela-savo/hyte/?year=2025")
    page = response.content.decode()
    assert county.name in page and "2 340 000" in page.replace("\xa0", " ")
    assert "18,00" in page  # €/resident


def test_the_county_is_shown_beside_with_its_per_resident_share(client, world):
    from tilannekuva.databank.models import Indicator, Observation
    from tilannekuva.databank.services import source
    from tilannekuva.regions.models import Area, AreaKind

    population = Indicator.objects.create(source=source("sotkanet"), external_id="127", title_fi="Väestö 31.12.")
    municipalities = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code__in=["491", "740", "178"])
    Observation.objects.bulk_create(
        Observation(indicator=population, area=a, year=2022, value=10000.0) for a in municipalities
    )
    region = Region.objects.get(slug="etela-savo")
    rows = selectors.county_per_resident_rows(region, year=2024)
    assert len(rows) == 1 and rows[0].eur_per_resident == Decimal("42.07")
    assert rows[0].residents and rows[0].eur == Decimal("42.07") * rows[0].residents
    page = client.get(HYTE).content.decode().replace("\xa0", " ")
    assert rows[0].area.name in page and "laki 617/2021 33 §" in page and "42,07" in page
