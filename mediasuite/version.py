"""The running version: the git commit of the checkout, else the package version."""

import subprocess
from functools import cache

from django.conf import settings

PACKAGE_VERSION = "0.1.0"


@cache
def current() -> dict:
    """{"version": short sha or package version, "commit": full sha|None, "date": iso|None}."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%H %cI"],
            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5, check=True,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        out = []
    if len(out) != 2:
        return {"version": PACKAGE_VERSION, "commit": None, "date": None}
    return {"version": out[0][:12], "commit": out[0], "date": out[1]}
