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
    assert sum(u.eur or Decimal(0) for u in calculation.units.values()) == data.pot
    for code, official_eur in data.official_eur.items():
        eur = calculation.units[code].eur
        assert eur is not None and abs(eur - official_eur) <= Decimal("1.00")  # VM's table is in whole euros


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
    response = client.get(
        SIMULATOR, {"year": 2024, "area": "491", "d-kuntajohto-1": "+10", "d-koulutuksen-ulkopuolella": "-1"}
    )
    assert response.status_code == 200
    simulation = response.context["simulation"]
    mikkeli = next(r for r in simulation.rows if r.area.code == "491")
    assert mikkeli.changed and mikkeli.after.total > mikkeli.before.total
    assert mikkeli.after.eur > mikkeli.before.eur
    assert simulation.eur_after > simulation.eur_before
    rendered = [t.name for t in response.templates]
    assert "funding/simulator.html" in rendered and "base.html" in rendered  # a plain request gets the whole page


def test_simulator_answers_htmx_with_the_partial_only(client, users, imported):
    client.force_login(users["carol"])
    response = client.get(SIMULATOR, {"year": 2024, "d-kuntajohto-1": "5"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="simulator">')


def test_simulator_names_a_bad_change(client, users, imported):
    client.force_login(users["carol"])
    response = client.get(SIMULATOR, {"year": 2024, "d-kuntajohto-1": "kymmenen"})
    assert response.status_code == 400
    assert "kymmenen" in response.content.decode()


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
    assert "100 000 000 €" in page or "100\xa0000\xa0000 €" in page
    assert "vahvistamaton" in page


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
