"""OCOP Hub settings. Everything that differs between machines comes from the environment.

Development defaults are safe (SQLite in ./var, console e-mail); production must set
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. DEBUG is off unless asked for.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ocop_hub.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OCOP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# A development key is only accepted when the operator says this is a development machine:
# a production deployment without SECRET_KEY must fail loudly, not run with a public key.
DEV_MODE = env_bool("OCOP_DEV", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEV_MODE or DEBUG or env_bool("OCOP_TESTING", False):
        SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set (or OCOP_DEV=1 on a development machine).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "audit",
    "places",
    "registry",
    "evaluation",
    "certificates",
    "opendata",
    "transfers",
    "traceability",
    "labels",
    "scans",
    "trade",
    "inquiries",
    "market",
    "reports",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "ocop_hub.urls"
WSGI_APPLICATION = "ocop_hub.wsgi.application"

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
                "web.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ocop_hub.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the scan page read while an import writes; IMMEDIATE avoids
    # "database is locked" upgrades when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if env_bool("OCOP_TESTING", False):
    # Tests create many users; the real hasher's deliberate slowness would dominate the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)

# Vietnamese first; English complete. Product content has its own languages (registry.languages).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

MAILERS = {"default": {"BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OCOP Hub <no-reply@localhost>")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL"),
    }
    if env_str("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Progress of long imports, written by the worker inside its transaction and read by the web
# processes: Redis when there is one, else files under var/ (one machine, any number of processes).
CACHES["progress"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
    if env_str("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# The map tiles behind raw-material areas (Leaflet, vendored): any XYZ tile server, and its credit line.
OCOP_MAP_TILE_URL = env_str("OCOP_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
OCOP_MAP_ATTRIBUTION = env_str("OCOP_MAP_ATTRIBUTION", "© OpenStreetMap contributors")


def _tile_origin(url: str) -> str:
    """The tile server's origin for the CSP: "https://{s}.tile.example" allows "https://*.tile.example"."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ImproperlyConfigured(
            "OCOP_MAP_TILE_URL must be an absolute URL, e.g. https://tile.example/{z}/{x}/{y}.png"
        )
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", _tile_origin(OCOP_MAP_TILE_URL)],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
}

# Upload limits: checked by content in registry.files, not by file name.
OCOP_IMAGE_MAX_BYTES = env_int("OCOP_IMAGE_MAX_BYTES", 8 * 1024 * 1024)
# A story read aloud (scan page "Listen"): a few minutes of speech is 1–5 MB.
OCOP_AUDIO_MAX_BYTES = env_int("OCOP_AUDIO_MAX_BYTES", 10 * 1024 * 1024)
OCOP_EVIDENCE_MAX_BYTES = env_int("OCOP_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Imports of provinces' Excel/CSV files: the upload limit, and what a workbook may expand to
# (an .xlsx is a zip; a "zip bomb" named .xlsx is refused before it is opened).
OCOP_IMPORT_MAX_BYTES = env_int("OCOP_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
OCOP_IMPORT_MAX_UNZIPPED_BYTES = env_int("OCOP_IMPORT_MAX_UNZIPPED_BYTES", 400 * 1024 * 1024)
OCOP_IMPORT_MAX_ZIP_RATIO = env_int("OCOP_IMPORT_MAX_ZIP_RATIO", 200)
OCOP_IMPORT_MAX_ROWS = env_int("OCOP_IMPORT_MAX_ROWS", 100_000)

PAGE_SIZE = env_int("OCOP_PAGE_SIZE", 25)

# Name similarity (rapidfuzz WRatio on diacritic-folded names, 0–100) from which another entity's
# product of the same commune and criteria set counts as the same product type (registry.duplicates).
# 85: "X" vs "X <place>" scores 90–95 and is caught; different products of one set score 40–75.
OCOP_DUPLICATE_NAME_SCORE = env_int("OCOP_DUPLICATE_NAME_SCORE", 85)
# Serials issued in one range (a print run); a million are issued in batches, in seconds.
OCOP_SERIALS_MAX_PER_RANGE = env_int("OCOP_SERIALS_MAX_PER_RANGE", 1_000_000)
# How long a resolver process trusts what it read about a GTIN, a lot and their links at most; a
# change made anywhere reaches every process sooner, within OCOP_RESOLVER_GENERATION_CHECK_SECONDS
# (each process reads one row that often: traceability.lookup.generation_check).
OCOP_RESOLVER_CACHE_SECONDS = env_int("OCOP_RESOLVER_CACHE_SECONDS", 600)
OCOP_RESOLVER_GENERATION_CHECK_SECONDS = env_float("OCOP_RESOLVER_GENERATION_CHECK_SECONDS", 1.0)
# The scan page's product half (story, certificate, journey) is rendered once per lot and language
# and kept this long at most (a change through the services reaches it within the check above).
OCOP_SCAN_PAGE_CACHE_SECONDS = env_int("OCOP_SCAN_PAGE_CACHE_SECONDS", 300)
# Parts later apps add to the scan page's product half, as "module.function(*, product, language)"
# returning HTML (kept with that half, so the services that change them move the generation).
OCOP_SCAN_PAGE_SECTIONS = env_list("OCOP_SCAN_PAGE_SECTIONS", ["trade.scan_sections.where_to_buy_html"])
# Largest GeoJSON accepted for a raw-material area (an outline of a few thousand points).
OCOP_GEOJSON_MAX_BYTES = env_int("OCOP_GEOJSON_MAX_BYTES", 512 * 1024)
# Largest EPCIS document one POST /epcis/capture takes (a few thousand events); bigger ones are
# answered 413 before they are parsed. Keep it under DATA_UPLOAD_MAX_MEMORY_SIZE.
OCOP_EPCIS_MAX_BYTES = env_int("OCOP_EPCIS_MAX_BYTES", 1024 * 1024)

# The address printed in certificate and label QR codes: production must set it to the public domain.
OCOP_PUBLIC_BASE_URL = env_str("OCOP_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# A TrueType font with every Vietnamese diacritic, bundled (no system font assumed) for images and PDFs.
OCOP_FONT_REGULAR = BASE_DIR / "web" / "static" / "web" / "fonts" / "DejaVuSans.ttf"
OCOP_FONT_BOLD = BASE_DIR / "web" / "static" / "web" / "fonts" / "DejaVuSans-Bold.ttf"

# Open data of certified products (opendata app): rebuilt nightly into this directory and served at
# stable URLs under /open-data/. CC BY 4.0 by default: anyone may reuse the data if they name the source.
OCOP_OPEN_DATA_DIR = Path(env_str("OCOP_OPEN_DATA_DIR", str(VAR_DIR / "opendata")))
OCOP_OPEN_DATA_LICENCE = {
    "name": env_str("OCOP_OPEN_DATA_LICENCE_NAME", "CC BY 4.0"),
    "url": env_str("OCOP_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
    "attribution": env_str("OCOP_OPEN_DATA_ATTRIBUTION", f"OCOP Hub — {OCOP_PUBLIC_BASE_URL.rstrip('/')}"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SITE_TITLE = _("OCOP Hub")

# --- Scans, suspect codes and fake reports (scans app) ---------------------------------------------
# Thresholds of the "potential suspect" rules: a human reviews every alert, so they err on the side
# of asking. One package is scanned by a shop, a buyer and a curious friend: 20 is well past that.
_SCANS_TESTING = env_bool("OCOP_TESTING", False)
OCOP_SCAN_MAX_SCANS_PER_SERIAL = env_int("OCOP_SCAN_MAX_SCANS_PER_SERIAL", 20)
# One serial checked (with the visitor's consent to share the browser's location) in two places
# farther apart than this within these hours is one label printed on several packages.
OCOP_SCAN_FAR_APART_KM = env_float("OCOP_SCAN_FAR_APART_KM", 150.0)
OCOP_SCAN_FAR_APART_HOURS = env_float("OCOP_SCAN_FAR_APART_HOURS", 24.0)
# Raw scan rows (and shared locations) are deleted after this many days; reports read daily rollups.
OCOP_SCAN_RETENTION_DAYS = env_int("OCOP_SCAN_RETENTION_DAYS", 90)
# Scans wait in each process's memory and are written in batches: when this many are waiting, or
# the oldest has waited this long. Tests write each scan at once (size 1, no timer thread): a thread
# with its own connection would not see a test's transaction, and nothing leaks between tests.
OCOP_SCAN_BUFFER_SIZE = env_int("OCOP_SCAN_BUFFER_SIZE", 1 if _SCANS_TESTING else 200)
OCOP_SCAN_FLUSH_SECONDS = env_float("OCOP_SCAN_FLUSH_SECONDS", 0.0 if _SCANS_TESTING else 5.0)
# How long a process trusts a serial's remembered state (scans.serial_memory) before reading it
# again: other workers' checks of the same serial are counted that much later at most. 0: read at
# every scan.
OCOP_SCAN_STATE_CACHE_SECONDS = env_float("OCOP_SCAN_STATE_CACHE_SECONDS", 60.0)
# Consumers' fake reports per visitor and hour, and per scanned code and hour (report floods).
OCOP_FAKE_REPORTS_PER_HOUR = env_int("OCOP_FAKE_REPORTS_PER_HOUR", 5)
OCOP_FAKE_REPORTS_PER_CODE_PER_HOUR = env_int("OCOP_FAKE_REPORTS_PER_CODE_PER_HOUR", 20)
# Buyer inquiries a buyer account may send per 24 hours (inquiries app; a form flood is refused).
OCOP_INQUIRIES_PER_DAY = env_int("OCOP_INQUIRIES_PER_DAY", 10)
# Buyer accounts one visitor (keyed hash of address and browser) may open per hour.
OCOP_BUYER_SIGNUPS_PER_HOUR = env_int("OCOP_BUYER_SIGNUPS_PER_HOUR", 3)
# Locations a visitor may share per hour (a bot posting far-apart places would raise false alerts).
OCOP_SCAN_LOCATES_PER_HOUR = env_int("OCOP_SCAN_LOCATES_PER_HOUR", 10)

# Label sheets (labels app). A job prints at most OCOP_LABELS_MAX_PER_JOB labels (a PDF of 100,000
# 40×30 mm labels is ~3,100 A4 pages); jobs up to OCOP_LABELS_SYNC_LIMIT render within the request
# (a second or so), bigger ones in the database worker. OCOP_LABELS_WORKERS: processes that encode QR
# codes for one big job, 0 = every core. OCOP_LABELS_QR_UPPERCASE_HOST: scheme and host in capitals so
# the URI fits QR's alphanumeric mode (one version smaller); turn it off only if a scanner app in the
# field refuses "HTTPS://".
OCOP_LABELS_MAX_PER_JOB = env_int("OCOP_LABELS_MAX_PER_JOB", 100_000)
OCOP_LABELS_SYNC_LIMIT = env_int("OCOP_LABELS_SYNC_LIMIT", 2_000)
OCOP_LABELS_WORKERS = env_int("OCOP_LABELS_WORKERS", 0)
OCOP_LABELS_QR_UPPERCASE_HOST = env_bool("OCOP_LABELS_QR_UPPERCASE_HOST", True)
