"""Fixtures of the sign-in tests: English pages (stable texts), TOTP helpers and the fake OIDC provider."""

import pyotp
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from tilannekuva.accounts import oidc
from tilannekuva.accounts.models import TOTPDevice

from .fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider


@pytest.fixture(autouse=True)
def _english(client):
    # The texts asserted are the English sources; the Finnish ones change with the translators' work.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def device_of():
    """Give a user a confirmed authenticator and return its pyotp.TOTP."""

    def make(user) -> pyotp.TOTP:
        secret = pyotp.random_base32()
        TOTPDevice.objects.create(user=user, secret=secret, confirmed=True)
        return pyotp.TOTP(secret)

    return make


@pytest.fixture(scope="session")
def provider_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def other_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def provider(provider_key, settings, monkeypatch):
    monkeypatch.setattr(oidc, "BACKOFF_SECONDS", 0.0)
    with FakeProvider(provider_key) as fake:
        settings.OIDC_ISSUER = fake.url
        settings.OIDC_CLIENT_ID = CLIENT_ID
        settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_AUTHORIZATION_ENDPOINT = ""
        settings.OIDC_TOKEN_ENDPOINT = ""
        settings.OIDC_JWKS_URI = ""
        settings.OIDC_CREATE_USERS = False
        yield fake
