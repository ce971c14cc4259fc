"""The optional TOTP second factor: enrolment, the code step after the password, throttling, removal."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from tilannekuva.accounts import services
from tilannekuva.accounts.models import TOTPDevice
from tilannekuva.regions.models import Region, RegionRole, RoleKind

TWO_FACTOR = "/accounts/two-factor/"
CODE_STEP = "/accounts/login/code/"


PASSWORDS = {"alice": "alice-password-1", "carol": "carol-password-1", "dave": "dave-password-12"}


def sign_in(client, username="carol", password=None, **extra):
    password = password or PASSWORDS[username]
    return client.post(reverse("accounts:login"), {"username": username, "password": password, **extra})


def next_code(totp: pyotp.TOTP) -> str:
    """A code of the next time step: never the one just used (replays are refused)."""
    return totp.at(time.time() + 30)


def shown_secret(response) -> str:
    match = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', response.content.decode())
    assert match, "secret not shown"
    return match.group(1).replace(" ", "")


def test_enrolment_page_shows_secret_uri_and_inline_svg_qr(client, users):
    client.force_login(users["carol"])
    response = client.get(TWO_FACTOR)
    body = response.content.decode()
    secret = shown_secret(response)
    assert "otpauth://totp/Tilannekuva:carol?secret=" + secret in body.replace("&amp;", "&")
    assert "<svg" in body and "<script" not in body.split("<main", 1)[1]
    assert shown_secret(client.get(TWO_FACTOR)) == secret  # the same secret until confirmed


def test_enrolment_is_confirmed_with_a_code(client, users):
    client.force_login(users["carol"])
    totp = pyotp.TOTP(shown_secret(client.get(TWO_FACTOR)))
    response = client.post(TWO_FACTOR, {"code": totp.now()}, follow=True)
    assert "Two-step verification is now on." in response.content.decode()
    assert TOTPDevice.objects.get(user=users["carol"]).confirmed


def test_enrolment_with_a_wrong_code_stays_unconfirmed_and_says_why(client, users):
    client.force_login(users["carol"])
    client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"code": "000000"})
    body = response.content.decode()
    assert "The code is wrong or has expired." in body
    assert 'aria-describedby="code-error code-help"' in body and 'aria-invalid="true"' in body
    assert not TOTPDevice.objects.get(user=users["carol"]).confirmed


def test_two_factor_page_needs_sign_in(client, db):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_user_with_a_device_is_not_signed_in_by_the_password_alone(client, users, device_of):
    device_of(users["carol"])
    response = sign_in(client, next="/data/")
    assert response.status_code == 302 and response["Location"] == CODE_STEP
    assert SESSION_KEY not in client.session
    assert client.get(TWO_FACTOR).status_code == 302  # nothing else is open meanwhile


def test_right_code_after_the_password_signs_in_and_returns_to_next(client, users, device_of):
    totp = device_of(users["carol"])
    sign_in(client, next="/data/")
    response = client.post(CODE_STEP, {"code": totp.now()})
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert client.session[SESSION_KEY] == str(users["carol"].pk)


def test_code_step_without_a_password_first_goes_back_to_login(client, db):
    assert client.get(CODE_STEP)["Location"] == reverse("accounts:login")


def test_a_code_is_accepted_only_once(client, users, device_of):
    totp = device_of(users["carol"])
    code = totp.now()
    sign_in(client)
    client.post(CODE_STEP, {"code": code})
    client.post(reverse("accounts:logout"))
    sign_in(client)
    response = client.post(CODE_STEP, {"code": code})
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_five_wrong_codes_lock_the_code_step_even_for_the_right_code(client, users, device_of):
    totp = device_of(users["carol"])
    sign_in(client)
    for _ in range(4):
        assert "The code is wrong" in client.post(CODE_STEP, {"code": "000000"}).content.decode()
    assert "Too many wrong codes" in client.post(CODE_STEP, {"code": "000000"}).content.decode()
    response = client.post(CODE_STEP, {"code": totp.now()})
    assert "locked for 10 minutes" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_lock_holds_across_a_new_password_sign_in_and_ends_after_ten_minutes(client, users, device_of):
    totp = device_of(users["carol"])
    TOTPDevice.objects.update(locked_until=timezone.now() + timedelta(minutes=3))
    sign_in(client)
    assert "locked for 3 minutes" in client.post(CODE_STEP, {"code": totp.now()}).content.decode()
    TOTPDevice.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert client.post(CODE_STEP, {"code": totp.now()}).status_code == 302


def test_device_is_removed_with_a_code(client, users, device_of):
    totp = device_of(users["carol"])
    sign_in(client)
    client.post(CODE_STEP, {"code": totp.now()})
    assert "Remove two-step verification" in client.get(TWO_FACTOR).content.decode()
    assert client.post(TWO_FACTOR, {"code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=users["carol"]).exists()
    client.post(TWO_FACTOR, {"code": next_code(totp)})
    assert not TOTPDevice.objects.filter(user=users["carol"]).exists()


def test_session_that_skipped_the_code_is_refused_by_the_admin(client, users, device_of):
    device_of(users["alice"])
    client.force_login(users["alice"])  # a session made some other way than our two steps
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_login_form_cannot_skip_the_code(client, users, device_of):
    device_of(users["alice"])
    response = client.post("/admin/login/", {"username": "alice", "password": "alice-password-1", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_with_a_device_reaches_the_admin_after_both_steps(client, users, device_of):
    totp = device_of(users["alice"])
    sign_in(client, username="alice", password="alice-password-1")
    client.post(CODE_STEP, {"code": totp.now()})
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def required(settings):
    settings.REQUIRE_TWO_FACTOR_FOR_ADMINS = True


def test_required_two_factor_sends_staff_to_enrol_before_signing_in(client, users, required):
    response = sign_in(client, username="dave", password="dave-password-12", next="/data/")
    assert response["Location"] == TWO_FACTOR
    assert SESSION_KEY not in client.session
    page = client.get(TWO_FACTOR)
    assert "Administrators must use two-step verification" in page.content.decode()
    totp = pyotp.TOTP(shown_secret(page))
    response = client.post(TWO_FACTOR, {"code": totp.now()})
    assert response["Location"] == "/data/"
    assert client.session[SESSION_KEY] == str(users["dave"].pk)
    assert client.get("/admin/").status_code == 200


def test_required_two_factor_covers_region_administrators_who_are_not_staff(client, users, required, django_user_model):
    erkki = django_user_model.objects.create_user("erkki", password="erkki-password-1")
    RegionRole.objects.create(user=erkki, region=Region.objects.get(slug="etela-savo"), role=RoleKind.ADMIN)
    assert sign_in(client, username="erkki", password="erkki-password-1")["Location"] == TWO_FACTOR


def test_required_two_factor_leaves_other_users_alone(client, db, required, django_user_model):
    django_user_model.objects.create_user("veera", password="veera-password-1")
    assert sign_in(client, username="veera", password="veera-password-1")["Location"] == reverse("followup:landing")


def test_required_two_factor_refuses_an_admin_session_without_a_device(client, users, required):
    client.force_login(users["dave"])
    assert client.get("/admin/").status_code == 302


def test_required_two_factor_cannot_be_removed(client, users, required, device_of):
    totp = device_of(users["dave"])
    sign_in(client, username="dave", password="dave-password-12")
    client.post(CODE_STEP, {"code": totp.now()})
    response = client.post(TWO_FACTOR, {"code": next_code(totp)})
    assert "cannot be removed" in response.content.decode()
    assert TOTPDevice.objects.filter(user=users["dave"]).exists()


def test_held_sign_in_expires(client, users, device_of, monkeypatch):
    totp = device_of(users["carol"])
    sign_in(client)
    monkeypatch.setattr(services, "PENDING_SECONDS", -1)
    response = client.post(CODE_STEP, {"code": totp.now()})
    assert response["Location"] == reverse("accounts:login") and SESSION_KEY not in client.session


def test_code_from_one_step_early_or_late_is_accepted_but_not_older(users, device_of):
    totp = device_of(users["carol"])
    device = TOTPDevice.objects.get(user=users["carol"])
    now = time.time()
    services.verify_code(device=device, code=totp.at(now - 30), now=now)
    with pytest.raises(services.TwoFactorError):
        services.verify_code(device=device, code=totp.at(now - 90), now=now)
