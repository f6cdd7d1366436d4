"""Settings for the suite: the real ones, on a data directory of its own.

Every test process has its own data directory, and under pytest-xdist its own
django-q queue: the workers run side by side on one host and one Redis (their
test databases are apart already: pytest-django suffixes them with the worker
id, and each database has its own installation id, so their supervisors leave
each other's processes alone). A worker inherits the environment of the
process that started it, hence MEDIASUITE_TEST_DATA_OF: the worker a data
directory belongs to. The processes a test starts keep their worker's.
"""

import os
import tempfile

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if "MEDIASUITE_DATA_DIR" not in os.environ or os.environ.get("MEDIASUITE_TEST_DATA_OF", WORKER) != WORKER:
    os.environ["MEDIASUITE_DATA_DIR"] = tempfile.mkdtemp(prefix=f"mediasuite-test-{WORKER or 'main'}-")
    os.environ["MEDIASUITE_TEST_DATA_OF"] = WORKER
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")

from mediasuite.settings import *  # noqa: E402, F403
from mediasuite.settings import Q_CLUSTER  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if WORKER:
    Q_CLUSTER["name"] = f"{Q_CLUSTER['name']}-{WORKER}"  # the Redis keys of its queue and cluster stats
