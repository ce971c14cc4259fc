"""Security properties of the whole site: CSRF on every POST, the security headers of both profiles, the
health check, and no secret in the repository. New apps are covered without editing this file: the CSRF test
walks every URL pattern."""

import re
import secrets
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse

# Deliberately without a CSRF token (docs/DECISIONS.md): choosing a language changes nothing but a cookie.
CSRF_EXEMPT = {"set_language"}
REFUSED = b"csrf-refused-by-middleware"


def csrf_refused(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(REFUSED, status=403)


def dummy(converter: object) -> object:
    if isinstance(converter, converters.IntConverter):
        return 1
    if isinstance(converter, converters.UUIDConverter):
        return uuid.UUID(int=1)
    return "x"


def url_patterns(resolver: URLResolver | None = None, namespace: str = ""):
    """(full URL name, keyword arguments that fill it) of every named route, the admin's included."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found = getattr(pattern.pattern, "converters", {})
            yield f"{namespace}{pattern.name}", {name: dummy(c) for name, c in found.items()}


def addresses() -> list[tuple[str, str]]:
    result = []
    for name, kwargs in url_patterns():
        try:
            result.append((name, reverse(name, kwargs=kwargs)))
        except Exception:  # an admin route with a regular expression of its own: tried with the model's id below
            if name.startswith("admin:"):
                continue
            raise
    return result


def test_the_url_walk_finds_the_apps_routes():
    names = {name for name, _url in addresses()}
    assert {"accounts:login", "followup:report", "databank:bind", "admin:login", "core:healthz"} <= names


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(settings, users):
    """Signed in as a region administrator, so that no view refuses for lack of rights before CSRF is checked;
    the refusal must come from the CSRF middleware, whatever the view would do."""
    settings.CSRF_FAILURE_VIEW = "tilannekuva.core.tests.test_security.csrf_refused"
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["alice"])
    not_refused = []
    for name, url in addresses():
        if name in CSRF_EXEMPT:
            continue
        response = client.post(url, {"title": "x"})
        if response.content != REFUSED:
            not_refused.append((name, url, response.status_code))
    assert not_refused == []


@pytest.mark.django_db
def test_a_post_with_the_token_gets_through_the_csrf_check(users):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:login"))
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("accounts:login"),
        {"username": "carol", "password": "carol-password-1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("portal:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def production_settings(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "TILANNEKUVA_PROFILE": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tilannekuva.example.fi",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        **extra,
    }


PRODUCTION_PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
# No collectstatic here (it takes long): the pages' static addresses come from the plain storage.
from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
staticfiles_storage._wrapped = StaticFilesStorage()
client = Client(HTTP_HOST="tilannekuva.example.fi", HTTP_X_FORWARDED_PROTO="https")
page = client.get("/accounts/login/")
evil = client.get("/accounts/login/", HTTP_HOST="evil.example")
health = Client(HTTP_HOST="tilannekuva.example.fi").get("/healthz/")
cookies = {name: dict(morsel) for name, morsel in page.cookies.items()}
print(json.dumps({"status": page.status_code, "headers": dict(page.headers), "cookies": cookies,
    "evil": evil.status_code, "health": health.status_code, "middleware": settings.MIDDLEWARE,
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "session_cookie": [
        settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE],
    "language_cookie": [settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE]}))
"""


def run_probe(tmp_path: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TILANNEKUVA_PROFILE")}
    env.update(environment, DJANGO_SETTINGS_MODULE="tilannekuva.settings")
    return subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_sends_hsts_and_secure_cookies_and_refuses_other_hosts(tmp_path):
    import json

    done = run_probe(tmp_path, production_settings(tmp_path))
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["status"] == 200
    headers = {k.lower(): v for k, v in probe["headers"].items()}
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    csrf_cookie = probe["cookies"][settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"] is True and csrf_cookie["httponly"] is True and csrf_cookie["samesite"] == "Lax"
    assert probe["evil"] == 400  # a Host header not in ALLOWED_HOSTS
    assert probe["health"] == 200  # plain http from inside the network, for the load balancer
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in probe["middleware"]
    assert probe["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert probe["session_cookie"] == [True, True, "Lax"] and probe["language_cookie"] == [True, "Lax"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_profile_refuses_to_start_without_its_settings(tmp_path, missing):
    environment = production_settings(tmp_path)
    del environment[missing]
    done = run_probe(tmp_path, environment)
    assert done.returncode != 0 and f"{missing} must be set in the production profile" in done.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"SECRET_KEY": "x"}, "SECRET_KEY is weak or known"),
        ({"SECRET_KEY": "x" * 60}, "SECRET_KEY is weak or known"),
        ({"SECRET_KEY": "demo-only-insecure-key-never-use-in-production"}, "SECRET_KEY is weak or known"),
        ({"SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 5}, "SECRET_KEY is weak or known"),
        ({"DEBUG": "true"}, "DEBUG must not be on in the production profile"),
    ],
)
def test_production_profile_refuses_a_weak_or_known_secret_and_debug(tmp_path, extra, message):
    done = run_probe(tmp_path, production_settings(tmp_path, **extra))
    assert done.returncode != 0 and message in done.stderr


def test_session_cookie_is_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_health_check_answers_ok_without_secrets(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")
    assert client.post(reverse("core:healthz")).status_code == 405


@pytest.mark.django_db
def test_health_check_answers_503_when_the_database_is_gone(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


# --- no secret in the repository -----------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    "Stripe key": re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}\b"),
    "Django secret key in code": re.compile(r"""SECRET_KEY\s*=\s*["'](?!demo-only-insecure)[^"']{20,}["']"""),
    "password in a URL": re.compile(r"\b(?:postgres|postgresql|mysql|redis|amqp)://[^:@/\s]+:[^@/\s]{3,}@"),
}
# The tests' own made-up examples (a fake OpenID provider's key is generated at run time, not stored).
ALLOWED_FILES = {"tilannekuva/core/tests/test_security.py"}


def tracked_files() -> list[Path]:
    done = subprocess.run(["git", "ls-files", "-z"], cwd=settings.BASE_DIR, capture_output=True, timeout=60)
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    return [settings.BASE_DIR / name for name in done.stdout.decode().split("\0") if name]


def test_no_secret_is_committed():
    found = []
    for path in tracked_files():
        relative = path.relative_to(settings.BASE_DIR).as_posix()
        if relative in ALLOWED_FILES or not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        found += [(relative, kind) for kind, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    assert found == []


def test_the_secret_scan_finds_what_it_looks_for():
    samples = {
        "private key": "-----BEGIN RSA PRIVATE KEY-----",
        "AWS access key": "AKIA" + "ABCDEFGHIJKLMNOP",
        "GitHub token": "ghp_" + "a" * 36,
        "password in a URL": "postgres://app:" + "hunter2@db/tilannekuva",
    }
    for kind, sample in samples.items():
        assert SECRET_PATTERNS[kind].search(sample), kind


def test_json_logs_are_one_object_a_line_with_extra_fields_and_the_traceback():
    import json
    import logging

    from tilannekuva.core.logs import JsonFormatter

    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.getLogger("tilannekuva.test").makeRecord(
            "tilannekuva.test",
            logging.ERROR,
            __file__,
            1,
            "import %s failed",
            ("sotkanet",),
            sys.exc_info(),
            extra={"address": "192.0.2.1", "job": object()},
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "tilannekuva.test"
    assert entry["message"] == "import sotkanet failed" and entry["address"] == "192.0.2.1"
    assert "ValueError: broken" in entry["exception"] and entry["job"].startswith("<object")
    assert entry["time"].endswith("+00:00")


@pytest.mark.django_db
def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_MB = 1
    response = client.generic(
        "POST", reverse("accounts:login"), data=b"x" * 10, content_type="text/plain", CONTENT_LENGTH=str(2 * 1024**2)
    )
    assert response.status_code == 413 and "1 M" in response.content.decode()
    assert client.post(reverse("accounts:login"), {"username": "x", "password": "y"}).status_code == 200
