"""The one settings module, driven by environment variables.

Development defaults are safe to run on a laptop (SQLite file, DEBUG on, development keys).
With DEBUG off every secret must come from the environment, or start-up fails loudly.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hefei_cpe.env import env_bool, env_int, env_list, env_str
from hefei_cpe.secrets import check_pii_keys, check_secret_key
from hefei_cpe.xlsx import SafeCSV, SafeXLSX

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-secret-key-hefei-cpe-change-me"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", None) or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
check_secret_key(secret_key=SECRET_KEY, development_key=_DEV_SECRET_KEY, debug=DEBUG)

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
    "simple_history",
    "apps.accounts.axes_labels.PortalAxesConfig",
    "apps.accounts",
    "apps.people",
    "apps.bases",
    "apps.requirements",
    "apps.credits",
    "apps.filings",
    "apps.publiccourse",
    "apps.verification",
    "apps.portal",
    "apps.reports",
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
    # Who made a change, for the history of people, units, bases and plans.
    "simple_history.middleware.HistoryRequestMiddleware",
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

# Sessions are kept in the database and read through the cache (Redis in production): a page
# costs no session query, and a flushed cache loses no one's sign-in.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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
IMPORT_FORMATS = [SafeXLSX, SafeCSV]
# Exports go through the portal's one xlsx writer, formulas made harmless (hefei_cpe/xlsx.py).
EXPORT_FORMATS = [SafeXLSX, SafeCSV]

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
# Every uploaded sheet (hefei_cpe.sheets): the bytes any one part of an .xlsx may inflate to (a
# 20,000-row roster's sheet is about 10 MB), and the compression ratio of a part over 1 MB that
# is read whole (zip bombs).
UPLOAD_XLSX_MAX_UNCOMPRESSED = env_int(
    "UPLOAD_XLSX_MAX_UNCOMPRESSED", 64 * 1024 * 1024, minimum=1024
)
UPLOAD_XLSX_MAX_RATIO = env_int("UPLOAD_XLSX_MAX_RATIO", 200, minimum=10)
# Bulk registration of professionals from a sheet (apps.people): one upload.
PEOPLE_IMPORT_MAX_BYTES = env_int("PEOPLE_IMPORT_MAX_MB", 10, minimum=1) * 1024 * 1024
PEOPLE_IMPORT_MAX_ROWS = env_int("PEOPLE_IMPORT_MAX_ROWS", 20_000, minimum=1)

# --- Background jobs, production serving (issue 13) ---------------------------------------
# Kept in one block so it merges cleanly beside other helpers' settings.
# Celery is the engine (hefei_cpe/celery.py). With REDIS_URL set, tasks go to workers through
# Redis (CELERY_BROKER_URL overrides the broker; the default is REDIS_URL's database + 1, so
# the broker's keys never share a database with the cache). Unset (the quick-start demo on a
# bare machine), tasks run eagerly in the web process, after the commit that enqueued them.
INSTALLED_APPS += ["apps.jobs"]


def _next_db(url: str) -> str:
    """redis://host:port/N -> redis://host:port/N+1 (database 1 when none is given)."""
    head, _, tail = url.rpartition("/")
    if head.startswith("redis") and "//" in head and tail.isdigit():
        return f"{head}/{int(tail) + 1}"
    return url.rstrip("/") + "/1"


CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", None) or (
    _next_db(_REDIS_URL) if _REDIS_URL else "memory://"
)
CELERY_TASK_ALWAYS_EAGER = not _REDIS_URL and not env_str("CELERY_BROKER_URL", None)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None  # results live on the Job rows, not in Redis
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A worker killed mid-task: the message is acknowledged only after the task returned, and a
# lost worker's message goes back to the queue; every task is idempotent, so the rerun is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 60 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
# Redis redelivers an unacknowledged message after this many seconds: longer than any task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# The broker down must not hang a web request: try once, briefly, then say "queued".
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery beat: the nightly rebuild of every person's year totals (safety net for reports),
# and re-sending jobs whose enqueue failed while the broker was down.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A job the broker refused is sent again by beat after this many seconds.
JOBS_REQUEUE_AFTER_SECONDS = env_int("JOBS_REQUEUE_AFTER_SECONDS", 30, minimum=1)
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 7, minimum=1)
# Confirming an upload (people, roster, public-course results) with more data rows than this
# runs as a background job with a progress bar; smaller ones are written in the request.
UPLOAD_CONFIRM_INLINE_MAX_ROWS = env_int("UPLOAD_CONFIRM_INLINE_MAX_ROWS", 2000, minimum=0)
# Year totals: a write touching more people than this refreshes them in a worker after commit.
CREDITS_REFRESH_INLINE_MAX = env_int("CREDITS_REFRESH_INLINE_MAX", 2000, minimum=1)
# The years of a ledger page (entries as the rules engine credits them) are rendered once per
# state of the person's entries and kept in the cache this long (apps/credits/views.py); 0: never.
CREDITS_LEDGER_CACHE_SECONDS = env_int("CREDITS_LEDGER_CACHE_SECONDS", 3600, minimum=0)
# Whole signed-in pages whose content has a version (a ledger, a compliance dashboard) are kept
# this long, keyed on that version, the user, the address and the code (hefei_cpe/pagecache.py);
# 0: never.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=0)

# Uploaded and generated files (stored PDFs, jobs' zips): one folder every web and worker node
# shares (e.g. an NFS mount) when they run on several machines.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", None) or VAR_DIR / "media")

# Static files served by the app itself (WhiteNoise: compressed, hashed names, far-future cache
# headers); behind nginx the same `collectstatic` output can be served by nginx instead.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there; finders serve
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "hefei_cpe.staticfiles.PortalStaticFilesStorage"
    },
}

# PostgreSQL connections kept open between requests (CONN_MAX_AGE, seconds) and checked
# before reuse, so a restarted database costs one failed check, not a 500.
if _DATABASE_URL:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for reports (DATABASE_REPLICA_URL): the router sends the reads of apps that
# ask for it there; unset, everything uses the primary.
_DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", None)
if _DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(
            _DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 60)
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is malformed: {exc}") from None
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["hefei_cpe.routers.ReportsReplicaRouter"]

# Content-Security-Policy (django-csp): scripts, styles and fonts from this site only; no
# inline script or style anywhere (pages keep theirs in static/), images also as data: URIs
# (QR codes and seals). Report-only with CSP_REPORT_ONLY=1 while rolling out a change.
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
INSTALLED_APPS += ["csp"]
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env_bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# HTTPS: behind a TLS-terminating proxy that sets X-Forwarded-Proto. In production (DEBUG off)
# plain HTTP is redirected, cookies are secure, and HSTS tells browsers to come back on HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's plain-HTTP health check must not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# --- end of background jobs and production serving ----------------------------------------

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
# Compact copies of the Noto CJK fonts the PDFs embed (hefei_cpe/pdf_fonts.py), built on first
# use on each machine; any writable local folder.
PDF_FONT_DIR = Path(env_str("PDF_FONT_DIR", None) or VAR_DIR / "pdf-fonts")
PDF_SIGNING_DEMO_ROOT = env_bool("PDF_SIGNING_DEMO_ROOT", default=DEBUG)
# Addresses or networks (comma-separated, e.g. "10.0.0.5,10.1.0.0/24") of our own reverse
# proxies / load balancers. Only a request from one of them has its X-Forwarded-For read for
# the client's address (hefei_cpe/ratelimit.py); empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Compliance reports (apps.reports): the first year the summaries hold (through the current
# year), and the rows per drill-down page.
REPORTS_FIRST_YEAR = env_int("REPORTS_FIRST_YEAR", 2021, minimum=1990)
REPORTS_PAGE_SIZE = env_int("REPORTS_PAGE_SIZE", 50, minimum=10)
# A people list longer than this is exported by a background job (with progress on its page)
# instead of in the request.
REPORTS_EXPORT_JOB_ROWS = env_int("REPORTS_EXPORT_JOB_ROWS", 20_000, minimum=1)
# How long a dashboard's computed figures stay in the cache at most (keyed on the summaries'
# latest refresh, so a refresh is seen at once whatever this is): a day.
REPORTS_DASHBOARD_CACHE_SECONDS = env_int("REPORTS_DASHBOARD_CACHE_SECONDS", 86_400, minimum=1)
