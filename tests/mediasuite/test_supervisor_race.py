"""Supervisors started at once on one database never run the same unit twice."""

import os
import signal
import threading
import time
from collections import Counter

import psutil
import pytest
from django.conf import settings

from mediasuite.models import Event, Lease, Unit, UnitState
from tests.conftest import wait_for

from .test_supervisor import alive, heartbeat_unit, node, supervisor  # noqa: F401  (fixture)

TRIALS = 8
NODES = "abc"  # started together in each trial: three contenders for every unit
UNITS = 6


class Watch(threading.Thread):
    """Polls the children of the supervisors; remembers any unit carried by two live processes."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.parents = [psutil.Process(pid) for pid in pids]
        self.done = threading.Event()
        self.duplicates = []
        self.samples = 0

    def run(self):
        while not self.done.is_set():
            seen = Counter()
            for parent in self.parents:
                try:
                    children = parent.children()
                except psutil.Error:
                    continue
                for child in children:
                    try:
                        if child.status() != psutil.STATUS_ZOMBIE:
                            seen[child.environ().get("MEDIASUITE_UNIT")] += 1
                    except psutil.Error:
                        continue
            twice = [name for name, count in seen.items() if name and count > 1]
            if twice:
                self.duplicates.append(twice)
            self.samples += 1
            time.sleep(0.02)


@pytest.mark.processes
def test_supervisors_started_at_once_never_run_a_unit_twice(supervisor, tmp_path):  # noqa: F811
    units = [heartbeat_unit(f"race{i}", tmp_path, interval=0.5) for i in range(UNITS)]
    ids = [u.pk for u in units]
    spread = Counter()
    for trial in range(TRIALS):
        started = [supervisor(f"{letter}{trial}") for letter in NODES]
        watch = Watch([proc.pid for proc in started])
        watch.start()
        nodes = {node(f"{letter}{trial}"): letter for letter in NODES}

        def settled(nodes=nodes):
            rows = list(Unit.objects.filter(pk__in=ids).select_related("lease"))
            ok = all(u.state in (UnitState.STARTING, UnitState.RUNNING) and alive(u.pid)
                     and Lease.objects.filter(unit=u).exists() and u.lease.node in nodes for u in rows)
            return ok and rows

        rows = wait_for(settled, timeout=20, message=f"trial {trial}: every unit started once")
        spread.update(nodes[u.lease.node] for u in rows)
        for proc in started:  # all told at once, then each awaited
            os.kill(proc.pid, signal.SIGTERM)
        for proc in started:
            proc.stop()
        watch.done.set()
        watch.join()
        assert watch.samples > 0
        assert not watch.duplicates, f"trial {trial}: units run twice: {watch.duplicates[:3]}"
        assert not Lease.objects.exists()
    print(f"\n{TRIALS} trials, no unit ever ran twice; units held per node letter: {dict(spread)}")


@pytest.mark.processes
def test_a_frozen_node_loses_its_units_to_another_without_running_them_twice(supervisor, tmp_path):  # noqa: F811
    unit = heartbeat_unit("frozen", tmp_path, interval=0.2)
    a = supervisor("frozen")
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.RUNNING, timeout=20,
             message="the unit running on the first node")
    first_pid = Unit.objects.get(pk=unit.pk).pid
    os.kill(a.pid, signal.SIGSTOP)  # alive, holding its lease, but no longer beating
    try:
        last_beat = Lease.objects.get(unit=unit).heartbeat_at
        b = supervisor("taker")
        watch = Watch([a.pid, b.pid])
        watch.start()

        def taken():
            # The taker's own process running (not the instant between its lease
            # UPDATE and its launch, when the row still shows the old pid).
            current = Unit.objects.select_related("lease").get(pk=unit.pk)
            return (current.state == UnitState.RUNNING and current.lease.node == node("taker")
                    and current.pid != first_pid and alive(current.pid) and current)

        current = wait_for(taken, timeout=20, message="the second node to take the unit over")
        # MEDIASUITE_LEASE_TTL in the tests is 3 s: a live lease is never taken early.
        assert (current.lease.acquired_at - last_beat).total_seconds() >= 3.0
        assert not alive(first_pid)
    finally:
        os.kill(a.pid, signal.SIGCONT)
    # The first node wakes up, finds its lease gone and leaves the unit (and its state) alone.
    a.stop()
    assert a.popen.returncode == 0
    current = Unit.objects.select_related("lease").get(pk=unit.pk)
    assert current.state == UnitState.RUNNING and current.lease.node == node("taker") and alive(current.pid)
    watch.done.set()
    watch.join()
    assert not watch.duplicates
    # Who ended the frozen node's process, and why, is in the unit's event and its log.
    taker = node("taker")
    said = (f"Process {first_pid} of unit frozen ended by supervisor node {taker}: its lease moved to "
            f"node {taker} from supervisor {a.pid}:")
    killed = Event.objects.get(kind="unit.killed", subject_id=str(unit.pk))
    assert killed.message.startswith(said) and killed.payload["pid"] == first_pid
    assert said in (settings.UNIT_LOG_DIR / "frozen.log").read_text()
