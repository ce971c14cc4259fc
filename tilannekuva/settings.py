"""Django settings for Tilannekuva: every setting comes from the environment, with demo-safe defaults."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TILANNEKUVA_DATA_DIR", BASE_DIR / "data"))
STRATEGIES_DIR = Path(os.environ.get("TILANNEKUVA_STRATEGIES_DIR", BASE_DIR / "strategies"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# "demo" (default) runs on one machine with SQLite; "production" refuses to start without real secrets.
PROFILE = os.environ.get("TILANNEKUVA_PROFILE", "demo")
if PROFILE not in {"demo", "production"}:
    raise ImproperlyConfigured("TILANNEKUVA_PROFILE must be 'demo' or 'production'")
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be on in the production profile (it shows settings and code to anyone)")
DEMO_SECRET_KEY = "demo-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the production profile")
    SECRET_KEY = DEMO_SECRET_KEY
elif PRODUCTION and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY == DEMO_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
):
    # The rule of Django's own check (security.W009), as an error: a short, repetitive or published key lets anyone
    # forge sessions, password-reset links and the private links of grant applications.
    raise ImproperlyConfigured(
        "SECRET_KEY is weak or known: the production profile needs 50 or more random characters, e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

if PRODUCTION and not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the production profile (e.g. tilannekuva.example.fi)")
if PRODUCTION and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in the production profile (postgres://...)")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "tilannekuva.core",
    "tilannekuva.accounts",
    "tilannekuva.regions",
    "tilannekuva.strategy",
    "tilannekuva.databank",
    "tilannekuva.inequality",
    "tilannekuva.dashboard",
    "tilannekuva.audit",
    "tilannekuva.followup",
    "tilannekuva.cooperation",
    "tilannekuva.surveys",
    "tilannekuva.funding",
    "tilannekuva.grants",
    "tilannekuva.statements",
    "tilannekuva.projects",
    "tilannekuva.discussion",
    "tilannekuva.calendars",
    "tilannekuva.reports",
    "tilannekuva.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A body over MAX_REQUEST_MB is refused (413) before anything reads it.
    "tilannekuva.core.middleware.RequestSizeLimitMiddleware",
    # A NUL byte in the address or query is 400 before any view or cache sees it.
    "tilannekuva.core.middleware.NulByteMiddleware",
    # Before sessions and CSRF: kept dashboard pages for anonymous visitors are answered from here.
    "tilannekuva.dashboard.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tilannekuva.core.middleware.FinnishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Downloads that do not say how they may be cached get `no-store`; pages of a signed-in user `private`.
    "tilannekuva.core.middleware.PrivateDownloadMiddleware",
    "tilannekuva.audit.middleware.CurrentUserMiddleware",
    # Pages of a region that is not public answer 404 to anyone without a role in it.
    "tilannekuva.regions.middleware.InternalRegionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A view that refuses an anonymous visitor (regions.access.refuse) sends them to log in.
    "tilannekuva.core.middleware.LoginRedirectMiddleware",
]

ROOT_URLCONF = "tilannekuva.urls"
WSGI_APPLICATION = "tilannekuva.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A persistent connection is checked before its first use in a request and opened again if the server
        # closed it (a PostgreSQL restart while the site was idle): otherwise each worker's next request fails
        # with a 500 (`python -m bench surveys-restart`).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "followup:landing"  # an editor or coordinator lands on their tasks
LOGOUT_REDIRECT_URL = "portal:home"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Evidence files of the follow-up (council minutes, plans): the largest accepted, in megabytes.
FOLLOWUP_MAX_UPLOAD_MB = int(os.environ.get("FOLLOWUP_MAX_UPLOAD_MB", "10"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Each server process keeps its own cache; the dashboard's generation counter (in the database) expires the
# entries of every process together.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
# REDIS_URL (redis://host:6379/0) adds a cache every server shares, "shared", for the limits (RATE_LIMIT_CACHE);
# it needs the `redis` package installed beside the product.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security: cookies are secure unless the demo runs over plain http on localhost.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# The health check of a load balancer may come over plain http from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))

# Sign-in throttling (tilannekuva.accounts.throttle): after LOGIN_FAILURE_LIMIT wrong passwords in a row for one
# username from one address, that pair is refused for LOGIN_LOCKOUT_SECONDS; the same address trying many
# usernames is refused after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures. Other people can still sign in.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "50"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
# Behind a reverse proxy every visitor comes from the proxy's address: name the header in which the proxy
# passes the visitor's own address (e.g. X-Real-IP). Empty: REMOTE_ADDR. Only set it behind such a proxy.
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "")

# Open data API (tilannekuva.reports): requests per minute from one client address (the address as above);
# over it the API answers 429 with Retry-After. 0 turns the limit off. Counted in the store every server process
# shares (tilannekuva.core.limits), like the form limits below.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))
# Public forms, per client address and hour (0 turns a limit off; over it: 429 with Retry-After): answers through
# a survey's open link, per address and per link; grant applications accepted per address, and the megabytes of
# grant application requests (attachments; forms returned with errors count too) per address.
SURVEY_OPEN_ANSWERS_PER_ADDRESS = int(os.environ.get("SURVEY_OPEN_ANSWERS_PER_ADDRESS", "5"))
SURVEY_OPEN_ANSWERS_PER_LINK = int(os.environ.get("SURVEY_OPEN_ANSWERS_PER_LINK", "300"))
GRANT_APPLICATIONS_PER_ADDRESS = int(os.environ.get("GRANT_APPLICATIONS_PER_ADDRESS", "3"))
GRANT_UPLOAD_MB_PER_ADDRESS = int(os.environ.get("GRANT_UPLOAD_MB_PER_ADDRESS", "40"))
# The store of those limits: empty for the database (the default), or the name of a cache in CACHES that every
# server shares (REDIS_URL above adds one, "shared", and makes it the default).
RATE_LIMIT_CACHE = os.environ.get("RATE_LIMIT_CACHE", "shared" if REDIS_URL else "")

# The largest request body of any kind (several attachments of a grant application together): larger is 413.
MAX_REQUEST_MB = int(os.environ.get("MAX_REQUEST_MB", "50"))
# The data bank's file import: the largest file read; an XLSX workbook is a zip archive, so its uncompressed
# size and compression ratio are checked before it is opened (a "zip bomb" is refused).
IMPORT_MAX_FILE_MB = int(os.environ.get("IMPORT_MAX_FILE_MB", "50"))
XLSX_MAX_UNCOMPRESSED_MB = int(os.environ.get("XLSX_MAX_UNCOMPRESSED_MB", "200"))
XLSX_MAX_RATIO = int(os.environ.get("XLSX_MAX_RATIO", "100"))

# Outside services (the data bank's sources, the OpenID Connect provider) are asked through the one HTTP client,
# tilannekuva.core.http, which names the product and the operator's contact (HTTP_CONTACT: an e-mail address or a
# web address where the services' maintainers reach whoever runs this installation) with this User-Agent.
HTTP_CONTACT = os.environ.get("HTTP_CONTACT", "").strip()
HTTP_USER_AGENT = "Tilannekuva/0.1 (open-source regional strategy platform{})".format(
    f"; +{HTTP_CONTACT}" if HTTP_CONTACT else "; operator contact not set: HTTP_CONTACT"
)

# Background jobs of every kind (tilannekuva.core.jobs: imports, report builds): a job whose worker stopped sending
# its heartbeat for IMPORT_STALE_SECONDS (or whose process is gone) is run again, up to IMPORT_MAX_ATTEMPTS times
# in all (the names are older than the other kinds of job).
IMPORT_STALE_SECONDS = int(os.environ.get("IMPORT_STALE_SECONDS", "120"))
IMPORT_MAX_ATTEMPTS = int(os.environ.get("IMPORT_MAX_ATTEMPTS", "3"))

# Content Security Policy: no inline scripts, no outside hosts (the product runs in a closed network).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Vega sets style attributes on the SVG it draws; attributes cannot load or run anything.
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Sign-in (tilannekuva.accounts): the optional second factor and the optional OpenID Connect single sign-on
# for a municipality's own identity provider. OIDC is on only when a client and either the issuer (discovery
# from {OIDC_ISSUER}/.well-known/openid-configuration) or all three endpoints are set; secrets come from the
# environment only.
REQUIRE_TWO_FACTOR_FOR_ADMINS = env_bool("REQUIRE_TWO_FACTOR_FOR_ADMINS", default=False)
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_JWKS_URI = os.environ.get("OIDC_JWKS_URI", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", default=False)
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tilannekuva@localhost")

# LOG_FORMAT=json writes one JSON object a line (for journald, Loki, Elasticsearch); "plain" is for people.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tilannekuva.core.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Production serves what collectstatic gathered through WhiteNoise; the demo's runserver --insecure serves
# static files straight from the apps.
if PRODUCTION:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
