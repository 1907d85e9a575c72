"""Confide's settings, read from the environment (see README.md, "Configuration")."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


PRODUCTION = env("CONFIDE_ENV") == "production"
DEBUG = env_bool("CONFIDE_DEBUG", default=False) and not PRODUCTION

PRIVATE_BITS = 0o077  # group and others
SQLITE_SIDES = ("-wal", "-shm", "-journal")


def _private_folder(path: Path) -> Path:
    """The data folder, mode 0700: made so, or narrowed if an operator made it wider."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & PRIVATE_BITS:
        try:
            path.chmod(0o700)
        except PermissionError:
            raise ImproperlyConfigured(
                f"The data folder {path} can be read by other users and belongs to another "
                "user, so Confide cannot make it private. Run `chown` on it for the user that "
                "runs Confide, or `chmod 700` on it."
            ) from None
    return path


def _private_files(database: Path) -> None:
    """Create the SQLite database 0600 before SQLite does (it would use 0644), and narrow an
    older one. SQLite gives its -wal and -shm files the database file's mode."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for path in (database, *(database.with_name(database.name + end) for end in SQLITE_SIDES)):
        if path.exists() and path.stat().st_mode & PRIVATE_BITS:
            path.chmod(0o600)


DATA_DIR = _private_folder(Path(env("CONFIDE_DATA_DIR", "var")).resolve())


def _development_secret_key() -> str:
    """A key generated once into the data folder, so sessions survive restarts."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY")
MIN_SECRET_KEY_LENGTH = 50
if PRODUCTION and len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    raise ImproperlyConfigured(
        "CONFIDE_ENV=production needs SECRET_KEY set to a random value of at least 50 characters."
    )
if not SECRET_KEY:
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env_list("CONFIDE_ALLOWED_HOSTS")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "CONFIDE_ENV=production needs CONFIDE_ALLOWED_HOSTS (comma-separated host names)."
    )
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CONFIDE_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "confide.core",
    "confide.accounts",
    "confide.privacy",
    "confide.pairs",
    "confide.rhythm",
    "confide.together",
    "confide.notifications",
    "confide.reminders",
    "confide.circles",
    "confide.dialogue",
    "confide.measures",
    "confide.safety",
    "confide.moderation",
    "confide.care",
    "confide.bench",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "confide.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "confide.core.middleware.SessionLimitsMiddleware",
    "confide.accounts.middleware.SessionRecordMiddleware",
    "confide.core.middleware.PersonPreferencesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "confide.core.middleware.PrivateCacheMiddleware",
    # After authentication, so the view runs inside the transaction that claims the form's
    # one-time key; before the write limit, so a replayed retry is not counted as a write.
    "confide.core.idempotency.IdempotencyMiddleware",
    "confide.core.ratelimit.WriteRateLimitMiddleware",
    "confide.core.ratelimit.BodyLimitMiddleware",
]

ROOT_URLCONF = "confide.urls"
ASGI_APPLICATION = "confide.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% csrf_token %} also writes a one-time idempotency key (core/idempotency.py).
            "builtins": ["confide.core.templatetags.idempotent_forms"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "confide.core.context_processors.confide",
                "confide.notifications.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite in the data folder by default, anything dj-database-url reads otherwise.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # Kept open between requests, as on SQLite below: pages and socket consumers run their sync
    # code in one long-lived thread (confide/core/asgi_handler.py), so this is one connection
    # per server process, not one per request (a new backend process and a password exchange on
    # the server each time). A broken or closed one is noticed before use and opened again.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    _private_files(DATA_DIR / "confide.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "confide.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside the writer; FULL makes every commit durable.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Kept open between requests: opening one costs a connect and the two PRAGMAs
            # above on every request. Pages and socket consumers run their sync code in one
            # long-lived thread (confide/core/asgi_handler.py), so this is one connection per
            # process (see docs/performance.md).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Accounts and passwords.
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
CONFIDE_VERIFY_TIMEOUT = 60 * 60 * 24 * 3

# Sessions: end after 30 idle minutes and in any case 12 hours after logging in.
SESSION_COOKIE_AGE = 30 * 60
# Not saved on every request (a write, and with synchronous=FULL an fsync, on every page): the
# session records when it was last seen at most once a minute (accounts/sessions.py, SEEN_EVERY),
# and that change saves it and renews its expiry, so the idle limit holds to within a minute.
SESSION_SAVE_EVERY_REQUEST = False
# Read through the cache, written to the database: a signed-in request costs one query fewer.
# Ending a session deletes it from both. The cache must be shared by every process that serves
# (Redis, `REDIS_URL`): without it only one server process may run (`confide serve` refuses
# `--workers` above 1), or a session ended in one process would live on in another's memory.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CONFIDE_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# Facilitators, counsellors and operators (who see other people's data) idle out sooner.
CONFIDE_STAFF_IDLE_SECONDS = 15 * 60
# How often an open WebSocket checks that its session has not expired (see core/realtime.py).
CONFIDE_SOCKET_SESSION_CHECK_SECONDS = 60

# Two-step login (TOTP, django-otp). Code attempts count against the login throttle below;
# django-otp's own per-device back-off is off, because it would let anyone who knows a
# password lock its owner out.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "Confide"

# Login throttling (see confide/accounts/throttle.py).
CONFIDE_THROTTLE_WINDOW = 15 * 60
CONFIDE_THROTTLE_PER_ADDRESS_AND_ACCOUNT = 5
CONFIDE_THROTTLE_PER_ADDRESS = 30
CONFIDE_THROTTLE_PER_ACCOUNT_UNTRUSTED = 50

# Per-person write limits (see confide/core/ratelimit.py): (window in seconds, writes allowed).
# Far above what a person writes, far below what a script does.
CONFIDE_WRITE_LIMITS: tuple[tuple[int, int], ...] = ((60, 40), (60 * 60, 400))
# "SECONDS:WRITES,..." replaces them; `confide bench` lifts them to time the write itself.
if env("CONFIDE_WRITE_LIMITS"):
    try:
        CONFIDE_WRITE_LIMITS = tuple(
            (int(window), int(allowed))
            for window, allowed in (item.split(":", 1) for item in env_list("CONFIDE_WRITE_LIMITS"))
        )
    except ValueError:
        raise ImproperlyConfigured(
            "CONFIDE_WRITE_LIMITS must look like 60:40,3600:400 (seconds:writes, ...)."
        ) from None

# No view takes files, and the longest text field (circle guidelines, 8,000 characters of
# four-byte characters, percent-encoded) is under 100 KB: a larger body is refused (413, see
# confide/core/ratelimit.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Internationalisation.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way of writing dates everywhere ("30 November 2026, 05:22"): confide/core/formats/.
FORMAT_MODULE_PATH = ["confide.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Email: the console by default, SMTP when CONFIDE_EMAIL_HOST is set.
if env("CONFIDE_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("CONFIDE_EMAIL_HOST"),
                "port": int(env("CONFIDE_EMAIL_PORT", "587")),
                "username": env("CONFIDE_EMAIL_USER") or None,
                "password": env("CONFIDE_EMAIL_PASSWORD") or None,
                "use_tls": env_bool("CONFIDE_EMAIL_TLS", default=True),
                "timeout": 20,
            },
            # Kept open between requests: opening one costs a connect and the two PRAGMAs
            # above on every request. Pages and socket consumers run their sync code in one
            # long-lived thread (confide/core/asgi_handler.py), so this is one connection per
            # process (see docs/performance.md).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("CONFIDE_EMAIL_FROM", "Confide <confide@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CONFIDE_BASE_URL = env("CONFIDE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Safety.
CONFIDE_QUICK_EXIT_URL = env("CONFIDE_QUICK_EXIT_URL", "https://en.wikipedia.org/wiki/Weather")

# Encryption at rest.
CONFIDE_MASTER_KEY = env("CONFIDE_MASTER_KEY")
CONFIDE_MASTER_KEY_OLD = env("CONFIDE_MASTER_KEY_OLD")
CONFIDE_KEY_FILE = DATA_DIR / "master.key"
# The audit chain's HMAC key, beside the master key (see confide/core/auditkey.py).
CONFIDE_AUDIT_KEY = env("CONFIDE_AUDIT_KEY")
CONFIDE_AUDIT_KEY_FILE = DATA_DIR / "audit.key"

# Security headers.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# Permissions-Policy: every browser feature Confide never uses is off for every origin. Only
# names Chromium knows are listed (an unknown one is a console warning on every page);
# clipboard-write stays allowed for a "copy link" button.
CONFIDE_PERMISSIONS_POLICY = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "clipboard-read",
    "compute-pressure",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "keyboard-map",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "private-state-token-issuance",
    "private-state-token-redemption",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "speaker-selection",
    "storage-access",
    "sync-xhr",
    "usb",
    "window-management",
    "xr-spatial-tracking",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers send "Origin: null" on form posts under
# no-referrer, which fails the CSRF origin check; other sites still get nothing.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-confide-session"
    CSRF_COOKIE_NAME = "__Host-confide-csrf"
    SECURE_SSL_REDIRECT = env_bool("CONFIDE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("CONFIDE_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_tokens": {"()": "confide.core.logs.RedactTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env("CONFIDE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG, a variable a template cannot resolve is logged with the whole template
        # context in the exception (private text included), so never below INFO, whatever
        # CONFIDE_LOG_LEVEL says (tests/test_canary_sweep.py).
        "django.template": {"level": "INFO"},
    },
}
