"""Ponti settings: one module, driven by environment variables.

Defaults are for a newcomer's laptop (SQLite under var/); with PONTI_DEBUG off they
are production-safe, so `ponti check --deploy` is quiet once the production variables
(PONTI_SECRET_KEY, PONTI_ALLOWED_HOSTS) are set.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("PONTI_DEBUG", False)
VAR_DIR = Path(env("PONTI_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env("PONTI_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("PONTI_ALLOW_INSECURE_KEY"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "PONTI_SECRET_KEY is required when PONTI_DEBUG is off "
            "(set PONTI_DEBUG=1 for development)."
        )
    SECRET_KEY = "insecure-development-key-only-for-PONTI_DEBUG-" + "x" * 20  # noqa: S105

ALLOWED_HOSTS = env_list("PONTI_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("PONTI_CSRF_TRUSTED_ORIGINS")

# The authority that runs this instance, shown in the header.
PONTI_AUTHORITY_NAME = env("PONTI_AUTHORITY_NAME", "Città Metropolitana di Firenze")
PONTI_AUTHORITY_URL = env("PONTI_AUTHORITY_URL", "https://www.cittametropolitana.fi.it/")
PONTI_CONTACT_EMAIL = env(
    "PONTI_CONTACT_EMAIL", "relazioni.internazionali@cittametropolitana.fi.it"
)
PONTI_PAGE_SIZE = env_int("PONTI_PAGE_SIZE", 25)
PONTI_MAX_UPLOAD_MB = env_int("PONTI_MAX_UPLOAD_MB", 20)
# Imports (ponti.core.importing): a file read by `ponti import` may be larger than an upload;
# more rows than this are refused before any is checked; a run silent this long was stopped.
PONTI_IMPORT_MAX_MB = env_int("PONTI_IMPORT_MAX_MB", 50)
PONTI_IMPORT_MAX_ROWS = env_int("PONTI_IMPORT_MAX_ROWS", 200_000)
PONTI_IMPORT_STALL_SECONDS = env_int("PONTI_IMPORT_STALL_SECONDS", 120)
# The files an ente may store in all (its agreements' documents…); 0 means no quota.
PONTI_ENTE_QUOTA_MB = env_int("PONTI_ENTE_QUOTA_MB", 1024)
# The site's own address, for links in e-mails (never taken from a request's Host header).
PONTI_BASE_URL = env(
    "PONTI_BASE_URL", f"http://127.0.0.1:{env('PONTI_PORT', '8000')}" if DEBUG else ""
)

INSTALLED_APPS = [
    "ponti.core.admin_site.PontiAdminConfig",  # Django's admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",  # django-csp: its system checks refuse the pre-4.0 settings format
    "django_tasks",
    "django_tasks_db",
    "bootstrap_italia_template",
    "ninja",  # serves the API docs' Swagger UI from local static files, not a CDN
    "ponti.core",
    "ponti.accounts",
    "ponti.partners",
    "ponti.agreements",
    "ponti.networks",
    "ponti.meetings",
    "ponti.planning",
    "ponti.opportunities",
    "ponti.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ponti.core.middleware.ContentSecurityPolicyMiddleware",
    "ponti.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ponti.core.middleware.ItalianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ponti.core.audit.AuditActorMiddleware",
]

ROOT_URLCONF = "ponti.urls"
WSGI_APPLICATION = "ponti.wsgi.application"
ASGI_APPLICATION = "ponti.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ponti.core.context_processors.ponti",
                "ponti.core.context_processors.csp",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL -------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("PONTI_SQLITE_PATH", str(VAR_DIR / "ponti.sqlite3")),
            "OPTIONS": {
                # WAL lets the web server and the worker read while one writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "reports:home"

AUTHENTICATION_BACKENDS = [
    # First: a locked-out account is refused before its password is even checked.
    "ponti.accounts.lockout.LockoutBackend",
    "ponti.core.backends.PasswordBackend",
    # Permissions: the user's role in each ente (groups and per-user permissions are not used).
    "ponti.core.backends.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failed logins, per account, with a growing delay (accounts/lockout.py).
PONTI_LOCKOUT_ENABLED = env_bool("PONTI_LOCKOUT_ENABLED", True)
PONTI_LOCKOUT_FAILURES = env_int("PONTI_LOCKOUT_FAILURES", 5)
PONTI_LOCKOUT_MINUTES = env_int("PONTI_LOCKOUT_MINUTES", 15)

# --- Single sign-on (OpenID Connect) ---------------------------------------------------------
# mozilla-django-oidc with Ponti's backend (accounts/oidc.py), on only when PONTI_OIDC_CLIENT_ID
# and either PONTI_OIDC_ISSUER (endpoints found by discovery) or the explicit endpoints are set;
# without them nothing changes. Local login always stays. Half a configuration is an error.
PONTI_OIDC_ISSUER = env("PONTI_OIDC_ISSUER").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("PONTI_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("PONTI_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("PONTI_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("PONTI_OIDC_JWKS_ENDPOINT")
PONTI_OIDC_END_SESSION_ENDPOINT = env("PONTI_OIDC_END_SESSION_ENDPOINT")
OIDC_RP_CLIENT_ID = env("PONTI_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("PONTI_OIDC_CLIENT_SECRET")
_oidc_endpoints = (
    OIDC_OP_AUTHORIZATION_ENDPOINT,
    OIDC_OP_TOKEN_ENDPOINT,
    OIDC_OP_USER_ENDPOINT,
    OIDC_OP_JWKS_ENDPOINT,
)
PONTI_OIDC_ENABLED = bool(
    OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET and (PONTI_OIDC_ISSUER or all(_oidc_endpoints))
)
if not PONTI_OIDC_ENABLED and (
    PONTI_OIDC_ISSUER or OIDC_RP_CLIENT_ID or OIDC_RP_CLIENT_SECRET or any(_oidc_endpoints)
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Single sign-on needs PONTI_OIDC_CLIENT_ID, PONTI_OIDC_CLIENT_SECRET and either "
        "PONTI_OIDC_ISSUER or all four of PONTI_OIDC_AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT, "
        "_USERINFO_ENDPOINT and _JWKS_ENDPOINT."
    )
OIDC_RP_SCOPES = env("PONTI_OIDC_SCOPES", "openid email profile")
# Fixed: ID tokens signed with the provider's keys (its JWKS), PKCE and a nonce on every login.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_ALLOW_UNSECURED_JWT = False
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the logout at the provider
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("PONTI_OIDC_BASIC_AUTH", False)
OIDC_TIMEOUT = env_int("PONTI_OIDC_TIMEOUT", 10)
OIDC_CREATE_USER = env_bool("PONTI_OIDC_CREATE_USERS", True)
# The claim that gives a user's places, e.g. ["cm-firenze:ufficio", "prato:revisore:interno"]
# ("" to ignore places from the provider); "authoritative" replaces the places at each login,
# "additive" only adds and updates them.
PONTI_OIDC_ROLES_CLAIM = env("PONTI_OIDC_ROLES_CLAIM", "ponti_roles")
PONTI_OIDC_ROLES_MODE = env("PONTI_OIDC_ROLES_MODE", "authoritative")
if PONTI_OIDC_ROLES_MODE not in {"authoritative", "additive"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PONTI_OIDC_ROLES_MODE is either authoritative or additive.")
PONTI_OIDC_USERNAME_CLAIM = env("PONTI_OIDC_USERNAME_CLAIM", "preferred_username")
# Link a first login to an existing local user with the same e-mail: only if the provider's
# e-mails are verified, and never a superuser.
PONTI_OIDC_LINK_BY_EMAIL = env_bool("PONTI_OIDC_LINK_BY_EMAIL", False)
PONTI_OIDC_LOGIN_LABEL = env("PONTI_OIDC_LOGIN_LABEL")
PONTI_OIDC_LOGOUT_AT_PROVIDER = env_bool("PONTI_OIDC_LOGOUT_AT_PROVIDER", True)
if PONTI_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(-1, "ponti.accounts.oidc.OIDCBackend")

# --- Internationalisation: Italian first, English second ----------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "ponti_language"

# --- Static and uploaded files -------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("PONTI_STATIC_ROOT", str(VAR_DIR / "static")))
# Uploaded files never live under the web root: they are served by views that check
# permissions. In a cluster, point PONTI_MEDIA_ROOT at storage shared by every app server.
MEDIA_ROOT = Path(env("PONTI_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "ponti.core.storage.LenientManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "PONTI_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("PONTI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PONTI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("PONTI_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("PONTI_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("PONTI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env("PONTI_EMAIL_FROM", "ponti@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work -------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("PONTI_TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend"),
    }
}

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("PONTI_SESSION_SECONDS", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("PONTI_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("PONTI_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("PONTI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("PONTI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PONTI_HSTS_PRELOAD", True)
    # Behind a load balancer that terminates TLS.
    if env_bool("PONTI_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Load balancers probe /healthz over plain HTTP, straight to the app server: answer them there,
# not with a redirect to HTTPS (the answer carries no data worth protecting).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content-Security-Policy and Permissions-Policy ------------------------------------------
# Scripts: only Ponti's own files, inline ones only with the request's nonce
# (`nonce="{{ csp_nonce }}"`); the theme's two fixed inline scripts are allowed by their hashes,
# added by ponti.core.middleware. No 'unsafe-inline', no 'unsafe-eval' (htmx is told not to
# eval, see base.html).
# Styles: only stylesheets from Ponti's origin. No inline style attribute or <style> block in
# any page; the theme's font loader (which would inject a <style>) is replaced by a stylesheet
# (ponti/static/ponti/fonts.css). The standalone HTML of a DUP sheet allows its own <style>
# by hash (ponti.core.csp.allow_inline_styles).
# Images: 'self' and data: because Bootstrap Italia's CSS draws its form icons (select arrows,
# check marks, validation marks) as data: SVG backgrounds.
# Fonts: 'self' and data: because Bootstrap Italia's CSS embeds video.js's icon font as a data:
# URL, and Chromium decodes a data: font as soon as the stylesheet is parsed, used or not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features Ponti never asks for, off for every page and anything it might embed.
PONTI_PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# --- end of Content-Security-Policy and Permissions-Policy -----------------------------------

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("PONTI_MAX_REQUEST_BYTES", 2_621_440)
# A file over PONTI_MAX_UPLOAD_MB is dropped while it arrives, never kept in memory or on disk.
FILE_UPLOAD_HANDLERS = [
    "ponti.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("PONTI_LOG_LEVEL", "INFO")},
}
