"""Settings for the suite: the real ones, on a data directory of its own."""

import os
import tempfile

os.environ.setdefault("MEDIASUITE_DATA_DIR", tempfile.mkdtemp(prefix="mediasuite-test-"))
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")

from mediasuite.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
