"""The supervisor with real processes: restore after kill -9, crash loops, stuck units, stop/restart.

Each test starts `manage.py supervise` as a real process on the test database
and drives it through the database, as the web process does. Waits poll the
database and /proc (tests.conftest.wait_for); nothing sleeps on a guess.
"""

import os
import signal
import time

import psutil
import pytest

from mediasuite.models import Desired, Event, Lease, SupervisorNode, Unit, UnitState
from mediasuite.supervisor import control, nodes
from tests.conftest import wait_for

# Fast clocks for the tests; the defaults (1 s / 60 s / 5 in 10 min / 10 s) stay in settings.
FAST = {
    "MEDIASUITE_PROCESS": "supervisor",
    "MEDIASUITE_SUPERVISOR_TICK": "0.1",
    "MEDIASUITE_LEASE_TTL": "3",
    "MEDIASUITE_BACKOFF_BASE": "0.2",
    "MEDIASUITE_BACKOFF_CAP": "1.6",
    "MEDIASUITE_FAILURE_LIMIT": "5",
    "MEDIASUITE_FAILURE_WINDOW": "600",
    "MEDIASUITE_START_SECONDS": "0.3",
    "MEDIASUITE_HEALTHY_AFTER": "1",
    "MEDIASUITE_STOP_TIMEOUT": "3",
}
NODE_PREFIX = f"t{os.getpid()}-"  # node names of this test session only


def node(name: str) -> str:
    return NODE_PREFIX + name


def alive(pid) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def unit_tag(pid) -> str | None:
    try:
        return psutil.Process(pid).environ().get("MEDIASUITE_UNIT")
    except psutil.Error:
        return None


def unit_processes():
    """Live processes carrying a unit tag of a test node: {pid: unit name}."""
    found = {}
    for proc in psutil.process_iter():
        try:
            environ = proc.environ()
            if environ.get("MEDIASUITE_NODE", "").startswith(NODE_PREFIX) and alive(proc.pid):
                found[proc.pid] = environ["MEDIASUITE_UNIT"]
        except psutil.Error:
            continue
    return found




@pytest.fixture
def supervisor(spawn):
    """supervisor(name, **env) starts `manage.py supervise --node <prefix><name>`; stopped at teardown."""
    started = []

    def start(name, **env):
        proc = spawn(f"supervise-{name}-{len(started)}", "supervise", "--node", node(name),
                     env={**FAST, **env})
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop(signal.SIGTERM)
    for pid in unit_processes():  # never leave a unit process behind, even when a test failed
        os.kill(pid, signal.SIGKILL)


def heartbeat_unit(name, folder, desired=Desired.RUNNING, **config):
    return control.ensure_unit(name, "heartbeat", {"interval": 0.2, "file": str(folder / f"{name}.beat"),
                                                   **config}, desired=desired)


def is_running(unit: Unit, not_pids=()) -> bool:
    """Running in the database, and a live process of that unit behind it."""
    return (unit.state == UnitState.RUNNING and unit.pid not in not_pids and alive(unit.pid)
            and unit_tag(unit.pid) == unit.name)


def fresh_beat(path, since: float, interval=0.2) -> bool:
    try:
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        return False
    return mtime >= since and time.time() - mtime <= 3 * interval


def state_events(unit):
    return list(Event.objects.filter(kind="unit.state", subject_type="unit", subject_id=str(unit.pk))
                .order_by("id"))


@pytest.mark.processes
def test_kill_9_then_restart_adopts_every_live_unit_and_restores_the_rest(supervisor, tmp_path):
    names = [f"hb{i:02d}" for i in range(10)]
    for name in names:
        heartbeat_unit(name, tmp_path)
    idle = heartbeat_unit("idle", tmp_path, desired=Desired.STOPPED)
    first = supervisor("node")
    wait_for(lambda: all(is_running(u) for u in Unit.objects.filter(name__in=names)), timeout=30,
             message="10 units running under the first supervisor")
    old = dict(Unit.objects.filter(name__in=names).values_list("name", "pid"))
    assert set(old.values()) <= set(unit_processes())

    os.kill(first.pid, signal.SIGKILL)
    first.popen.wait(5)
    assert all(alive(pid) for pid in old.values()), "kill -9 leaves the children running"
    os.kill(old["hb00"], signal.SIGKILL)  # one dies while no supervisor watches: it is restored
    wait_for(lambda: not alive(old["hb00"]), message="hb00 gone")
    last = Event.objects.order_by("-id").values_list("id", flat=True).first()

    began_wall, began = time.time(), time.monotonic()
    supervisor("node")

    def settled():
        units = {u.name: u for u in Unit.objects.filter(name__in=names)}
        back = is_running(units["hb00"], not_pids=[old["hb00"]]) and fresh_beat(tmp_path / "hb00.beat",
                                                                                  began_wall)
        kept = all(is_running(units[name]) and units[name].pid == old[name] for name in names[1:])
        return back and kept and units

    units = wait_for(settled, timeout=20.0, interval=0.05, message="hb00 restored, the others adopted")
    print(f"\nadopted 9 units, restored 1 in {time.monotonic() - began:.2f}s after restarting the supervisor")
    adopted = Event.objects.filter(kind="unit.adopted", id__gt=last)
    assert sorted(adopted.values_list("payload__pid", flat=True)) == sorted(old[n] for n in names[1:])
    for name in names[1:]:  # an adopted unit keeps its state: no transition at all
        states = Event.objects.filter(kind="unit.state", subject_id=str(units[name].pk), id__gt=last)
        assert not states.exists(), list(states.values_list("message", flat=True))
    assert all(fresh_beat(tmp_path / f"{name}.beat", began_wall) for name in names)
    assert sorted(unit_processes().values()) == names  # exactly one process per unit, none for `idle`
    idle.refresh_from_db()
    assert idle.state == UnitState.STOPPED and idle.pid is None
    assert {lease.node for lease in Lease.objects.filter(unit__in=units.values())} == {node("node")}
    assert SupervisorNode.objects.get(name=node("node")).pid != first.pid

    # The new supervisor drives what it adopted: a stop is a clean stop, and nothing is left behind.
    control.stop(None, units["hb01"])
    wait_for(lambda: Unit.objects.get(name="hb01").state == UnitState.STOPPED, timeout=10,
             message="the adopted unit stopped")
    assert not alive(old["hb01"])
    assert "hb01" not in unit_processes().values()


@pytest.mark.processes
def test_crash_loop_backs_off_fails_with_reason_and_recovers_by_itself(supervisor, tmp_path):
    flag = tmp_path / "crash"
    flag.touch()
    unit = heartbeat_unit("crashy", tmp_path, crash_while=str(flag))
    supervisor("crash")

    def failed():
        unit.refresh_from_db()
        return unit.state == UnitState.FAILED

    wait_for(failed, timeout=20, message="the crash-looping unit to reach failed")
    assert unit.exit_code == 3
    assert "exited with code 3" in unit.reason
    assert f"refusing to start while {flag}" in unit.reason  # the last lines of its log
    assert unit.desired == Desired.RUNNING

    events = state_events(unit)
    backoffs = [e.payload for e in events if e.payload["state"] == UnitState.BACKOFF]
    assert len(backoffs) == 4  # failures 1..4 back off, the 5th in the window is `failed`
    delays = [p["delay"] for p in backoffs]
    assert delays == sorted(delays) and delays[-1] > 3 * delays[0], delays  # 0.2, 0.4, 0.8, 1.6 (+-10%)
    assert all(p["exit_code"] == 3 for p in backoffs)
    failed_event = next(e for e in events if e.payload["state"] == UnitState.FAILED)
    assert failed_event.payload["failures_in_window"] == 5
    assert failed_event.club_id == unit.club_id and failed_event.subject_id == str(unit.pk)

    # Still retrying, at the cap: another attempt and another `failed` come by themselves.
    count = len([e for e in events if e.payload["state"] == UnitState.FAILED])
    wait_for(lambda: len([e for e in state_events(unit) if e.payload["state"] == UnitState.FAILED]) > count,
             timeout=10, message="a retry at the cap")

    flag.unlink()

    def recovered():
        unit.refresh_from_db()
        return is_running(unit) and unit.consecutive_failures == 0 and unit.failure_times == []

    wait_for(recovered, timeout=15, message="the unit to run again and forget its failures")
    assert unit.reason == ""


@pytest.mark.processes
def test_stuck_unit_is_detected_by_the_progress_check_and_restarted(supervisor, tmp_path):
    hang = tmp_path / "hang"
    unit = heartbeat_unit("stucky", tmp_path, hang_while=str(hang))
    supervisor("stuck")
    wait_for(lambda: is_running(Unit.objects.get(pk=unit.pk)), timeout=20, message="the unit running")
    first_pid = Unit.objects.get(pk=unit.pk).pid

    hang.touch()  # alive, but no more heartbeats
    stuck = wait_for(lambda: [e for e in state_events(unit) if e.payload["state"] == UnitState.BACKOFF],
                     timeout=10, message="the stuck unit to be stopped and counted as a failure")
    assert stuck[0].payload["reason"].startswith("stuck: heartbeat file")
    hang.unlink()

    def restarted():
        current = Unit.objects.get(pk=unit.pk)
        return is_running(current, not_pids=[first_pid]) and current

    current = wait_for(restarted, timeout=10, message="the unit running again in a new process")
    assert not alive(first_pid)
    assert current.consecutive_failures in (0, 1)


@pytest.mark.processes
def test_restart_stop_and_clean_shutdown(supervisor, tmp_path):
    unit = heartbeat_unit("driven", tmp_path)
    other = heartbeat_unit("kept", tmp_path)
    sup = supervisor("drive")
    wait_for(lambda: all(is_running(u) for u in Unit.objects.filter(pk__in=[unit.pk, other.pk])),
             timeout=20, message="both units running")
    pid = Unit.objects.get(pk=unit.pk).pid
    assert nodes.alive()  # /api/health reads the node heartbeat

    control.restart(None, unit)
    new = wait_for(lambda: (u := Unit.objects.get(pk=unit.pk)) and is_running(u, not_pids=[pid]) and u,
                   timeout=10, message="the restart")
    assert not alive(pid) and new.restart_requested_at is None
    states = [e.payload["state"] for e in state_events(unit)]
    assert states[-3:] == ["stopping", "starting", "running"]

    heartbeat_unit("driven", tmp_path, hang_while=str(tmp_path / "never"))  # new config: restarted
    newer = wait_for(lambda: (u := Unit.objects.get(pk=unit.pk)) and is_running(u, not_pids=[pid, new.pid])
                     and u, timeout=10, message="the restart after a config change")
    assert "--hang-while" in " ".join(psutil.Process(newer.pid).cmdline())
    new = newer

    control.stop(None, unit)
    # The supervisor writes the stopped state, then releases the lease: wait for both.
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.STOPPED
             and not Lease.objects.filter(unit=unit).exists(), timeout=10, message="the unit stopped")
    assert not alive(new.pid)

    kept_pid = Unit.objects.get(pk=other.pk).pid
    sup.stop(signal.SIGTERM)  # SIGINT to each child, release leases, exit
    assert sup.popen.returncode == 0
    assert not alive(kept_pid)
    kept = Unit.objects.get(pk=other.pk)
    assert kept.desired == Desired.RUNNING and kept.state == UnitState.STOPPED
    assert not Lease.objects.exists() and not SupervisorNode.objects.filter(name=node("drive")).exists()
    assert not nodes.alive()

    supervisor("drive")  # desired state kept: it comes back with the next supervisor
    wait_for(lambda: is_running(Unit.objects.get(pk=other.pk)), timeout=20, message="the unit back")
    assert Unit.objects.get(pk=unit.pk).state == UnitState.STOPPED
