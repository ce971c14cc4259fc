"""Sign-in throttling: the sixth try after five wrong passwords is refused for a while, for that user name at
that address only."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tilannekuva.accounts.models import LoginFailure

LOCKED = "Too many wrong passwords."
WRONG = "The user name or password is wrong."


def attempt(username: str, password: str, address: str = "192.0.2.10") -> tuple[Client, str]:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response.content.decode() if response.status_code == 200 else ""


def test_sixth_try_after_five_wrong_passwords_is_refused_even_with_the_right_one(users):
    for _ in range(5):
        _client, body = attempt("carol", "wrong-password-1")
        assert WRONG in body and LOCKED not in body
    client, body = attempt("carol", "carol-password-1")
    assert LOCKED in body and "15 minutes" in body
    assert SESSION_KEY not in client.session


def test_a_lock_does_not_keep_others_out(users):
    for _ in range(6):
        attempt("carol", "wrong-password-1")
    # Someone else at the same address, and the same person from another address, still sign in.
    other, body = attempt("alice", "alice-password-1")
    assert SESSION_KEY in other.session
    elsewhere, body = attempt("carol", "carol-password-1", address="198.51.100.7")
    assert SESSION_KEY in elsewhere.session


def test_the_lock_runs_out(users):
    for _ in range(5):
        attempt("carol", "wrong-password-1")
    LoginFailure.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    client, _body = attempt("carol", "carol-password-1")
    assert SESSION_KEY in client.session
    assert not LoginFailure.objects.filter(username="carol").exists()


def test_a_right_password_resets_the_count(users):
    for _ in range(4):
        attempt("carol", "wrong-password-1")
    attempt("carol", "carol-password-1")
    for _ in range(4):
        _client, body = attempt("carol", "wrong-password-1")
        assert LOCKED not in body


def test_an_address_trying_many_user_names_is_refused(users, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6
    for number in range(6):
        attempt(f"guess-{number}", "wrong-password-1")
    _client, body = attempt("carol", "carol-password-1")
    assert LOCKED in body
    other, _body = attempt("carol", "carol-password-1", address="198.51.100.7")
    assert SESSION_KEY in other.session


def test_the_address_comes_from_the_proxy_header_when_configured(users, settings):
    settings.CLIENT_ADDRESS_HEADER = "X-Real-IP"
    for _ in range(5):
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
        client.post(reverse("accounts:login"), {"username": "carol", "password": "wrong-password-1"})
    assert LoginFailure.objects.get(username="carol").address == "203.0.113.5"
    # Another visitor behind the same proxy is not locked.
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.6")
    client.post(reverse("accounts:login"), {"username": "carol", "password": "carol-password-1"})
    assert SESSION_KEY in client.session


def test_the_admin_login_is_throttled_too(users):
    for _ in range(5):
        attempt("alice", "wrong-password-1")
    client = Client(REMOTE_ADDR="192.0.2.10")
    response = client.post(
        reverse("admin:login"), {"username": "alice", "password": "alice-password-1", "next": "/admin/"}
    )
    assert SESSION_KEY not in client.session
    assert response.status_code in (200, 302)


def test_an_attempt_is_counted_before_its_password_is_checked(users, monkeypatch):
    """Parallel attempts cannot all pass the check: each is counted (atomically) before `authenticate` runs, so the
    attempts beyond the limit are refused without a password check (`python -m bench limits`: 30 at once through
    five gunicorn workers check 5)."""
    from django.contrib.auth import forms as auth_forms

    seen = []
    real = auth_forms.authenticate  # type: ignore[attr-defined]

    def authenticate(request=None, **credentials):
        seen.append(LoginFailure.objects.get(username="carol").failures)
        return real(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", authenticate)
    answers = [attempt("carol", "wrong-password-1")[1] for _ in range(7)]
    assert seen == [1, 2, 3, 4, 5]  # the sixth and seventh were never checked
    assert all(LOCKED in body for body in answers[5:])
