"""Operations in Chromium: the imports page follows a background import by HTMX polling until it is done,
under the real Content Security Policy; axe-core on the page."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tilannekuva.databank import jobs
from tilannekuva.regions.models import Region, RegionRole, RoleKind

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


def test_the_imports_page_follows_a_background_import_until_it_is_done(
    browser, live_server, e2e_world, tmp_path, django_user_model
):
    admin = django_user_model.objects.create_user("e2e-ops-admin", password="e2e-ops-password-1")
    RegionRole.objects.create(user=admin, region=Region.objects.get(slug="etela-savo"), role=RoleKind.ADMIN)
    data = tmp_path / "synthetic-e2e-background.csv"
    data.write_text("indicator;area;year;value\nsynthetic-e2e;491;2023;4\n", encoding="utf-8")
    job = jobs.enqueue(source="file", arguments=[str(data)])

    # No bypass of the CSP here: the polling must work under the real policy.
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    client = Client()
    client.force_login(admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto("/data/imports/")
        row = page.locator("#import-jobs tbody tr").first
        expect(row).to_contain_text("Jonossa")
        jobs.execute(job.pk)
        expect(row).to_contain_text("Valmis", timeout=10_000)
        expect(row).to_contain_text("1 added")
        expect(page.locator("#import-jobs")).not_to_have_attribute("hx-trigger", "every 2s")
        assert violations == []
    finally:
        context.close()

    checking = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fi-FI")
    checking.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = checking.new_page()
    page.goto("/data/imports/")
    assert axe_violations(page) == []
    checking.close()
