"""The OpenID Connect client: provider discovery, the code exchange and ID-token checks (httpx + PyJWT)."""

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache

from tilannekuva.core.http import OutsideClient, SourceError

# Only RS256: the issue asks for it, and a fixed list stops a token from choosing a weaker algorithm ("none").
ALGORITHMS = ["RS256"]
# Clock difference tolerated between the provider and us when checking exp, iat and nbf.
LEEWAY_SECONDS = 30
CACHE_SECONDS = 3600
RETRIES = 3
BACKOFF_SECONDS = 0.5


class OIDCError(Exception):
    """Single sign-on failed. The message says why in words a user or an administrator can act on."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    scopes: str


def is_configured() -> bool:
    has_client = bool(settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET)
    explicit = settings.OIDC_AUTHORIZATION_ENDPOINT and settings.OIDC_TOKEN_ENDPOINT and settings.OIDC_JWKS_URI
    return has_client and bool(settings.OIDC_ISSUER or explicit)


def _client(base_url: str) -> OutsideClient:
    return OutsideClient(
        base_url,
        name="OpenID Connect provider",
        timeout=settings.OIDC_TIMEOUT,
        retries=RETRIES,
        backoff=BACKOFF_SECONDS,
    )


def _get_json(url: str) -> Any:
    with _client(url) as client:
        try:
            return client.get_json(url)
        except SourceError as exc:
            raise OIDCError(str(exc)) from exc


def provider() -> Provider:
    """The configured provider; endpoints not given explicitly come from the issuer's discovery document."""
    if not is_configured():
        raise OIDCError("OpenID Connect is not configured")
    issuer = settings.OIDC_ISSUER
    endpoints = {
        "authorization_endpoint": settings.OIDC_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_TOKEN_ENDPOINT,
        "jwks_uri": settings.OIDC_JWKS_URI,
    }
    if not all(endpoints.values()):
        discovery = discover(issuer)
        named = str(discovery.get("issuer", ""))
        if named.rstrip("/") != issuer.rstrip("/"):
            raise OIDCError(f"the discovery document of {issuer} names another issuer: {named!r}")
        # ID tokens carry the issuer exactly as the provider spells it, trailing slash and all.
        issuer = named
        for name, value in endpoints.items():
            endpoints[name] = value or discovery.get(name, "")
        missing = [name for name, value in endpoints.items() if not value]
        if missing:
            raise OIDCError(f"the discovery document of {issuer} lacks {', '.join(missing)}")
    return Provider(
        issuer=issuer,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        scopes=settings.OIDC_SCOPES,
        **endpoints,
    )


def discover(issuer: str) -> dict[str, Any]:
    key = f"accounts:oidc:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
        if not isinstance(document, dict):
            raise OIDCError(f"the discovery document of {issuer} is not a JSON object")
        cache.set(key, document, CACHE_SECONDS)
    return document


def new_request_secrets() -> dict[str, str]:
    """state (against forged callbacks), nonce (against replayed ID tokens) and the PKCE code verifier."""
    return {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "code_verifier": secrets.token_urlsafe(64),
    }


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_url(config: Provider, *, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": redirect_uri,
            "scope": config.scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge(code_verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in config.authorization_endpoint else "?"
    return f"{config.authorization_endpoint}{separator}{query}"


def exchange_code(config: Provider, *, code: str, redirect_uri: str, code_verifier: str) -> str:
    """Trade the authorization code for tokens and return the ID token.

    Not retried: an authorization code is good for one use, so a second try after a lost answer would fail
    anyway and only hide the first fault."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    data["code_verifier"] = code_verifier
    with _client(config.token_endpoint) as client:
        try:
            response = client.post(
                config.token_endpoint,
                data=data,
                auth=(config.client_id, config.client_secret),
                headers={"Accept": "application/json"},
                retries=1,
            )
        except SourceError as exc:
            if exc.response is None:
                raise OIDCError(str(exc)) from exc
            raise OIDCError(
                f"the token endpoint answered HTTP {exc.response.status_code} {_error_code(exc.response)}".strip()
            ) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise OIDCError("the token endpoint answered with something that is not a JSON object")
    id_token = answer.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise OIDCError("the token endpoint gave no ID token")
    return id_token


def _error_code(response: httpx.Response) -> str:
    """The OAuth error code of an error answer ("invalid_grant"), or nothing."""
    try:
        answer = response.json()
    except ValueError:
        return ""
    return str(answer.get("error", "")) if isinstance(answer, dict) else ""


def _signing_key(config: Provider, token: str) -> Any:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise OIDCError(f"the ID token is malformed ({exc})") from exc
    if header.get("alg") not in ALGORITHMS:
        raise OIDCError(f"the ID token is signed with {header.get('alg')!r}, not RS256")
    kid = header.get("kid")
    cache_key = f"accounts:oidc:jwks:{config.jwks_uri}"
    for refresh in (False, True):
        # A key id we do not know may mean the provider rotated its keys: fetch the set again once.
        jwks = None if refresh else cache.get(cache_key)
        if jwks is None:
            jwks = _get_json(config.jwks_uri)
            cache.set(cache_key, jwks, CACHE_SECONDS)
        try:
            key_set = jwt.PyJWKSet.from_dict(jwks)
        except (jwt.PyJWTError, KeyError, TypeError) as exc:
            raise OIDCError(f"the provider's key set at {config.jwks_uri} is unusable ({exc})") from exc
        candidates = [k for k in key_set.keys if kid is None or k.key_id == kid]
        if candidates:
            return candidates[0].key
    raise OIDCError(f"the provider's key set has no key {kid!r}")


def verify_id_token(config: Provider, token: str, *, nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, times and nonce have been checked."""
    key = _signing_key(config, token)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=ALGORITHMS,
            audience=config.client_id,
            issuer=config.issuer or None,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "aud", "sub"] + (["iss"] if config.issuer else [])},
        )
    except jwt.InvalidSignatureError as exc:
        raise OIDCError("the ID token's signature does not match the provider's keys") from exc
    except jwt.ExpiredSignatureError as exc:
        raise OIDCError("the ID token has expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise OIDCError("the ID token was issued for another client") from exc
    except jwt.InvalidIssuerError as exc:
        raise OIDCError("the ID token was issued by another provider") from exc
    except jwt.PyJWTError as exc:
        raise OIDCError(f"the ID token was refused ({exc})") from exc
    # With several audiences, the token must be meant for us as the authorized party (OIDC Core 3.1.3.7).
    if isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1 and claims.get("azp") != config.client_id:
        raise OIDCError("the ID token was issued for another client")
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OIDCError("the ID token's nonce does not match this sign-in")
    return claims


def describe(claims: dict[str, Any]) -> str:
    """The claims as one line for the log (never the token itself)."""
    return json.dumps({k: claims.get(k) for k in ("iss", "sub", "email")}, ensure_ascii=False)
