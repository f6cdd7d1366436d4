"""The built-in unit kind `heartbeat`: a tiny process that proves it is alive.

Config: {"interval": 1.0, "file": <path>, "crash_while": <path>, "hang_while": <path>}
(all optional; the file defaults to UNITS_DIR/<unit>/heartbeat). The progress
check calls the unit stuck when the file is older than three intervals.
"""

import os
import sys
import time
from pathlib import Path

from .registry import UnitKind, register, unit_dir


def interval_of(unit) -> float:
    try:
        return max(0.05, float(unit.config.get("interval", 1.0)))
    except (TypeError, ValueError):
        return 1.0


def heartbeat_file(unit) -> Path:
    given = unit.config.get("file")
    return Path(given) if given else unit_dir(unit) / "heartbeat"


def command(unit) -> list[str]:
    argv = [sys.executable, "-m", "mediasuite.supervisor.heartbeat_proc",
            "--file", str(heartbeat_file(unit)), "--interval", str(interval_of(unit))]
    for option in ("crash_while", "hang_while"):
        if unit.config.get(option):
            argv += [f"--{option.replace('_', '-')}", str(unit.config[option])]
    return argv


def progress(unit, child) -> str | None:
    limit = 3 * interval_of(unit)
    path = heartbeat_file(unit)
    try:
        last = os.stat(path).st_mtime
    except FileNotFoundError:
        last = 0.0
    last = max(last, child.started)
    age = time.time() - last
    if age > limit:
        return f"stuck: heartbeat file {path} not written for {age:.1f}s (limit {limit:.1f}s)"
    return None


def prepare(unit):
    path = heartbeat_file(unit)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)


register(UnitKind(
    name="heartbeat",
    command=command,
    progress=progress,
    prepare=prepare,
    description="Writes a heartbeat file every interval; used by the tests and as a smoke check.",
))
