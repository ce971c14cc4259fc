"""The password sign-in, sign-out and the admin's login going through them."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

LOGIN = "/accounts/login/"


PASSWORDS = {"alice": "alice-password-1", "carol": "carol-password-1", "dave": "dave-password-12"}


def sign_in(client, username="carol", password=None, **extra):
    password = password or PASSWORDS[username]
    return client.post(reverse("accounts:login"), {"username": username, "password": password, **extra})


def test_login_page_has_labelled_fields_and_finnish_by_default(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert '<html lang="fi">' in response.content.decode()
    assert '<label for="id_username">' in response.content.decode()
    assert '<label for="id_password">' in response.content.decode()


def test_login_url_names_and_setting(settings):
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == "/accounts/logout/"
    assert settings.LOGIN_URL == "accounts:login"


def test_right_password_signs_in_and_returns_to_next(client, users):
    response = sign_in(client, next="/data/")
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert client.session[SESSION_KEY] == str(users["carol"].pk)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_unsafe_next_is_replaced_by_the_landing_page(client, users, next_url):
    """The landing page: one's tasks for an editor or a coordinator, else the front page (followup.views.landing)."""
    response = sign_in(client, next=next_url)
    assert response.status_code == 302 and response["Location"] == reverse("followup:landing")


def test_wrong_password_unknown_user_and_inactive_user_get_one_generic_message(client, users):
    users["dave"].is_active = False
    users["dave"].save()
    answers = [
        sign_in(client, password="wrong-password-1"),
        sign_in(client, username="nobody", password="whatever-password"),
        sign_in(client, username="dave", password="dave-password-12"),
    ]
    for response in answers:
        assert response.status_code == 200
        body = response.content.decode()
        assert "The user name or password is wrong." in body
        assert 'aria-describedby="login-error"' in body and 'id="login-error"' in body
    assert SESSION_KEY not in client.session


def test_session_key_changes_at_sign_in(client, users):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client)
    assert client.session.session_key != before


def test_login_and_logout_need_a_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client).status_code == 403
    client.force_login(users["carol"])
    assert client.post(reverse("accounts:logout")).status_code == 403


def test_logout_is_post_only_and_signs_out(client, users):
    client.force_login(users["carol"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert SESSION_KEY in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert SESSION_KEY not in client.session


def test_header_links_to_our_login_and_logout(client, users):
    assert f'href="{LOGIN}?next=' in client.get(reverse("portal:home")).content.decode()
    client.force_login(users["carol"])
    assert 'action="/accounts/logout/"' in client.get(reverse("portal:home")).content.decode()


def test_admin_login_page_sends_to_our_login_with_next(client, db):
    response = client.get("/admin/login/?next=/admin/regions/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fregions%2F"


def test_admin_login_does_not_pass_on_an_outside_next(client, db):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert "evil" not in response["Location"]


def test_admin_index_sends_anonymous_visitors_through_our_login(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)


def test_password_login_reaches_the_admin_for_staff(client, users):
    sign_in(client, username="alice", password="alice-password-1")
    assert client.get("/admin/").status_code == 200
