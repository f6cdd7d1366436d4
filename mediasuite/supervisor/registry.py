"""Unit kinds: how apps tell the supervisor what a unit of theirs is.

An app declares a kind once, at import time of its `units.py` module (found
by autodiscovery, like `admin.py`):

    # channels_app/units.py
    from mediasuite.supervisor.registry import UnitKind, register

    register(UnitKind(
        name="channel",
        command=lambda unit: ["ffmpeg", "-re", ..., unit.config["output"]],
        progress=playlist_is_fresh,      # optional: (unit, child) -> None | "why it is stuck"
        on_exit=mark_channel_offline,    # optional: (unit, exit_code, expected) -> None
    ))

and creates its units through `mediasuite.supervisor.control.ensure_unit`.
The supervisor calls the hooks in its own process; they must be quick.

A kind that gives `run` instead of `command` is hosted: its units run as
threads of the node's unit host (supervisor.hosted), one process for all of
them, each thread owning the processes it starts (channels: one ffmpeg each).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

_kinds: dict[str, "UnitKind"] = {}
_loaded = False


def default_log_path(unit) -> Path:
    return Path(settings.UNIT_LOG_DIR) / f"{unit.name}.log"


def unit_dir(unit) -> Path:
    """A folder of the unit's own under UNITS_DIR, for files it writes."""
    return Path(settings.UNITS_DIR) / unit.name


@dataclass(frozen=True)
class UnitKind:
    """What the supervisor needs to know about one kind of unit.

    command:  unit -> argv list (the process runs in its own session, cwd BASE_DIR)
    run:      (unit, context) -> exit code, instead of `command`: the unit is a thread of the
              node's unit host; `context` (supervisor.hosted.Context) holds its stop event
              and starts its processes, tagged as the unit's
    log_path: unit -> file receiving stdout and stderr (appended); its last
              lines become the reason shown when the unit fails
    env:      unit -> extra environment variables
    progress: (unit, child) -> None when fine, else a message saying why the
              unit is stuck; a stuck unit is stopped and counted as a failure.
              `child.started` is the time.time() of the spawn.
    on_exit:  (unit, exit_code, expected) -> None, after every exit
    prepare:  unit -> None, before every spawn (create folders, clean files)
    may_start: unit -> None when a person may start or restart the unit (API, admin), else one
              sentence saying why not: the app owning the unit decides (a finished recording's
              unit is never started again by hand)
    orphaned: unit -> None while the row the unit works for exists, else a sentence saying it is
              gone; the supervisor then removes the unit instead of starting it
    """

    name: str
    command: Callable | None = None
    run: Callable | None = None
    log_path: Callable = default_log_path
    env: Callable | None = None
    progress: Callable | None = None
    on_exit: Callable | None = None
    prepare: Callable | None = None
    may_start: Callable | None = None
    orphaned: Callable | None = None
    description: str = field(default="")


def register(kind: UnitKind) -> UnitKind:
    if not NAME_RE.match(kind.name):
        raise ValueError(f"unit kind name {kind.name!r} must be letters, digits, '.', '_' or '-'")
    if (kind.command is None) == (kind.run is None):
        raise ValueError(f"unit kind {kind.name!r} gives either a command or a run function")
    _kinds[kind.name] = kind
    return kind


def load():
    """Import the built-in kinds and every installed app's `units` module, once."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from django.utils.module_loading import autodiscover_modules

    from . import heartbeat, hosted  # noqa: F401  (register the built-in kinds)

    autodiscover_modules("units")


def get(name: str) -> UnitKind:
    load()
    try:
        return _kinds[name]
    except KeyError:
        known = ", ".join(sorted(_kinds)) or "none"
        raise LookupError(f"no unit kind {name!r} is registered (known kinds: {known})") from None


def names() -> list[str]:
    load()
    return sorted(_kinds)


def hosted() -> list[str]:
    """The kinds whose units run as threads of a unit host."""
    load()
    return sorted(name for name, kind in _kinds.items() if kind.run is not None)
