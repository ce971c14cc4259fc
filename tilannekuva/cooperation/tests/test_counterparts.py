"""Counterpart pairs (vastinparit) and seed 001's metric 'contacts can be found', answered by the system."""

from datetime import date

import pytest
from django.urls import reverse

from tilannekuva.cooperation.models import CounterpartPair
from tilannekuva.cooperation.selectors import counterparts_found
from tilannekuva.regions.models import Organisation, OrganisationKind, Region
from tilannekuva.regions.selectors import members_of

INTERFACE = "tyollisyys-yhdyspinta"


@pytest.fixture
def pohjois_savo(world):
    return Region.objects.get(slug="pohjois-savo")


def pair_every_municipality(region, *, but=0):
    county = Organisation.objects.get(kind=OrganisationKind.WELLBEING_SERVICES_COUNTY, short_name="PSHVA")
    areas = list(members_of(region.area, year=date.today().year))
    for area in areas[but:]:
        municipality, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.MUNICIPALITY, area=area, defaults={"name": area.name_fi}
        )
        CounterpartPair.objects.create(
            region=region,
            interface_key=INTERFACE,
            municipality=municipality,
            county=county,
            contact_role="työllisyyspalvelujen yhteyshenkilö",
        )
    return areas


def test_contacts_are_not_found_while_one_municipality_lacks_a_pair(pohjois_savo):
    pair_every_municipality(pohjois_savo, but=1)
    assert counterparts_found(pohjois_savo, INTERFACE) is False


def test_contacts_are_found_when_every_municipality_has_a_pair(pohjois_savo):
    pair_every_municipality(pohjois_savo)
    assert counterparts_found(pohjois_savo, INTERFACE) is True
    assert counterparts_found(pohjois_savo, "hyte-yhdyspinta") is False


def test_a_pair_of_another_region_does_not_count(pohjois_savo):
    pair_every_municipality(pohjois_savo)
    CounterpartPair.objects.filter(region=pohjois_savo).update(region=Region.objects.get(slug="etela-savo"))
    assert counterparts_found(pohjois_savo, INTERFACE) is False


def test_the_pairs_page_and_the_group_of_the_interface_show_the_answer(client, pohjois_savo):
    pair_every_municipality(pohjois_savo)
    pairs_page = client.get(reverse("cooperation:counterparts", args=["pohjois-savo"])).content.decode()
    assert "työllisyyspalvelujen yhteyshenkilö" in pairs_page
    group_page = client.get(
        reverse("cooperation:group", args=["pohjois-savo", "tyollisyysalueiden-valmistelu"])
    ).content.decode()
    assert 'href="/regions/pohjois-savo/counterparts/#interface-tyollisyys-yhdyspinta"' in group_page
    assert "status-done" in group_page
