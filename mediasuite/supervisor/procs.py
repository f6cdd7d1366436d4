"""Child processes: spawn in a session of their own, tag, stop, find leftovers.

Every child carries four environment variables (inherited by whatever it
starts): MEDIASUITE_INSTALLATION (mediasuite.installation), MEDIASUITE_UNIT,
MEDIASUITE_NODE and MEDIASUITE_SUPERVISOR ("<pid>:<create time>" of the
supervisor that started it). A restarted supervisor reads them from /proc
through psutil: it adopts the live unit processes of its own node that it
can hold again (supervisor.adoption) and ends every other tagged process of
its installation whose supervisor is gone: no orphan survives a crash of the
supervisor, and nothing that plays or records stops for it. Processes of
another installation on the same host are never touched, even when their
unit and node names are the same.
"""

import contextlib
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psutil
from django.conf import settings

log = logging.getLogger("mediasuite.supervisor")

INSTALLATION_VAR = "MEDIASUITE_INSTALLATION"
UNIT_VAR = "MEDIASUITE_UNIT"
NODE_VAR = "MEDIASUITE_NODE"
SUPERVISOR_VAR = "MEDIASUITE_SUPERVISOR"


def process_tag(proc: psutil.Process) -> str:
    """The MEDIASUITE_SUPERVISOR value of `proc`: its pid and start time, unique on this host."""
    return f"{proc.pid}:{proc.create_time()!r}"


# A process is the same one when its start time matches within this many
# seconds (psutil's create_time is a float rounded differently by each read).
START_TIME_SLACK = 0.05


def is_alive(pid: int | None, create_time: float | None = None) -> bool:
    """Whether `pid` is a live (non-zombie) process, started at `create_time` when given."""
    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        return create_time is None or abs(proc.create_time() - create_time) < START_TIME_SLACK
    except psutil.Error:
        return False


def tag_is_alive(tag: str | None) -> bool:
    try:
        pid, created = (tag or "").split(":", 1)
        return is_alive(int(pid), float(created))
    except ValueError:
        return False


@dataclass(kw_only=True)
class Child:
    """One unit run by this supervisor: a process it spawned, one it adopted, or a hosted thread.

    The loop only uses this interface: `running()`, `exit_code` once it is
    over (None when unknown), `interrupt()` (the clean stop: SIGINT) and
    `kill()` (SIGKILL).
    """

    unit_id: int
    name: str
    log_path: str
    pid: int
    started: float = field(default_factory=time.time)
    stop_deadline: float | None = None  # monotonic; set when a stop began
    killed: bool = False
    then: str = ""  # why we stop it: "stop", "restart", "stuck", "shutdown"
    reason: str = ""
    marked_running: bool = False
    had_failures: bool = False
    unit: object = None  # the Unit row as last read by the loop
    exit_code: int | None = None

    def running(self) -> bool:
        raise NotImplementedError

    def interrupt(self):
        signal_group(self.pid, signal.SIGINT)

    def kill(self):
        signal_group(self.pid, signal.SIGKILL)


@dataclass(kw_only=True)
class Spawned(Child):
    """A process this supervisor started (its session leader: the group is its pid)."""

    popen: subprocess.Popen

    def running(self) -> bool:
        self.exit_code = self.popen.poll()
        return self.exit_code is None


@dataclass(kw_only=True)
class Adopted(Child):
    """A live process started by a previous supervisor of this node, taken over after it died.

    It is not this process's child, so its exit code is unknown (None): its
    end is seen by its pid and start time.
    """

    def running(self) -> bool:
        return is_alive(self.pid, self.started)


def spawn(unit, kind, installation: str, node: str, supervisor_tag: str) -> Child:
    """Start `unit` with its kind's command; stdout and stderr go to its log file."""
    argv = [str(part) for part in kind.command(unit)]
    log_path = kind.log_path(unit)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **{k: str(v) for k, v in ((kind.env(unit) if kind.env else {}) or {}).items()},
           **tags(installation, unit.name, node, supervisor_tag)}
    note(log_path, f"node {node} starts unit {unit.name}: {' '.join(argv)}")
    with open(log_path, "ab") as logfile:
        popen = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=logfile, stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR, env=env, start_new_session=True, close_fds=True,
        )
    return Spawned(unit_id=unit.pk, name=unit.name, popen=popen, pid=popen.pid, log_path=str(log_path))


def tags(installation: str, unit: str, node: str, supervisor_tag: str) -> dict[str, str]:
    """The environment variables that tell whose a process is (see the module's docstring)."""
    return {INSTALLATION_VAR: installation, UNIT_VAR: unit, NODE_VAR: node, SUPERVISOR_VAR: supervisor_tag}


def note(log_path, line: str):
    """Append a supervisor's line (stamped, marked "===") to a unit's log file."""
    with contextlib.suppress(OSError), open(log_path, "ab") as logfile:
        logfile.write(f"=== {datetime.now(UTC).isoformat(timespec='seconds')} {line}\n".encode())


def signal_group(pgid: int, sig: int) -> bool:
    """Send `sig` to the process group; False when the group is already gone."""
    try:
        os.killpg(pgid, sig)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        log.error("Not allowed to signal process group %s: run the supervisor as the user "
                  "that owns the unit processes.", pgid)
        return False


def begin_stop(child: Child, then: str, reason: str = ""):
    """The clean stop (SIGINT to a process's group); `advance_stop` finishes the job."""
    if child.stop_deadline is None:
        child.then, child.reason = then, reason
        child.stop_deadline = time.monotonic() + settings.SUPERVISOR_STOP_TIMEOUT
        child.interrupt()


def advance_stop(child: Child) -> bool:
    """SIGKILL once when the deadline passed; True once the child is over."""
    if not child.running():
        # Stray members of the group (a shell's children) do not outlive the leader.
        child.kill()
        return True
    if child.stop_deadline is not None and time.monotonic() >= child.stop_deadline and not child.killed:
        log.warning("Unit %s (pid %s) did not stop within %ss of SIGINT; killing it.",
                    child.name, child.pid, settings.SUPERVISOR_STOP_TIMEOUT)
        child.killed = True
        child.kill()
    return False


def kill_now(child: Child):
    child.killed = True
    child.stop_deadline = child.stop_deadline or time.monotonic()
    child.kill()


def stop_all(children: list[Child], then: str = "shutdown", timeout: float | None = None,
             on_wait=None) -> dict:
    """Stop several children at once (SIGINT, wait, SIGKILL once); returns {unit_id: exit_code}.

    `on_wait` is called about every second while waiting (the loop renews its leases there).
    """
    for child in children:
        begin_stop(child, then)
    codes: dict[int, int | None] = {}
    deadline = time.monotonic() + (settings.SUPERVISOR_STOP_TIMEOUT if timeout is None else timeout) + 5
    waited = time.monotonic()
    while len(codes) < len(children) and time.monotonic() < deadline:
        if on_wait is not None and time.monotonic() - waited >= 1.0:
            waited = time.monotonic()
            on_wait()
        for child in children:
            if child.unit_id not in codes and advance_stop(child):
                codes[child.unit_id] = child.exit_code
        time.sleep(0.02)
    return codes


@dataclass
class Tagged:
    pid: int
    pgid: int
    unit: str
    node: str
    supervisor: str


def tagged_processes(installation: str) -> list[Tagged]:
    """Every live process on this host that carries a unit tag of `installation`."""
    found = []
    me = os.getpid()
    for proc in psutil.process_iter():
        if proc.pid == me:
            continue
        try:
            environ = proc.environ()
            if (UNIT_VAR not in environ or environ.get(INSTALLATION_VAR) != installation
                    or proc.status() == psutil.STATUS_ZOMBIE):
                continue
            found.append(Tagged(proc.pid, os.getpgid(proc.pid), environ[UNIT_VAR],
                                environ.get(NODE_VAR, ""), environ.get(SUPERVISOR_VAR, "")))
        except (psutil.Error, OSError):
            continue
    return found


def leftovers(installation: str, keep_groups=()) -> list[Tagged]:
    """This installation's processes whose supervisor is dead, but for the groups in `keep_groups`
    (the units this supervisor adopted: their tag still names the supervisor that started them)."""
    return [t for t in tagged_processes(installation)
            if t.pgid not in keep_groups and not tag_is_alive(t.supervisor)]


def end(processes: list[Tagged], timeout: float | None = None) -> list[Tagged]:
    """End `processes`: SIGINT to their groups, wait, SIGKILL once; returns them.

    The caller says so in each unit's event and log.
    """
    if not processes:
        return []
    groups = {item.pgid for item in processes}
    for pgid in groups:
        signal_group(pgid, signal.SIGINT)
    limit = settings.SUPERVISOR_STOP_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(is_alive(item.pid) for item in processes):
        time.sleep(0.02)
    for pgid in groups:
        if any(is_alive(item.pid) for item in processes if item.pgid == pgid):
            log.warning("Leftover process group %s ignored SIGINT for %ss; sending SIGKILL.", pgid, limit)
            signal_group(pgid, signal.SIGKILL)
    return processes


def log_tail(path: str, lines: int = 15, limit: int = 4000) -> str:
    """The last lines of a unit's log, for the reason shown to the user."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 16384))
            data = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    tail = "\n".join(data.splitlines()[-lines:])
    return tail[-limit:]


def describe_exit(code: int | None) -> str:
    if code is None:
        return "ended (exit code unknown: the process was adopted after a supervisor restart)"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exited with code {code}"
