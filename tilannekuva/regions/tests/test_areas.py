import pytest
from django.core.management import call_command

from tilannekuva.regions.models import Area, AreaKind, AreaMembership, Organisation, OrganisationKind
from tilannekuva.regions.selectors import UnknownArea, area_for, members_of, municipalities_of
from tilannekuva.regions.services import load_areas, spans

ETELA_SAVO_2024 = ["046", "097", "178", "213", "491", "507", "588", "593", "623", "681", "740", "768"]

pytestmark = pytest.mark.usefixtures("world")


def test_whole_country_is_loaded():
    assert Area.objects.filter(kind=AreaKind.MUNICIPALITY, valid_to__isnull=True).count() == 308
    assert Area.objects.filter(kind=AreaKind.MUNICIPALITY).count() == 309
    assert Area.objects.filter(kind=AreaKind.MAAKUNTA).count() == 19
    assert Area.objects.filter(kind=AreaKind.WELLBEING_SERVICES_COUNTY).count() == 23


def test_etela_savo_has_twelve_municipalities_in_2024_and_eleven_from_2025():
    assert [a.code for a in municipalities_of("maakunta:10", year=2024)] == ETELA_SAVO_2024
    in_2025 = [a.code for a in municipalities_of("maakunta:10", year=2025)]
    assert in_2025 == [c for c in ETELA_SAVO_2024 if c != "588"]
    assert [a.code for a in municipalities_of("maakunta:10", year=2026)] == in_2025


def test_region_slug_and_county_answer_the_same_as_the_maakunta():
    county = area_for("etela-savon-hyvinvointialue")
    assert county.kind == AreaKind.WELLBEING_SERVICES_COUNTY
    assert [a.code for a in members_of(county, year=2024)] == ETELA_SAVO_2024
    assert [a.code for a in municipalities_of("etela-savo", year=2023)] == ETELA_SAVO_2024


def test_pertunmaa_ends_in_2024():
    pertunmaa = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="588")
    assert (pertunmaa.valid_from, pertunmaa.valid_to) == (None, 2024)
    assert pertunmaa.name_fi == "Pertunmaa"


def test_sotkanet_ids_are_mapped():
    assert Area.objects.get(kind=AreaKind.MUNICIPALITY, code="491").sotkanet_id == 228
    assert Area.objects.get(kind=AreaKind.COUNTRY).sotkanet_id == 658
    assert Area.objects.get(kind=AreaKind.MAAKUNTA, code="10").sotkanet_id == 496
    assert Area.objects.get(kind=AreaKind.WELLBEING_SERVICES_COUNTY, code="12").sotkanet_id == 959


def test_municipalities_and_counties_are_organisations():
    assert Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).count() == 309
    assert Organisation.objects.filter(kind=OrganisationKind.WELLBEING_SERVICES_COUNTY).count() == 21
    mikkeli = Organisation.objects.get(area__kind=AreaKind.MUNICIPALITY, area__code="491")
    assert mikkeli.name == "Mikkeli"


def test_second_identical_load_changes_nothing():
    memberships = list(AreaMembership.objects.values_list("pk", flat=True).order_by("pk"))
    report = load_areas()
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == Area.objects.count()
    assert list(AreaMembership.objects.values_list("pk", flat=True).order_by("pk")) == memberships


def test_unknown_area_names_the_identifier():
    with pytest.raises(UnknownArea, match="no-such-place"):
        area_for("no-such-place")


def test_spans_leave_the_ends_open():
    assert spans([2023, 2024, 2025, 2026], 2023, 2026) == [(None, None)]
    assert spans([2023, 2024], 2023, 2026) == [(None, 2024)]
    assert spans([2025, 2026], 2023, 2026) == [(2025, None)]
    assert spans([2023, 2025], 2023, 2026) == [(None, 2023), (2025, 2025)]


def test_members_command_prints_twelve_then_eleven(capsys):
    call_command("regions", "members", "etela-savo", "--year", "2024")
    out = capsys.readouterr().out
    assert "12 municipalities" in out and "588\tPertunmaa" in out
    call_command("regions", "members", "etela-savo", "--year", "2025")
    out = capsys.readouterr().out
    assert "11 municipalities" in out and "Pertunmaa" not in out
