"""Background services and maintenance jobs: how apps declare theirs.

A service is declared once, at import time of the app's `background.py`
module (autodiscovered, like `admin.py`):

    # channels_app/background.py
    from mediasuite.services.registry import Service, maintenance, register

    register(Service(
        name="channels",                            # letters, digits, '.', '_', '-'
        label="Channel scanner",
        description="Finds new channel folders and new or changed videos in MEDIASUITE_CHANNELS_DIR.",
        check="channels_app.background.check",      # periodic: dotted path of check(state) -> Report
        interval=settings.CHANNELS_SCAN_INTERVAL,   # default seconds between two checks
        counters=("channels_found", "files_added"),
        active_by_default=True,
        needs=(),                                   # connections it needs (e.g. ("rtorrent", "sftp"))
    ))

    # recorder/background.py
    @maintenance("recorder.cleanup")    # run by the built-in `scheduler` service
    def cleanup() -> int:               # returns how many rows/files it handled
        ...

A supervised service names a kind of mediasuite.supervisor.registry instead
of a check (`unit_kind="heartbeat", unit_config={...}`): the supervisor runs
it as the unit `service-<name>`.

A periodic check receives the ServiceState row (read-only: the runner owns
the row) and returns a `Report`. It runs in a django-q2 worker, outside any
transaction; `Report.write` (optional) runs inside the transaction that saves
the counters, so that what the check stores and what it counts commit together.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
RESERVED = {"status"}

PERIODIC = "periodic"
UNIT = "unit"


@dataclass(frozen=True)
class Report:
    """What one check of a periodic service found.

    counters: increments added to ServiceState.counters (e.g. {"tracks_found": 3})
    error:    an operator-readable message when the check failed ("" when fine)
    write:    a callable run inside the transaction that saves the counters
    """

    counters: dict = field(default_factory=dict)
    error: str = ""
    write: Callable | None = None


@dataclass(frozen=True)
class Service:
    """One background service. Either `check` (periodic) or `unit_kind` (supervised)."""

    name: str
    label: str
    description: str = ""
    check: str = ""
    interval: int = 120
    unit_kind: str = ""
    unit_config: dict = field(default_factory=dict)
    counters: tuple[str, ...] = ()
    # The state a new installation starts in; after that the operator's choice is kept.
    active_by_default: bool = False
    # The connections (mediasuite/clients/connections.py) it cannot work without: health lists those
    # not configured while the service is active.
    needs: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return UNIT if self.unit_kind else PERIODIC

    @property
    def unit_name(self) -> str:
        return f"service-{self.name}"

    def check_function(self) -> Callable:
        return import_string(self.check)


@dataclass(frozen=True)
class MaintenanceJob:
    name: str
    function: Callable
    description: str = ""


_services: dict[str, Service] = {}
_jobs: dict[str, MaintenanceJob] = {}
_loaded = False


def register(service: Service) -> Service:
    if not NAME_RE.match(service.name) or service.name in RESERVED:
        raise ValueError(f"service name {service.name!r} must be 1 to 64 lowercase letters, digits, "
                         "'.', '_' or '-' (and not 'status')")
    if bool(service.check) == bool(service.unit_kind):
        raise ValueError(f"service {service.name!r} needs exactly one of `check` (periodic) "
                         "or `unit_kind` (supervised)")
    if service.interval < 1:
        raise ValueError(f"service {service.name!r}: interval must be at least 1 second")
    _services[service.name] = service
    return service


def maintenance(name: str, description: str = ""):
    """Decorator: run `fn()` at every check of the built-in `scheduler` service.

    `fn` takes no argument and returns the number of things it handled (or None).
    One job failing is reported and the others still run.
    """

    def wrap(fn):
        _jobs[name] = MaintenanceJob(name, fn, description or (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return wrap


def load():
    """Import the built-in services and every installed app's `background` module, once."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from django.utils.module_loading import autodiscover_modules

    from . import builtin  # noqa: F401  (registers scheduler and tracker)

    autodiscover_modules("background")


def get(name: str) -> Service:
    load()
    try:
        return _services[name]
    except KeyError:
        raise LookupError(f"Unknown service '{name}'. Known: {', '.join(names()) or 'none'}.") from None


def names() -> list[str]:
    load()
    return sorted(_services)


def services() -> list[Service]:
    load()
    return [_services[name] for name in sorted(_services)]


def maintenance_jobs() -> list[MaintenanceJob]:
    load()
    return [_jobs[name] for name in sorted(_jobs)]
