"""What needs attention: checks that apps register, run live each time someone asks.

Like Django's system checks, but about the running installation: a check is
a function returning Problems, registered once (the core's in
mediasuite/health/core.py, an app's from its AppConfig.ready()):

    from mediasuite import health

    @health.register
    def torrents():
        for state, count in ...:
            yield health.Problem(f"torrents:{state}", health.ERROR, f"{count} torrents failed ...",
                                 link=reverse("seedbox-activity"))

    health.folder("Recordings", lambda: settings.RECORDER_ROOT)   # watched for low disk space
    health.glance("Torrents", counts_by_state, url="seedbox-activity")   # the dashboard's at-a-glance

A Problem says in one sentence what is wrong and what to do, with a link to
where to fix it; `key` names its cause, so that the list can say what
cleared. A check that raises is itself reported, the others still run.
`GET /api/health?detail=1`, the dashboard's attention list and the
navigation badge show `problems()`.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

logger = logging.getLogger("mediasuite.health")

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    key: str
    severity: str
    message: str
    link: str = ""


@dataclass(frozen=True)
class Glance:
    label: str
    counts: Callable[[], dict[str, int]]
    url: str = ""


_checks: list[Callable[[], Iterable[Problem]]] = []
_folders: list[tuple[str, Callable[[], Path | str | None]]] = []
_glances: list[Glance] = []


def register(check: Callable[[], Iterable[Problem]]) -> Callable:
    _checks.append(check)
    return check


def folder(label: str, path: Callable[[], Path | str | None]) -> None:
    """Watch the disk space of the folder `path()` (None or "": not in use)."""
    _folders.append((label, path))


def folders() -> list[tuple[str, Path]]:
    return [(label, Path(found)) for label, path in _folders if (found := path())]


def glance(label: str, counts: Callable[[], dict[str, int]], url: str = "") -> None:
    """Add a line to the dashboard's "at a glance": `counts()` by state, `url` the page behind it."""
    _glances.append(Glance(label, counts, url))


def problems() -> list[Problem]:
    """Every problem found now, errors first."""
    found = []
    for check in _checks:
        try:
            found.extend(check())
        except Exception as exc:  # one broken check must not hide the others
            logger.exception("Health check %s failed", check.__name__)
            found.append(Problem(f"check:{check.__name__}", ERROR,
                                 f"The health check {check.__name__} failed ({exc}); see the web log."))
    return sorted(found, key=lambda p: (p.severity != ERROR, p.key))


def glances() -> list[dict]:
    from django.urls import reverse

    return [{"label": g.label, "url": reverse(g.url) if g.url else "", "counts": g.counts()}
            for g in _glances]


def report() -> dict:
    """The body of `GET /api/health?detail=1` beyond liveness."""
    found = problems()
    return {"errors": sum(p.severity == ERROR for p in found),
            "warnings": sum(p.severity == WARNING for p in found),
            "problems": [asdict(p) for p in found], "glance": glances()}
