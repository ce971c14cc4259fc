"""Counterpart pairs (vastinparit) per interface × dialogue level × client path, the matrix that shows where a pair
is missing, and seed 001's metric 'Yhteystiedot löytyvät / ei löydy' answered from it, the same on the dashboard
as on the counterparts page."""

import pytest
from django.urls import reverse
from django.utils import translation

from tilannekuva.cooperation import demo, services
from tilannekuva.cooperation.models import CounterpartPair
from tilannekuva.cooperation.registers import counterpart_matrix
from tilannekuva.dashboard.selectors import default_year, metric_card
from tilannekuva.dashboard.status import Status
from tilannekuva.regions.models import Area, Organisation, OrganisationKind, Region
from tilannekuva.strategy.models import StrategyVersion
from tilannekuva.strategy.selectors import version_in_force

EMPLOYMENT = "tyollisyys-yhdyspinta"
METRIC = "c-vastinparit-m1"
PATHS = ["tyollisyyspalvelut", "tyoikaisten-sosiaalipalvelut", "perhekeskusverkostot"]


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the product's source language; the interface opens in Finnish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def pohjois_savo(world):
    return Region.objects.get(slug="pohjois-savo")


@pytest.fixture
def county(world):
    return Organisation.objects.get(kind=OrganisationKind.WELLBEING_SERVICES_COUNTY, area__code="13")


def pair(region, county, level, *, path="", interface=EMPLOYMENT, **extra):
    return CounterpartPair.objects.create(
        region=region,
        interface_key=interface,
        level_key=level,
        client_path_key=path,
        first_role="kunnan työllisyyskoordinaattori",
        second_organisation=county,
        second_role="työikäisten sosiaalipalvelujen alue-esihenkilö",
        **extra,
    )


def fill_employment(region, county, *, but=None):
    """A pair at every place of the employment interface's row, except the place `but` = (level, path)."""
    places = [("johdon-taso", ""), ("osallistumisen-taso", "")]
    places += [(level, path) for level in ("yhdyspintataso", "arjen-taso") for path in PATHS]
    for level, path in places:
        if (level, path) != but:
            pair(region, county, level, path=path)


def in_force(region, year) -> StrategyVersion:
    version = version_in_force(region, year)
    assert version is not None
    return version


def matrix(region, year=None):
    year = year or default_year()
    return counterpart_matrix(region, in_force(region, year), year=year)


def test_the_matrix_has_every_interface_and_the_four_levels_with_employment_split_by_client_path(pohjois_savo):
    found = matrix(pohjois_savo)
    assert [level.name for level in found.levels] == [
        "Johdon taso",
        "Yhdyspintataso",
        "Arjen taso",
        "Osallistumisen taso",
    ]
    assert [row.interface.code for row in found.rows] == ["a", "b", "c", "d", "e"]
    employment = next(row for row in found.rows if row.interface.key == EMPLOYMENT)
    assert [len(column) for column in employment.columns] == [1, 3, 3, 1]
    assert not employment.found and len(employment.missing) == 8


def test_contacts_are_found_only_when_every_place_of_the_interface_has_a_pair(pohjois_savo, county):
    fill_employment(pohjois_savo, county, but=("arjen-taso", "perhekeskusverkostot"))
    found = matrix(pohjois_savo)
    assert found.found([EMPLOYMENT]) is False
    assert [cell.label for row in found.rows_for([EMPLOYMENT]) for cell in row.missing] == [
        "Arjen taso (Perhekeskusverkostot)"
    ]
    pair(pohjois_savo, county, "arjen-taso", path="perhekeskusverkostot")
    assert matrix(pohjois_savo).found([EMPLOYMENT]) is True
    assert matrix(pohjois_savo).found(["hyte-yhdyspinta"]) is False


def test_a_pair_counts_only_in_its_years_and_its_region(pohjois_savo, county):
    fill_employment(pohjois_savo, county)
    year = default_year()
    CounterpartPair.objects.filter(level_key="johdon-taso").update(valid_to=year - 1)
    assert matrix(pohjois_savo).found([EMPLOYMENT]) is False
    assert matrix(pohjois_savo, year - 1).found([EMPLOYMENT]) is True
    CounterpartPair.objects.filter(region=pohjois_savo).update(valid_to=None)
    CounterpartPair.objects.filter(level_key="johdon-taso").update(region=Region.objects.get(slug="etela-savo"))
    assert matrix(pohjois_savo).found([EMPLOYMENT]) is False


def test_a_pair_without_a_level_has_no_place_and_is_listed_apart(pohjois_savo, county, client):
    pair(pohjois_savo, county, "", note="ennen tasoja lisätty pari")
    found = matrix(pohjois_savo)
    assert [p.pair.note for p in found.unplaced] == ["ennen tasoja lisätty pari"]
    assert not any(cell.found for row in found.rows for cell in row.cells)
    page = client.get(reverse("cooperation:counterparts", args=["pohjois-savo"])).content.decode()
    assert "ennen tasoja lisätty pari" in page


@pytest.mark.parametrize("complete", [False, True])
def test_the_dashboard_card_answers_as_the_counterparts_page(pohjois_savo, county, client, settings, complete):
    fill_employment(pohjois_savo, county, but=None if complete else ("johdon-taso", ""))
    year = default_year()
    with translation.override("en"):
        card = metric_card(region=pohjois_savo, metric_key=METRIC, year=year)
    assert card.latest == (year, 1.0 if complete else 0.0)
    assert card.status == (Status.ON_TRACK if complete else Status.NEEDS_ATTENTION)
    assert ("Missing: Johdon taso" in card.evidence) is not complete
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("cooperation:counterparts", args=["pohjois-savo"])).content.decode()
    answer = "Yes" if complete else "No"
    assert f'{METRIC}/?year={year}" lang="fi">Yhteystiedot löytyvät / ei löydy</a>:' in page
    section = page.split(f"{METRIC}/?year={year}")[1].split("</li>")[0]
    assert f"</span> {answer}</span>" in section
    metric_page = client.get(reverse("dashboard:metric", args=["pohjois-savo", METRIC])).content.decode()
    assert card.evidence in metric_page.replace("&#x27;", "'")
    dashboard = client.get(reverse("dashboard:dashboard", args=["pohjois-savo"])).content.decode()
    shown = dashboard.split(f'id="card-{METRIC}"')[1].split("</article>")[0]
    assert f'<span class="value">{answer}</span>' in shown and card.evidence[:60] in shown


def test_the_dashboard_expires_when_a_pair_is_added(pohjois_savo, county, client, django_capture_on_commit_callbacks):
    url = reverse("dashboard:dashboard", args=["pohjois-savo"])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        fill_employment(pohjois_savo, county)
    assert "Kyllä" in client.get(url).content.decode().split(f'id="card-{METRIC}"')[1].split("</article>")[0]


# --- the rules of a pair -------------------------------------------------------------------------------------


def values(county, **changes):
    found = {
        "interface_key": EMPLOYMENT,
        "level_key": "yhdyspintataso",
        "client_path_key": "tyollisyyspalvelut",
        "area": None,
        "first_organisation": None,
        "first_role": "kunnan työllisyyskoordinaattori",
        "second_organisation": county,
        "second_role": "työikäisten sosiaalipalvelujen alue-esihenkilö",
        "valid_from": 2024,
        "valid_to": None,
        "source": "",
        "note": "",
    }
    return {**found, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"interface_key": "johto"}, "interface_key", "is not an interface of the counterpart matrix"),
        ({"level_key": "kahvitaso"}, "level_key", "needs no counterpart pair at this level"),
        ({"client_path_key": "ohjaamot"}, "client_path_key", "has no such client path"),
        ({"level_key": "johdon-taso"}, "client_path_key", "the pairs are not divided by client path"),
        ({"valid_from": 2025, "valid_to": 2024}, "valid_to", "before the first year"),
        ({"second_role": " "}, "second_role", "role title on both sides"),
    ],
)
def test_a_pair_that_breaks_a_rule_is_refused_with_its_field(pohjois_savo, county, users, changes, field, message):
    version = in_force(pohjois_savo, default_year())
    with pytest.raises(services.RegisterError, match=message) as caught:
        services.save_counterpart(
            region=pohjois_savo, version=version, user=users["bob"], values=values(county, **changes)
        )
    assert caught.value.field == field
    assert not CounterpartPair.objects.exists()


def test_a_pair_in_an_area_outside_the_region_is_refused(pohjois_savo, county, users):
    mikkeli = Area.objects.get(kind="municipality", code="491")
    version = in_force(pohjois_savo, default_year())
    with pytest.raises(services.RegisterError, match="is not within Pohjois-Savo") as caught:
        services.save_counterpart(
            region=pohjois_savo, version=version, user=users["bob"], values=values(county, area=mikkeli)
        )
    assert caught.value.field == "area"


def test_the_form_offers_the_client_paths_and_the_page_adds_a_pair(pohjois_savo, county, client, users, settings):
    client.force_login(users["bob"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("cooperation:counterparts", args=["pohjois-savo"])
    page = client.get(url).content.decode()
    assert '<option value="perhekeskusverkostot">c: Perhekeskusverkostot</option>' in page
    data = {
        "interface_key": EMPLOYMENT,
        "level_key": "arjen-taso",
        "client_path_key": "perhekeskusverkostot",
        "first_role": "kunnan perhekeskuskoordinaattori",
        "second_organisation": county.pk,
        "second_role": "perhekeskuksen alue-esihenkilö",
        "valid_from": "2025",
    }
    assert client.post(url, data).status_code == 302
    assert CounterpartPair.objects.get().first_organisation is None  # the municipalities
    data["client_path_key"], data["level_key"] = "perhekeskusverkostot", "johdon-taso"
    refused = client.post(url, data)
    assert refused.status_code == 200 and "not divided by client path" in refused.content.decode()
    assert CounterpartPair.objects.count() == 1


# --- the demo -------------------------------------------------------------------------------------------------


def test_the_demo_pairs_are_drawn_from_seed_001_and_leave_the_gaps_the_seed_leaves(pohjois_savo):
    assert "drawn from seed 001" in next(demo.load_demo_data(password="x"))
    found = matrix(pohjois_savo)
    assert all(
        p.pair.source.startswith("Pohjois-Savon yhdyspintasuunnitelma 2030") for r in found.rows for p in r.pairs
    )
    assert not any(r.found for r in found.rows)  # the plan sets finding the pairs as an action for 2023–2025
    employment = next(r for r in found.rows if r.interface.key == EMPLOYMENT)
    assert [cell.label for cell in employment.cells if cell.found] == [
        "Johdon taso",
        "Yhdyspintataso (Työikäisten sosiaalipalvelut)",
    ]
    immigration = next(r for r in found.rows if r.interface.code == "d")
    assert sorted(p.pair.first_side for p in immigration.pairs) == ["Iisalmi", "Kuopio", "Varkaus"]
    assert next(demo.load_demo_data(password="x")).endswith("already there.")
