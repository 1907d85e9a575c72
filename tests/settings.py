"""Settings for the test suite: a throw-away data folder, quick hashing, tasks run at once."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CONFIDE_DATA_DIR", tempfile.mkdtemp(prefix="confide-test-"))
os.environ.pop("CONFIDE_ENV", None)

from confide.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CONFIDE_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
# Test clients post far faster than a person, and ids repeat from test to test; the limits'
# own tests (confide/core/tests/test_ratelimit.py) turn the real numbers back on.
CONFIDE_WRITE_LIMITS = ()

# Test-only models for the privacy app (see confide/privacy/tests/testapp).
INSTALLED_APPS = [*INSTALLED_APPS, "confide.privacy.tests.testapp"]  # noqa: F405

# Transactional tests empty every table afterwards, which the audit log's database guard
# refuses on SQLite; the audit tests install the guard themselves (confide/core/audit_guard.py).
CONFIDE_AUDIT_DB_GUARD = False

# In the test process the ASGI application's sync thread outlives each test, and a PostgreSQL
# connection it kept open would hold the test database when it is dropped at the end. Here
# connections close after each request; a real server keeping one connection across requests
# is tested against a `confide serve` process (tests/test_operations_live.py).
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
