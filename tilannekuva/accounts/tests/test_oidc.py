"""OpenID Connect single sign-on against a fake provider on 127.0.0.1: the full flow and every refusal."""

import logging
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from tilannekuva.accounts.models import TOTPDevice
from tilannekuva.regions.models import RegionRole

REFUSED = "Signing in with your organisation&#x27;s account failed."


@pytest.fixture
def alice_with_email(users):
    users["alice"].email = "Alice@Mikkeli.fi"
    users["alice"].save()
    return users["alice"]


def start(client, next_url="/data/"):
    response = client.post(reverse("accounts:oidc_start"), {"next": next_url})
    assert response.status_code == 302
    return response["Location"]


def authorize(authorization_url):
    """What the user's browser does at the provider: it is sent straight back with a code."""
    answer = httpx.get(authorization_url, follow_redirects=False)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    return back.path, {k: v[0] for k, v in parse_qs(back.query).items()}


def sign_in_with_provider(client, next_url="/data/", **change):
    path, params = authorize(start(client, next_url))
    params.update(change)
    return client.get(path, params)


def refused(client, response, caplog, reason):
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert reason in caplog.text
    return client.get(response["Location"]).content.decode()


def test_button_is_shown_only_when_oidc_is_configured(client, db, settings):
    settings.OIDC_ISSUER = ""
    assert "/accounts/oidc/start/" not in client.get(reverse("accounts:login")).content.decode()
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "https://idp.test", "id", "secret"
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'action="/accounts/oidc/start/"' in body
    assert "Log in with your organisation's account" in body


def test_authorization_request_uses_code_flow_with_pkce_state_and_nonce(client, provider, db):
    query = parse_qs(urlsplit(start(client)).query)
    assert urlsplit(start(client)).netloc == urlsplit(provider.url).netloc
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == ["tilannekuva-test"] and "openid" in query["scope"][0]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/callback/"]
    assert len(query["state"][0]) > 30 and len(query["nonce"][0]) > 30 and len(query["code_challenge"][0]) == 43


def test_full_flow_signs_in_the_user_with_that_email(client, provider, alice_with_email):
    response = sign_in_with_provider(client)
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert client.session[SESSION_KEY] == str(alice_with_email.pk)
    assert provider.token_requests[0]["grant_type"] == "authorization_code"


def test_explicit_endpoints_work_without_discovery(client, provider, alice_with_email, settings):
    settings.OIDC_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_JWKS_URI = f"{provider.url}/jwks"
    settings.OIDC_ISSUER = "http://127.0.0.1:1"  # unreachable: discovery would fail; only `iss` is compared
    provider.claims = {"iss": "http://127.0.0.1:1"}
    assert sign_in_with_provider(client)["Location"] == "/data/"


def test_issuer_with_a_trailing_slash_is_matched_as_the_provider_spells_it(
    client, provider, alice_with_email, settings
):
    settings.OIDC_ISSUER = provider.url + "/"
    provider.discovery_issuer = provider.url + "/"
    provider.claims = {"iss": provider.url + "/"}
    assert sign_in_with_provider(client)["Location"] == "/data/"


def test_wrong_state_is_refused(client, provider, alice_with_email, caplog):
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client, state="forged-state")
    assert REFUSED in refused(client, response, caplog, "state does not match")
    assert provider.token_requests == []


def test_a_code_the_provider_refuses_is_asked_once_and_refused(client, provider, alice_with_email, caplog):
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client, code="a-code-the-provider-never-gave")
    refused(client, response, caplog, "the token endpoint answered HTTP 400 invalid_grant")
    assert len(provider.token_requests) == 1  # a single-use code is never sent twice


def test_callback_without_a_started_sign_in_is_refused(client, provider, db):
    response = client.get(reverse("accounts:oidc_callback"), {"code": "x", "state": "y"})
    assert response["Location"] == reverse("accounts:login") and SESSION_KEY not in client.session


def test_callback_cannot_be_used_twice(client, provider, alice_with_email):
    path, params = authorize(start(client))
    client.get(path, params)
    client.post(reverse("accounts:logout"))
    assert client.get(path, params)["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_wrong_signature_is_refused(client, provider, alice_with_email, other_key, caplog):
    provider.signing_key = other_key
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client)
    refused(client, response, caplog, "signature does not match")


def test_wrong_audience_is_refused(client, provider, alice_with_email, caplog):
    provider.claims = {"aud": "some-other-client"}
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client)
    refused(client, response, caplog, "issued for another client")


def test_wrong_issuer_is_refused(client, provider, alice_with_email, caplog):
    provider.claims = {"iss": "https://evil.example"}
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client)
    refused(client, response, caplog, "issued by another provider")


def test_expired_token_is_refused(client, provider, alice_with_email, caplog):
    provider.claims = {"iat": int(time.time()) - 3600, "exp": int(time.time()) - 600}
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client)
    refused(client, response, caplog, "has expired")


def test_wrong_nonce_is_refused(client, provider, alice_with_email, caplog):
    provider.claims = {"nonce": "replayed"}
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client)
    refused(client, response, caplog, "nonce does not match")


def test_unsigned_token_is_refused(client, provider, alice_with_email, caplog, monkeypatch):
    import jwt

    monkeypatch.setattr(provider, "id_token", lambda nonce: jwt.encode({"nonce": nonce}, "", algorithm="none"))
    with caplog.at_level(logging.WARNING):
        response = sign_in_with_provider(client)
    refused(client, response, caplog, "not RS256")


def test_unknown_email_is_refused_with_a_clear_message(client, provider, users):
    provider.email = "stranger@juva.fi"
    response = sign_in_with_provider(client)
    assert SESSION_KEY not in client.session
    body = client.get(response["Location"]).content.decode()
    assert "There is no account in Tilannekuva with the e-mail address stranger@juva.fi" in body
    assert not get_user_model().objects.filter(email="stranger@juva.fi").exists()


def test_unknown_email_creates_a_user_without_roles_when_allowed(client, provider, users, settings):
    settings.OIDC_CREATE_USERS = True
    provider.email = "stranger@juva.fi"
    assert sign_in_with_provider(client)["Location"] == "/data/"
    user = get_user_model().objects.get(email="stranger@juva.fi")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not user.has_usable_password() and not user.is_staff and not RegionRole.objects.filter(user=user).exists()
    assert (user.first_name, user.last_name) == ("Aino", "Mikkeläinen")


@pytest.mark.parametrize("verified", [False, None, "false", 1])
def test_unverified_email_is_refused(client, provider, alice_with_email, verified):
    provider.claims = {"email_verified": verified}
    sign_in_with_provider(client)
    assert SESSION_KEY not in client.session


def test_user_with_a_device_still_passes_the_code_step(client, provider, alice_with_email):
    TOTPDevice.objects.create(user=alice_with_email, secret="JBSWY3DPEHPK3PXP", confirmed=True)
    response = sign_in_with_provider(client)
    assert response["Location"] == reverse("accounts:login_code")
    assert SESSION_KEY not in client.session


def test_unreachable_provider_gives_a_clear_error(client, db, settings, caplog, monkeypatch):
    from tilannekuva.accounts import oidc

    monkeypatch.setattr(oidc, "BACKOFF_SECONDS", 0.0)
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "http://127.0.0.1:1", "id", "s"
    with caplog.at_level(logging.ERROR):
        response = client.post(reverse("accounts:oidc_start"), follow=True)
    assert "not available right now" in response.content.decode()
    assert "connection failed" in caplog.text and "127.0.0.1:1/.well-known/openid-configuration" in caplog.text


def test_start_is_post_only(client, provider):
    assert client.get(reverse("accounts:oidc_start")).status_code == 405
