"""Restart delays and the failure window (DESIGN.md: backoff, failed)."""

import random

from django.conf import settings


def delay(failures: int, *, failed: bool = False) -> float:
    """Seconds to wait before attempt number `failures + 1`: base doubling to cap, with jitter.

    A unit in `failed` keeps retrying at the cap.
    """
    base, cap = settings.SUPERVISOR_BACKOFF_BASE, settings.SUPERVISOR_BACKOFF_CAP
    raw = cap if failed else min(cap, base * 2 ** max(0, failures - 1))
    return min(cap, raw * random.uniform(0.9, 1.1))


def recent(failure_times: list[float], now: float) -> list[float]:
    """The failure times (epoch seconds) that are still inside the window."""
    window = settings.SUPERVISOR_FAILURE_WINDOW
    return [t for t in failure_times if now - t <= window]


def is_failed(failure_times: list[float]) -> bool:
    return len(failure_times) >= settings.SUPERVISOR_FAILURE_LIMIT

