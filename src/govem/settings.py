"""Govem settings: every value comes from the environment, parsed strictly.

Variables (all optional for development):

- ``GOVEM_DATA_DIR``: where the SQLite database, the generated secret key, uploads and
  backups live (default ``./var``).
- ``DATABASE_URL``: e.g. ``postgres://user@host/db``; default SQLite in the data dir (WAL).
- ``DATABASE_REPLICA_URL``: optional streaming replica of that PostgreSQL for heavy reads.
- ``GOVEM_FILE_STORAGE``: ``local`` (data dir, the SQLite default) or ``database`` (the
  PostgreSQL default: every node reaches the files).
- ``SECRET_KEY``: required in production; generated into the data dir otherwise.
- ``GOVEM_PRODUCTION``: ``1`` refuses to start with ``DEBUG`` on or without ``SECRET_KEY``.
- ``GOVEM_SITE_URL``: the address employees open (``https://presensi.example.go.id``), the
  base of every link in a message; required in production.
- ``GOVEM_HSTS_SECONDS``: HSTS max-age sent in production over HTTPS (default one year; ``0``
  turns it off), ``GOVEM_HSTS_INCLUDE_SUBDOMAINS``, ``GOVEM_HSTS_PRELOAD``.
- ``DEBUG``, ``ALLOWED_HOSTS`` (comma separated), ``CSRF_TRUSTED_ORIGINS``, ``TIME_ZONE``,
  ``LANGUAGE_CODE`` and the ``GOVEM_*`` attendance policy values below.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
from datetime import date as _date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import csp.constants as _csp
import dj_database_url
import xstatic.pkg.leaflet as _xstatic_leaflet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_number(name: str, default: float, *, minimum: float = 0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from exc
    if not math.isfinite(value) or value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be a finite number >= {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


PRODUCTION = env_bool("GOVEM_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)

DATA_DIR = Path(env_str("GOVEM_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    from_env = os.environ.get("SECRET_KEY", "").strip()
    if from_env:
        return from_env
    if PRODUCTION:
        raise ImproperlyConfigured("GOVEM_PRODUCTION=1 requires SECRET_KEY in the environment")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Several server processes may start at once on a fresh data dir: write the key
        # completely under a private name, then link it into place; whoever links first wins
        # and everyone reads that one key (never a half-written or a second key).
        draft = DATA_DIR / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(draft, key_file)
        finally:
            draft.unlink(missing_ok=True)
    return key_file.read_text().strip()


if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("GOVEM_PRODUCTION=1 refuses to start with DEBUG on")

SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["*"])


def _site_url() -> str:
    raw = env_str("GOVEM_SITE_URL", "")
    if not raw:
        if PRODUCTION:
            raise ImproperlyConfigured(
                "GOVEM_PRODUCTION=1 requires GOVEM_SITE_URL (e.g. https://presensi.example.go.id):"
                " every link in a message is built on it"
            )
        return "http://127.0.0.1:8000"
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"GOVEM_SITE_URL={raw!r} must be an absolute http(s) URL without query or fragment"
        )
    return raw.rstrip("/")


SITE_URL = _site_url()
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # Swagger UI served from django-ninja's own static files (no CDN)
    "bootstrap",  # django-bootstrap-static: /static/bootstrap/css/bootstrap.min.css
    "axes",
    "govem.accounts",
    "govem.people",
    "govem.schedules",
    "govem.attendance",
    "govem.absences",
    "govem.operations",
    "govem.helpdesk",
    "govem.monitor",
    "govem.notify",
    "govem.reports",
    "govem.files",
    "govem.payroll",
    "govem.innovation",
    "govem.events",
]

MIDDLEWARE = [
    "govem.replica.ReadYourWritesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session and message middleware and django-csp's, without their per-request
    # work where nobody uses it (govem.middleware: the same answers).
    "govem.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govem.inputs.InputGuardMiddleware",
    "govem.accounts.middleware.AuditActorMiddleware",
    "govem.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "govem.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govem.urls"
WSGI_APPLICATION = "govem.wsgi.application"

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
                "govem.accounts.context.govem_context",
            ],
        },
    },
]


def _database(variable: str = "DATABASE_URL") -> dict[str, object]:
    url = os.environ.get(variable, "").strip()
    if not url:
        url = f"sqlite:///{DATA_DIR / 'govem.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    engine = str(config["ENGINE"])
    if engine.endswith("sqlite3"):
        # WAL lets readers run beside the writer; synchronous=FULL makes every commit
        # durable before the receipt is shown; IMMEDIATE avoids lock upgrade deadlocks.
        # govem.db.sqlite3: Django's backend with a kernel-kept queue of writers in front of
        # SQLite's sleeping busy handler (see its docstring).
        config["ENGINE"] = "govem.db.sqlite3"
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        # Tests run on a file too, as deployed: the in-memory database's shared cache refuses
        # a second writer at once ("table is locked") where WAL waits for the busy timeout.
        config["TEST"] = {"NAME": str(DATA_DIR / "test_govem.sqlite3")}
    elif "postgresql" in engine:
        # govem.db.postgresql: Django's backend with a health check that sends nothing.
        config["ENGINE"] = "govem.db.postgresql"
        options: dict[str, object] = {"options": "-c synchronous_commit=on"}
        config["OPTIONS"] = options
        # The check-in's prebuilt statements run prepared (govem.db.hot): psycopg prepares
        # only what is asked for explicitly at this threshold; Django's own queries stay
        # client-bound and unprepared. GOVEM_DB_PREPARE=0 behind a pooler that drops them.
        if env_bool("GOVEM_DB_PREPARE", True):
            options["prepare_threshold"] = 1_000_000_000
    # Persistent connections (both databases): connecting and the PRAGMAs above happen once
    # per connection, not once per request; a health check replaces a broken one.
    config["CONN_MAX_AGE"] = int(env_number("GOVEM_DB_CONN_MAX_AGE", 60))
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    # A streaming replica of the primary for heavy reads (govem.replica); tests point it at
    # the test database (it is then the primary itself, which the router never uses).
    if "postgresql" not in str(DATABASES["default"]["ENGINE"]):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL")
    _replica = _database("DATABASE_REPLICA_URL")
    if "postgresql" not in str(_replica["ENGINE"]):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL")
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["govem.replica.ReplicaRouter"]
# Above this lag the replica is not used: heavy reads go back to the primary.
GOVEM_REPLICA_MAX_LAG_S = env_number("GOVEM_REPLICA_MAX_LAG_SECONDS", 10)


def _file_storage() -> str:
    """Where stored files live: ``local`` (the data dir) or ``database`` (every node)."""
    raw = env_str("GOVEM_FILE_STORAGE", "").lower()
    postgres = "postgresql" in str(DATABASES["default"]["ENGINE"])
    if not raw:
        return "database" if postgres else "local"
    if raw not in {"local", "database"}:
        raise ImproperlyConfigured("GOVEM_FILE_STORAGE must be 'local' or 'database'")
    if raw == "database" and not postgres:
        # One SQLite machine keeps its files beside its database file; a copy of the SQLite
        # file would carry the stored backups into every next backup.
        raise ImproperlyConfigured("GOVEM_FILE_STORAGE=database needs PostgreSQL (DATABASE_URL)")
    return raw


FILE_STORAGE = _file_storage()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `govem collectstatic` writes each file with a gzip (and, with brotli installed, a br)
    # copy beside it; whitenoise sends the compressed one to browsers that accept it.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Every file Govem keeps: attachments, screenshots, answers, report drafts, uploaded
    # import files, backups (govem.files.storage).
    "govem": {
        "BACKEND": "govem.files.storage.DatabaseStorage"
        if FILE_STORAGE == "database"
        else "govem.files.storage.PrivateFileStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "id")
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The shell's own assets, and Leaflet from the xstatic-leaflet package under /static/leaflet/.
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", _xstatic_leaflet.BASE_DIR)]
MEDIA_ROOT = DATA_DIR / "media"
# Serve the collected, compressed files once `govem collectstatic` has run (make run and
# docs/deployment.md do), else straight from the packages (a fresh checkout, DEBUG, tests).
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "govem" / "govem.css").is_file()
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/masuk/"
LOGIN_REDIRECT_URL = "/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    # nginx terminates TLS and says so; Django then treats the request as secure, which is
    # when SecurityMiddleware sends HSTS (never over plain HTTP).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env_number("GOVEM_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GOVEM_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("GOVEM_HSTS_PRELOAD", False)
# `govem check --deploy` (run by `make test` with docs/deployment.md's environment) fails on
# any warning but these, each a decision rather than an omission:
# - W008 (SECURE_SSL_REDIRECT): nginx redirects HTTP to HTTPS (certbot --redirect); Django
#   redirecting too would send the plain-HTTP /healthz probes on 127.0.0.1 to https://.
# - W005 (HSTS includeSubDomains) and W021 (HSTS preload): both bind every subdomain of the
#   regency's domain (preload for months, in every browser), which only the regency's network
#   team may decide; they stay opt-in (GOVEM_HSTS_INCLUDE_SUBDOMAINS, GOVEM_HSTS_PRELOAD).
SILENCED_SYSTEM_CHECKS = ["security.W008", "security.W005", "security.W021"]

# Lockout (django-axes, stored in the database so every server process sees it): a
# NIP is locked after N failures from anywhere, an IP after N failures on any NIP.
AXES_FAILURE_LIMIT = int(env_number("GOVEM_LOGIN_FAILURE_LIMIT", 5, minimum=1))
AXES_COOLOFF_TIME = env_number("GOVEM_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "govem.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "govem.accounts.ip.client_ip"
# Behind nginx: how many proxies append to X-Forwarded-For (0 = trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = int(env_number("GOVEM_TRUSTED_PROXY_COUNT", 0))
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GOVEM_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Attendance policy (DESIGN §3). Distances in metres, times in seconds.
GOVEM: dict[str, Any] = {  # mixed values: read with their own types
    "ACCURACY_CAP_M": env_number("GOVEM_ACCURACY_CAP_M", 50),
    "ACCURACY_MAX_M": env_number("GOVEM_ACCURACY_MAX_M", 100),
    "CLOCK_SKEW_S": env_number("GOVEM_CLOCK_SKEW_SECONDS", 300),
    "MOCK_LOCATION_POLICY": env_str("GOVEM_MOCK_LOCATION_POLICY", "reject"),
    "TOKEN_TTL_DAYS": env_number("GOVEM_TOKEN_TTL_DAYS", 30, minimum=1),
    # Seconds between a server process's loads, ahead of the punches, of the units' punch
    # contexts that a change or the new day made stale (govem.attendance.context); 0: off.
    "CONTEXT_REFRESH_S": env_number("GOVEM_CONTEXT_REFRESH_S", 30),
    "MAP_TILE_URL": env_str("GOVEM_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "MAP_ATTRIBUTION": env_str("GOVEM_MAP_ATTRIBUTION", "© OpenStreetMap"),
    "REGENCY_NAME": env_str("GOVEM_REGENCY_NAME", "PEMERINTAH KABUPATEN TAPIN"),
    # The kop of printed reports: the office that signs them.
    "OFFICE_NAME": env_str("GOVEM_OFFICE_NAME", "DINAS KOMUNIKASI DAN INFORMATIKA"),
    "OFFICE_ADDRESS": env_str(
        "GOVEM_OFFICE_ADDRESS", "Rantau, Kabupaten Tapin, Kalimantan Selatan"
    ),
    "REPORT_CITY": env_str("GOVEM_REPORT_CITY", "Rantau"),
    "TICKET_SCREENSHOT_MAX_BYTES": int(
        env_number("GOVEM_TICKET_SCREENSHOT_MAX_MB", 5, minimum=0.01) * 1024 * 1024
    ),
}


def _tile_origin(url: str) -> str | None:
    """The map tiles' origin for img-src (``{s}`` subdomains become ``*``); None when off."""
    parts = urlsplit(url.replace("{s}", "tiles-subdomain"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('tiles-subdomain', '*')}"


# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and requests
# from Govem's own origin only; no inline script or style anywhere (templates link static
# files; data reaches scripts through json_script / data- attributes). Images also from the
# map tile server and data: (Bootstrap's form icons).
_TILES = _tile_origin(GOVEM["MAP_TILE_URL"])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_csp.SELF],
        "script-src": [_csp.SELF],
        "style-src": [_csp.SELF],
        "img-src": [_csp.SELF, "data:", *([_TILES] if _TILES else [])],
        "font-src": [_csp.SELF],
        "connect-src": [_csp.SELF],
        "worker-src": [_csp.SELF],
        "manifest-src": [_csp.SELF],
        "object-src": [_csp.NONE],
        "base-uri": [_csp.SELF],
        "form-action": [_csp.SELF],
        "frame-ancestors": [_csp.NONE],
    },
}

# First passwords and resets (govem.accounts.onetime).
GOVEM_ACCOUNTS: dict[str, Any] = {
    "ACTIVATION_CODE_DAYS": env_number("GOVEM_ACTIVATION_CODE_DAYS", 14, minimum=1),
    "RESET_CODE_MINUTES": env_number("GOVEM_RESET_CODE_MINUTES", 15, minimum=1),
}


def _env_date(name: str) -> _date | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return _date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a date (use YYYY-MM-DD)") from exc


# Go-live: no TK, PSW4, TL4, deduction, case or reminder before this date (YYYY-MM-DD).
# Empty: the date of this database's first migration, stored once (govem.operations.golive).
GOVEM_COUNTING_STARTS = _env_date("GOVEM_COUNTING_STARTS")

if GOVEM["MOCK_LOCATION_POLICY"] not in {"reject", "flag"}:
    raise ImproperlyConfigured("GOVEM_MOCK_LOCATION_POLICY must be 'reject' or 'flag'")

# Notifications (govem.notify). Email through Django's SMTP backend; an empty EMAIL_HOST
# means the email channel is off. See docs/deployment.md, "Notifikasi".
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = int(env_number("EMAIL_PORT", 587, minimum=1))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env_number("EMAIL_TIMEOUT", 20, minimum=1))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Govem <govem@localhost>")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive")


def _json_template(name: str, default: str) -> str:
    raw = env_str(name, default)
    try:
        json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from exc
    return raw


GOVEM_NOTIFY: dict[str, Any] = {
    # Channels tried in this order; a reminder goes to the first one that reaches the employee.
    "CHANNELS": env_list("GOVEM_NOTIFY_CHANNELS", ["webpush", "telegram", "whatsapp", "email"]),
    "REMINDERS": env_bool("GOVEM_REMINDERS", True),
    "LATE_NUDGE_MINUTES": env_number("GOVEM_LATE_NUDGE_MINUTES", 15),
    "CHECKOUT_REMINDER_MINUTES": env_number("GOVEM_CHECKOUT_REMINDER_MINUTES", 0),
    "MAX_ATTEMPTS": int(env_number("GOVEM_NOTIFY_MAX_ATTEMPTS", 5, minimum=1)),
    "BACKOFF_MINUTES": env_number("GOVEM_NOTIFY_BACKOFF_MINUTES", 1, minimum=0),
    "BACKOFF_FACTOR": env_number("GOVEM_NOTIFY_BACKOFF_FACTOR", 5, minimum=1),
    "SENDING_TIMEOUT_S": env_number("GOVEM_NOTIFY_SENDING_TIMEOUT_SECONDS", 300, minimum=10),
    "HTTP_TIMEOUT_S": env_number("GOVEM_NOTIFY_HTTP_TIMEOUT_SECONDS", 10, minimum=1),
    "CONCURRENCY": int(env_number("GOVEM_NOTIFY_CONCURRENCY", 4, minimum=1)),
    "WHATSAPP_URL": env_str("GOVEM_WHATSAPP_URL", ""),
    "WHATSAPP_TOKEN": os.environ.get("GOVEM_WHATSAPP_TOKEN", "").strip(),
    "WHATSAPP_BODY": _json_template(
        "GOVEM_WHATSAPP_BODY", '{"target": "{phone}", "message": "{message}"}'
    ),
    "WHATSAPP_AUTH": env_str("GOVEM_WHATSAPP_AUTH", "{token}"),
    "WHATSAPP_SUCCESS": env_str("GOVEM_WHATSAPP_SUCCESS", ""),
    "TELEGRAM_URL": env_str("GOVEM_TELEGRAM_URL", ""),
    "TELEGRAM_TOKEN": os.environ.get("GOVEM_TELEGRAM_TOKEN", "").strip(),
    "TELEGRAM_BODY": _json_template(
        "GOVEM_TELEGRAM_BODY", '{"chat_id": "{chat_id}", "text": "{message}"}'
    ),
    "TELEGRAM_AUTH": env_str("GOVEM_TELEGRAM_AUTH", ""),
    "TELEGRAM_SUCCESS": env_str("GOVEM_TELEGRAM_SUCCESS", ""),
    "VAPID_SUBJECT": env_str("GOVEM_VAPID_SUBJECT", ""),
}
