"""Sign-in in Chromium: password, TOTP enrolment with a code computed from the shown key, then both steps."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


def fresh_code(totp: pyotp.TOTP, used_at: float) -> str:
    """A code of a later time step than the one used at enrolment: a code is accepted only once."""
    now = time.time()
    return totp.now() if int(now // 30) > int(used_at // 30) else totp.at(now + 30)


def test_password_then_totp_enrolment_then_sign_in_with_both_steps_passes_axe(page, users):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []

    page.fill("#id_username", "carol")
    page.fill("#id_password", "wrong-password-1")
    page.click("form.login-form button[type=submit]")
    expect(page.locator("#login-error")).to_be_visible()
    assert axe_violations(page) == []

    page.fill("#id_username", "carol")
    page.fill("#id_password", "carol-password-1")
    page.click("form.login-form button[type=submit]")
    expect(page.locator("form.inline-form button")).to_be_visible()

    page.goto("/accounts/two-factor/")
    assert axe_violations(page) == []
    expect(page.locator("figure.totp-qr svg")).to_be_visible()
    totp = pyotp.TOTP(page.text_content("#totp-secret").replace(" ", ""))
    page.fill("#id_code", totp.now())
    enrolled_at = time.time()
    page.click("main form button[type=submit]")
    expect(page.locator(".message-success")).to_be_visible()

    page.click("form.inline-form button")
    expect(page.locator("form.login-form")).to_have_count(0)
    page.goto("/accounts/login/?next=/data/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", "carol-password-1")
    page.click("form.login-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    assert axe_violations(page) == []

    page.fill("#id_code", "000000")
    page.click("main form button[type=submit]")
    expect(page.locator("#code-error")).to_be_visible()
    assert axe_violations(page) == []

    page.fill("#id_code", fresh_code(totp, enrolled_at))
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/data/$"))
    expect(page.locator("form.inline-form button")).to_be_visible()


def test_sign_in_pages_break_no_content_security_policy(browser, live_server, users):
    context = browser.new_context(base_url=live_server.url)  # the real policy: no bypass_csp here
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/accounts/login/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", "carol-password-1")
    page.click("form.login-form button[type=submit]")
    expect(page.locator("form.inline-form button")).to_be_visible()
    page.goto("/accounts/two-factor/")
    expect(page.locator("figure.totp-qr svg")).to_be_visible()
    context.close()
    assert [m for m in messages if "Content Security Policy" in m] == []
