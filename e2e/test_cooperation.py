"""Co-operation pages in Chromium: the filtered actions list, an action, a group and the process timeline,
each without axe-core (WCAG 2.1 AA) violations."""

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


def test_actions_group_and_process_pages_pass_axe(page):
    page.goto("/regions/pohjois-savo/actions/")
    # By id, not by label: the interface strings are English until the translators reach them.
    page.locator("#id_interface").select_option("tyollisyys-yhdyspinta")
    page.locator("form.filter-form button[type=submit]").click()
    expect(page).to_have_url(
        "/regions/pohjois-savo/actions/?interface=tyollisyys-yhdyspinta&goal=&organisation=&status="
    )
    link = page.get_by_role("link", name="Vastinparien löytyminen", exact=False)
    expect(link).to_be_visible()
    assert axe_violations(page) == []

    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vastinparien löytyminen")
    expect(page.get_by_text("Yhteystiedot löytyvät / ei löydy")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Työllisyysalueiden valmistelun ohjaus- ja työryhmät").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Työllisyysalueiden valmistelun ohjaus- ja työryhmät")
    assert axe_violations(page) == []

    page.goto("/regions/keski-uusimaa/process/")
    expect(page.get_by_role("heading", name="Strategisten tietojen keruu ja analysointi")).to_be_visible()
    expect(page.locator("ol.timeline > li")).to_have_count(5)
    assert axe_violations(page) == []
