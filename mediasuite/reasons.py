"""Reasons shown to people: one sentence that says what failed and what to do, the log apart.

A supervised unit's `reason` keeps the technical detail, as the supervisor
wrote it ("killed by SIGKILL. Last lines of /var/.../unit.log:\\n<lines>"):
the API returns it unchanged. Pages show `unit_sentence()` and put `split()`'s
log lines behind a collapsed "Show log" toggle (templates/mediasuite/_reason.html,
`MediaSuite.setReason` in states.js).
"""

import re

from django.conf import settings
from django.utils import timezone

LOG_MARK = re.compile(r"\.? Last lines of (?P<path>\S+?):\n", re.MULTILINE)


def split(reason: str) -> tuple[str, str]:
    """(the cause, the log lines) of a reason; the log is '' when the reason carries none."""
    reason = (reason or "").strip()
    found = LOG_MARK.search(reason)
    if found:
        return reason[:found.start()].strip(), reason[found.end():].strip("\n")
    first, _, rest = reason.partition("\n")
    return first.strip(), rest.strip("\n")


def _cause(cause: str) -> str:
    """The supervisor's words for an exit, as the middle of a sentence."""
    cause = cause.rstrip(".")
    if cause.startswith("exited with code "):
        return f"its process {cause}"
    if cause.startswith("killed by "):
        return f"its process was {cause}"
    if cause.startswith("stuck: "):
        return f"it was stuck ({cause[len('stuck: '):]})"
    return cause


def unit_sentence(label: str, state: str, reason: str, retry_in: float | None = None) -> str:
    """What a person reads about a unit in `state` (for a unit that is fine: the cause as written).

    `label` names the thing ("Channel news", "Unit demo-camera"); `retry_in`
    is the number of seconds to the next attempt, when one is planned.
    """
    cause, _ = split(reason)
    if state == "failed":
        every = settings.SUPERVISOR_BACKOFF_CAP
        return (f"{label} failed: {_cause(cause) or 'it kept stopping'}. Read its log, fix the cause, then "
                f"restart it (it is retried every {every:g} s).")
    if state == "backoff":
        when = f"in {max(retry_in, 0):.0f} s" if retry_in is not None else "shortly"
        return f"{label} stopped unexpectedly: {_cause(cause) or 'no reason given'}; it starts again {when}."
    return cause


def service_sentence(label: str, error: str, interval: int) -> str:
    """A background service whose last check failed: '' when it did not."""
    cause = split(error)[0]
    if not cause:
        return ""
    if len(cause) > 160:
        cause = cause[:157].rstrip() + "..."
    return (f"The last check of {label} failed: {cause.rstrip('.')}. It runs again within {interval} s; "
            "fix the cause, or stop the service.")


def retry_in(unit) -> float | None:
    """Seconds until the supervisor tries the unit again, when it plans to."""
    if unit.next_attempt_at is None:
        return None
    return (unit.next_attempt_at - timezone.now()).total_seconds()


def for_unit(unit, label: str | None = None) -> str:
    return unit_sentence(label or f"Unit {unit.name}", unit.state, unit.reason, retry_in(unit))
