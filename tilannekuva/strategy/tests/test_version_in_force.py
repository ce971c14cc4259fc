"""Which strategy version is in force in a year (docs/DECISIONS.md): one rule, and every page follows it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import StrategyVersion, VersionStatus
from tilannekuva.strategy.selectors import version_in_force
from tilannekuva.strategy.versions import approve_version, copy_version

THIS_YEAR = timezone.localdate().year


def version_of(slug: str, year: int) -> StrategyVersion:
    return StrategyVersion.objects.get(strategy__region__slug=slug, year=year)


@pytest.fixture
def etela_savo(world) -> Region:
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def draft_beside_approved(etela_savo) -> StrategyVersion:
    """Etelä-Savo's approved 2024 version and a draft for the next year beside it, with a mission to tell it by."""
    draft = copy_version(version=version_of("etela-savo", 2024), year=THIS_YEAR + 1)
    draft.mission = "Luonnoksen missio"
    draft.save()
    return draft


def test_an_approved_version_is_in_force_from_its_year_on(etela_savo):
    approved = version_of("etela-savo", 2024)
    assert version_in_force(etela_savo, 2024) == approved
    assert version_in_force(etela_savo, 2031) == approved
    assert version_in_force(etela_savo) == approved  # this year


def test_a_draft_beside_an_approved_version_is_not_in_force(etela_savo, draft_beside_approved):
    approved = version_of("etela-savo", 2024)
    assert version_in_force(etela_savo, draft_beside_approved.year) == approved
    assert version_in_force(etela_savo, draft_beside_approved.year + 5) == approved


def test_an_approved_draft_replaces_the_earlier_version_from_its_year(etela_savo, draft_beside_approved, users):
    approve_version(version=draft_beside_approved, user=users["alice"])
    assert version_in_force(etela_savo, draft_beside_approved.year) == draft_beside_approved
    assert version_in_force(etela_savo, draft_beside_approved.year - 1) == version_of("etela-savo", 2024)


def test_an_archived_version_stays_in_force_for_its_years(etela_savo, draft_beside_approved, users):
    approve_version(version=draft_beside_approved, user=users["alice"])
    StrategyVersion.objects.filter(pk=version_of("etela-savo", 2024).pk).update(status=VersionStatus.ARCHIVED)
    assert version_in_force(etela_savo, 2025) == version_of("etela-savo", 2024)


def test_a_year_before_the_first_version_has_the_first_version_followed_back(etela_savo):
    # Etelä-Savo's 2024 version has its period and baseline from 2023: earlier years show its metrics' history.
    assert version_in_force(etela_savo, 2018) == version_of("etela-savo", 2024)


def test_a_region_with_only_a_draft_works_by_its_latest_draft(world):
    keski_uusimaa = Region.objects.get(slug="keski-uusimaa")
    draft = version_of("keski-uusimaa", 2022)
    assert draft.status == VersionStatus.DRAFT
    assert version_in_force(keski_uusimaa, 2000) == draft
    assert version_in_force(keski_uusimaa, 2030) == draft
    newer = copy_version(version=draft, year=2023)
    assert version_in_force(keski_uusimaa, 2022) == newer  # the latest draft, whatever the year


def test_a_region_without_a_strategy_has_none(world):
    area = Region.objects.get(slug="etela-savo").area
    region = Region.objects.create(slug="ei-strategiaa", name="Ei strategiaa", area=area)
    assert version_in_force(region, 2024) is None


def test_every_page_shows_the_version_in_force_not_the_draft(client, draft_beside_approved):
    year = {"year": str(draft_beside_approved.year)}
    pages = [
        reverse("strategy:region", args=["etela-savo"]),
        reverse("dashboard:dashboard", args=["etela-savo"]),
        reverse("cooperation:process", args=["etela-savo"]),
        reverse("cooperation:groups", args=["etela-savo"]),
    ]
    for url in pages:
        response = client.get(url, year)
        assert response.status_code == 200, url
        assert "Luonnoksen missio" not in response.content.decode(), url
    strategy_page = client.get(pages[0], year).content.decode()
    assert "2024 (hyväksytty)" in strategy_page
    api = client.get(reverse("reports:api_strategy", args=["etela-savo"]), year).json()
    assert api["version"]["year"] == 2024


def test_a_draft_beside_an_approved_version_is_previewed_by_the_regions_people_only(
    client, users, draft_beside_approved
):
    url = reverse("strategy:region", args=["etela-savo"]) + f"?draft={draft_beside_approved.year}"
    assert client.get(url).status_code == 302  # to log in
    client.force_login(users["bob"])  # another region's administrator
    assert client.get(url).status_code == 403
    client.force_login(users["carol"])  # a viewer in Etelä-Savo
    page = client.get(url).content.decode()
    assert "Luonnoksen missio" in page and f"{draft_beside_approved.year} (luonnos)" in page


def test_a_region_with_only_a_draft_shows_it_to_everyone_marked_as_a_draft(client, world):
    strategy_page = client.get(reverse("strategy:region", args=["keski-uusimaa"])).content.decode()
    assert "2022 (luonnos)" in strategy_page
    dashboard = client.get(reverse("dashboard:dashboard", args=["keski-uusimaa"])).content.decode()
    assert "2022 (luonnos)" in dashboard
