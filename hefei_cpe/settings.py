"""The one settings module, driven by environment variables.

Development defaults are safe to run on a laptop (SQLite file, DEBUG on, development keys).
With DEBUG off every secret must come from the environment, or start-up fails loudly.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import CSV, XLSX

from hefei_cpe.env import env_bool, env_int, env_list, env_str
from hefei_cpe.secrets import check_pii_keys

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-secret-key-hefei-cpe-change-me"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", None) or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Resident ID numbers: encrypted at rest with PII_ENCRYPTION_KEYS (comma-separated Fernet keys,
# the first encrypts, all decrypt, so keys can be rotated), looked up by an HMAC keyed with
# PII_HASH_KEY. Both must come from the environment when DEBUG is off.
_DEV_PII_ENCRYPTION_KEY = "ZGV2LW9ubHktcGlpLWtleS1oZWZlaS1jcGUtMzJieXQ="
_DEV_PII_HASH_KEY = "dev-only-pii-hash-key"
PII_ENCRYPTION_KEYS = env_list("PII_ENCRYPTION_KEYS", [])
PII_HASH_KEY = env_str("PII_HASH_KEY", None) or ""
if not PII_ENCRYPTION_KEYS or not PII_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PII_ENCRYPTION_KEYS and PII_HASH_KEY must be set when DEBUG is off."
        )
    PII_ENCRYPTION_KEYS = PII_ENCRYPTION_KEYS or [_DEV_PII_ENCRYPTION_KEY]
    PII_HASH_KEY = PII_HASH_KEY or _DEV_PII_HASH_KEY
# --- Security (issue 12): start-up checks of the PII secrets ------------------------------
# Malformed keys would otherwise surface as a 500 on the first encryption; the committed
# development keys and a guessable hash key must never reach production.
check_pii_keys(
    encryption_keys=PII_ENCRYPTION_KEYS,
    hash_key=PII_HASH_KEY,
    development_keys={_DEV_PII_ENCRYPTION_KEY, _DEV_PII_HASH_KEY},
    debug=DEBUG,
)
# --- end of security block --------------------------------------------------------------

INSTALLED_APPS = [
    "hefei_cpe.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "apps.accounts.axes_labels.PortalAxesConfig",
    "apps.accounts",
    "apps.people",
    "apps.bases",
    "apps.credits",
    "apps.filings",
    "apps.publiccourse",
    "apps.verification",
    "apps.portal",
]
# The demo city (`manage.py load_demo`, with its known password) exists only where asked for:
# by default in development, never in production unless DEMO=1 (a staging site, say).
DEMO = env_bool("DEMO", default=DEBUG)
if DEMO:
    INSTALLED_APPS.append("apps.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hefei_cpe.middleware.PrivacyHeadersMiddleware",  # issue 12: no-store, Permissions-Policy
    "hefei_cpe.middleware.DatabaseUnavailableMiddleware",  # issue 12: a readable page, not a 500
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "apps.accounts.access.RoleAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hefei_cpe.urls"
WSGI_APPLICATION = "hefei_cpe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.portal.context_processors.navigation",
            ],
        },
    },
]

# SQLite file under the project when DATABASE_URL is unset; PostgreSQL (or anything
# dj-database-url understands) when set. A malformed URL raises at start-up.
_DATABASE_URL = env_str("DATABASE_URL", None)
if _DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "db.sqlite3")}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.PortalBackend",
]
# Our own validators (apps/accounts/passwords.py): Chinese messages, and a password may not
# resemble the ID number (a trainee's login) or the login name (issue 12).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "apps.accounts.passwords.PersonalDataSimilarityValidator"},
    {"NAME": "apps.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "apps.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "apps.accounts.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Repeated failed logins lock the account (not the whole office's IP) for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking by IP as well would lock a whole district office behind one NAT address after a
# few typos; the lock is on the account, as the design asks.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "apps.accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# The login name of a trainee is their resident ID number: never keep it in attempt logs.
AXES_SENSITIVE_PARAMETERS = ["username"]

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Offices exchange Excel sheets (and CSV); nothing else.
IMPORT_FORMATS = [XLSX, CSV]
EXPORT_FORMATS = [XLSX, CSV]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Public-course exam results from the provincial platform (apps.publiccourse): one upload.
PUBLIC_COURSE_IMPORT_MAX_BYTES = env_int("PUBLIC_COURSE_IMPORT_MAX_MB", 10, minimum=1) * 1024 * 1024
PUBLIC_COURSE_IMPORT_MAX_ROWS = env_int("PUBLIC_COURSE_IMPORT_MAX_ROWS", 20_000, minimum=1)
# --- Verification (apps.verification) ---------------------------------------------------
# The address printed in verification QR codes, e.g. https://jxjy.hefei.gov.cn. Unset: the
# address the issuing officer is using (request.build_absolute_uri). Once printed it stays.
PUBLIC_BASE_URL = (env_str("PUBLIC_BASE_URL", None) or "").rstrip("/")
if PUBLIC_BASE_URL and not PUBLIC_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("PUBLIC_BASE_URL must start with https:// or http://.")
# The public check page admits this many code look-ups per client address per window.
VERIFICATION_CHECK_LIMIT = env_int("VERIFICATION_CHECK_LIMIT", 20, minimum=1)
VERIFICATION_CHECK_WINDOW_SECONDS = env_int("VERIFICATION_CHECK_WINDOW_SECONDS", 600, minimum=1)
# The rate limit counts in the default cache: per process (LocMemCache) unless REDIS_URL
# points at a Redis shared by every worker (redis://127.0.0.1:6379/1; redis-py is installed).
_REDIS_URL = env_str("REDIS_URL", None)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
    if _REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hefei-cpe"}
}

# Training plans and rosters (apps.filings): how far ahead a plan is filed (notice: 提前 15 日),
# and the bounds on one roster upload, checked before any parsing.
FILINGS_PLAN_LEAD_DAYS = env_int("FILINGS_PLAN_LEAD_DAYS", 15, minimum=1)
FILINGS_ROSTER_MAX_BYTES = env_int("FILINGS_ROSTER_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILINGS_ROSTER_MAX_ROWS = env_int("FILINGS_ROSTER_MAX_ROWS", 20_000, minimum=10)
# Uncompressed size of all parts of an .xlsx together (a 20,000-row roster is about 10 MB),
# and the compression ratio of any part over 1 MB (zip bombs).
FILINGS_XLSX_MAX_UNCOMPRESSED = env_int(
    "FILINGS_XLSX_MAX_UNCOMPRESSED", 64 * 1024 * 1024, minimum=1024
)
FILINGS_XLSX_MAX_RATIO = env_int("FILINGS_XLSX_MAX_RATIO", 200, minimum=10)

# --- Security (issue 12): headers and roles -----------------------------------------------
# Browser features the portal never uses are switched off on every page (hefei_cpe/middleware.py,
# which also marks every response `Cache-Control: no-store, private`).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Account activation (/accounts/activate/) admits this many attempts per client address per
# window (hefei_cpe/ratelimit.py, in the default cache: set REDIS_URL to share it).
ACTIVATION_ATTEMPT_LIMIT = env_int("ACTIVATION_ATTEMPT_LIMIT", 10, minimum=1)
ACTIVATION_WINDOW_SECONDS = env_int("ACTIVATION_WINDOW_SECONDS", 900, minimum=1)
# The portal connects (DATABASE_URL) as a role that owns nothing (`manage.py db_roles`);
# migrations run as the owner of the tables. DATABASE_OWNER_URL names that owner for the test
# suite, which creates and migrates its database as the owner and then runs as the portal role.
_DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL", None)
DATABASE_OWNER: dict[str, object] | None = None
if _DATABASE_OWNER_URL:
    try:
        _owner = dj_database_url.parse(_DATABASE_OWNER_URL)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_OWNER_URL is malformed: {exc}") from None
    DATABASE_OWNER = {key: _owner.get(key, "") for key in ("USER", "PASSWORD", "HOST", "PORT")}
# --- end of security block --------------------------------------------------------------

# --- PDF signatures (hefei_cpe/signing.py, pyHanko) ----------------------------------------
# The city signing root: a PEM file path or the PEM text (secret store) for the certificate and
# its key. Unset in development: a demo root is generated on first use under PDF_SIGNING_DIR.
PDF_SIGNING_ROOT_CERT = env_str("PDF_SIGNING_ROOT_CERT", None)
PDF_SIGNING_ROOT_KEY = env_str("PDF_SIGNING_ROOT_KEY", None)
PDF_SIGNING_ROOT_KEY_PASSWORD = env_str("PDF_SIGNING_ROOT_KEY_PASSWORD", None)
PDF_SIGNING_DIR = Path(env_str("PDF_SIGNING_DIR", None) or VAR_DIR / "signing")
PDF_SIGNING_DEMO_ROOT = env_bool("PDF_SIGNING_DEMO_ROOT", default=DEBUG)
# Addresses or networks (comma-separated, e.g. "10.0.0.5,10.1.0.0/24") of our own reverse
# proxies / load balancers. Only a request from one of them has its X-Forwarded-For read for
# the client's address (hefei_cpe/ratelimit.py); empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
