"""The unit host: one process per node runs every unit of the hosted kinds as a thread.

A kind that declares `run` instead of `command` (channels) is hosted: a unit
of it costs the processes it starts (a channel: its ffmpeg) and a thread,
not a Django process of its own (about 110 MiB each before).

The host is a unit itself (kind `unit-host`, named `host-<node>`), which the
node's supervisor keeps running while a hosted unit wants to run or is not
stopped yet (`ensure`). Its process is `manage.py supervise --node <node>
--host`: the same reconcile loop (supervisor.loop), restricted to the hosted
kinds, holding their units through leases of its own (node, host pid). So
leases, states, backoff, the kinds' progress checks, restarts, stops and the
hand-over to another node's host work as they do for processes, and a
supervisor that dies and comes back adopts the host (supervisor.adoption):
no hosted unit stops for it.

Each hosted unit is a `Threaded` child. The processes its thread starts go
through its `Context`: they carry the unit's tags (supervisor.procs), run in
a session of their own (the host's clean stop reaches them through their
thread, never by a group signal), and die with their thread (`setpriv
--pdeathsig KILL`): a host killed with -9 leaves no orphan, and its units
start again in the next host at their own cursor. (Without setpriv, which
util-linux gives every Debian, the supervisor's sweep ends them within 10 s:
their tag names the dead host.) An exception or an exit
code of one thread is that unit's failure, never the host's or another's;
its log records go to the unit's log, whose last lines are the reason shown.
"""

import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

from . import procs
from .registry import UnitKind, register

log = logging.getLogger("mediasuite.supervisor")

KIND = "unit-host"
BOOT_LIMIT = 60.0  # a host that has not beaten yet is still starting Django
SETPRIV = shutil.which("setpriv")  # util-linux; every Debian has it

_routes: dict[int, str] = {}  # thread ident -> log file of the unit it runs


def unit_name(node: str) -> str:
    return "host-" + re.sub(r"[^A-Za-z0-9._-]", "-", node)[:122]


def beat_file(node: str) -> Path:
    return Path(settings.UNITS_DIR) / unit_name(node) / "beat"


@dataclass
class Context:
    """What a hosted unit's thread gets: its stop event, and the way to start its processes."""

    stop: threading.Event
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    def popen(self, argv: list[str], **kwargs) -> subprocess.Popen:
        """Start a process of the unit: tagged, in its own session, killed if its thread dies."""
        prefix = [SETPRIV, "--pdeathsig", "KILL", "--"] if SETPRIV else []
        process = subprocess.Popen([*prefix, *argv], env={**os.environ, **self.env}, start_new_session=True,
                                   close_fds=True, **kwargs)
        self.processes = [p for p in self.processes if p.poll() is None] + [process]
        return process

    def kill(self):
        for process in self.processes:
            if process.poll() is None:
                procs.signal_group(process.pid, signal.SIGKILL)
                process.wait()


@dataclass(kw_only=True)
class Threaded(procs.Child):
    """A hosted unit: a thread of this host. Its pid is the host's."""

    context: Context
    work: Callable[[], int]  # the unit's body: its kind's run(unit, context)
    thread: threading.Thread | None = None  # made by begin()

    def running(self) -> bool:
        if self.thread is None:  # not begun yet: over only if stopped before it began
            return not self.context.stop.is_set()
        return self.thread.is_alive()

    def begin(self):
        if self.thread is None and not self.context.stop.is_set():
            self.thread = threading.Thread(target=_body, args=(self,), name=f"unit-{self.name}", daemon=True)
            self.thread.start()

    def interrupt(self):
        self.context.stop.set()

    def kill(self):
        self.context.stop.set()
        self.context.kill()


def create(unit, kind: UnitKind, installation: str, node: str, supervisor_tag: str) -> Threaded:
    """Make the thread of `unit` (its kind's `run`); `begin()` starts it."""
    log_path = kind.log_path(unit)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {k: str(v) for k, v in ((kind.env(unit) if kind.env else {}) or {}).items()}
    context = Context(threading.Event(), {**env, **procs.tags(installation, unit.name, node, supervisor_tag)})
    child = Threaded(unit_id=unit.pk, name=unit.name, pid=os.getpid(), log_path=str(log_path),
                     context=context, work=lambda: kind.run(unit, context))
    procs.note(log_path, f"node {node} starts unit {unit.name} in its unit host (pid {child.pid})")
    return child


def _body(child: Threaded):
    _routes[threading.get_ident()] = child.log_path
    try:
        child.exit_code = int(child.work() or 0)
    except SystemExit as exc:
        child.exit_code = exc.code if isinstance(exc.code, int) else 1
    except Exception:
        log.exception("Unit %s failed with an error in its unit host (pid %s).", child.name, child.pid)
        child.exit_code = 1
    finally:
        child.context.kill()  # nothing the unit started outlives it
        connections.close_all()
        _routes.pop(threading.get_ident(), None)


class UnitLogs(logging.Handler):
    """Appends each log record of a hosted unit's thread to that unit's log file."""

    def emit(self, record):
        path = _routes.get(record.thread)
        if path is None:
            return
        try:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(self.format(record) + "\n")
        except OSError:
            self.handleError(record)


def serve_logs():
    handler = UnitLogs()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)


def ensure(node: str, wanted: bool):
    """Keep this node's host unit desired running while `wanted`, else stopped (created on first need)."""
    from ..models import Desired, Unit
    from . import control

    name = unit_name(node)
    desired = Unit.objects.filter(name=name).values_list("desired", flat=True).first()
    want = Desired.RUNNING if wanted else Desired.STOPPED
    if desired == want or (desired is None and not wanted):
        return
    control.ensure_unit(name, KIND, {"node": node}, desired=want)


def command(unit) -> list[str]:
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), "supervise", "--node", unit.config["node"],
            "--host"]


def progress(unit, child) -> str | None:
    """A host whose loop stopped beating for most of a lease TTL is frozen: its units could run twice."""
    try:
        last = beat_file(unit.config["node"]).stat().st_mtime
    except OSError:
        last = 0.0
    now = time.time()
    if last < child.started:
        booting = now - child.started
        return None if booting <= BOOT_LIMIT else (
            f"stuck: the unit host did not start its loop in {booting:.0f}s (limit {BOOT_LIMIT:.0f}s)")
    limit = 0.6 * settings.SUPERVISOR_LEASE_TTL
    if now - last > limit:
        return f"stuck: the unit host's loop has not run for {now - last:.1f}s (limit {limit:.1f}s)"
    return None


def prepare(unit):
    path = beat_file(unit.config["node"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)


def touch(node: str):
    path = beat_file(node)
    try:
        path.touch()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


register(UnitKind(
    name=KIND,
    command=command,
    env=lambda unit: {"MEDIASUITE_PROCESS": "host"},
    progress=progress,
    prepare=prepare,
    description="Runs the hosted units of one node (channels) as threads, each owning its processes.",
))
