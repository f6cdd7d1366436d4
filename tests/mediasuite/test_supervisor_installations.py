"""Two installations on one host leave each other's processes alone.

Each has its own data directory and database but the same unit names and the
same node name (two supervisors on one host both default to the host name).
Before installations had an id, each supervisor killed the other's processes
of the same unit name as "strays" at every start, and they flapped forever.
"""

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import psycopg
import pytest
from django.db import connection

from mediasuite.installation import installation_id
from mediasuite.models import Unit, UnitState
from mediasuite.supervisor import control
from tests.conftest import ROOT, database_url, wait_for

from .test_supervisor import FAST, alive

UNITS = ["demo-camera", "channel-demo-mix", "demo-beat"]
NODE = f"host{os.getpid()}"
HOLD = 60.0

# What a test reads of an installation, through its own database (a separate process per installation).
SNAPSHOT = """
import json
from mediasuite.installation import installation_id
from mediasuite.models import Event, Unit
print(json.dumps({
    "installation": installation_id(),
    "units": {u.name: {"state": u.state, "pid": u.pid, "failures": u.consecutive_failures}
              for u in Unit.objects.all()},
    "events": list(Event.objects.filter(kind__startswith="unit.").exclude(kind="unit.created")
                   .order_by("id").values_list("kind", "subject_id", "payload")),
}))
"""
CREATE = """
from mediasuite.models import Desired
from mediasuite.supervisor import control
for name in {names!r}:
    control.ensure_unit(name, "heartbeat", {{"interval": 1.0}}, desired=Desired.RUNNING)
"""


def manage(env, *args) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def snapshot(env) -> dict:
    return json.loads(manage(env, "shell", "-c", SNAPSHOT).strip().splitlines()[-1])


@pytest.fixture
def second_database(tmp_path):
    """The URL of an empty database for the second installation (on PostgreSQL, created and dropped here)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'second.sqlite3'}"
        return
    own = connection.settings_dict
    name = f"{own['NAME']}_second"
    server = {"host": own["HOST"] or "127.0.0.1", "port": own["PORT"] or 5432, "user": own["USER"],
              "password": own.get("PASSWORD") or None, "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield database_url().rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def installations(spawn, process_env, second_database, tmp_path):
    """(env of the first, env of the second): the test's own database and a migrated second one."""
    second = {**process_env, "MEDIASUITE_DATA_DIR": str(tmp_path / "second"), "DATABASE_URL": second_database}
    manage(second, "migrate", "--noinput", "-v0")
    yield process_env, second
    for proc in psutil.process_iter():  # never leave a unit process behind, even when the test failed
        try:
            if proc.environ().get("MEDIASUITE_NODE") == NODE:
                os.kill(proc.pid, signal.SIGKILL)
        except psutil.Error:
            continue


def tagged_installation(pid) -> str | None:
    try:
        return psutil.Process(pid).environ().get("MEDIASUITE_INSTALLATION")
    except psutil.Error:
        return None


def all_running(env) -> dict | None:
    seen = snapshot(env)
    units = seen["units"]
    ok = sorted(units) == sorted(UNITS) and all(
        u["state"] == UnitState.RUNNING and alive(u["pid"]) for u in units.values())
    return seen if ok else None


@pytest.mark.processes
def test_two_installations_on_one_host_never_kill_each_others_processes(spawn, installations):
    first, second = installations
    for name in UNITS:
        control.ensure_unit(name, "heartbeat", {"interval": 1.0}, desired="running")
    manage(second, "shell", "-c", CREATE.format(names=UNITS))

    spawn("supervise-first", "supervise", "--node", NODE, env=FAST)
    wait_for(lambda: all_running(first), timeout=40, interval=0.5, message="the first installation's units")
    spawn("supervise-second", "supervise", "--node", NODE, env={**FAST, **second})
    before = {"first": wait_for(lambda: all_running(first), timeout=40, interval=0.5,
                                message="the first installation's units"),
              "second": wait_for(lambda: all_running(second), timeout=40, interval=0.5,
                                 message="the second installation's units")}
    pids = {side: {name: u["pid"] for name, u in seen["units"].items()} for side, seen in before.items()}
    assert before["first"]["installation"] == installation_id()
    assert before["first"]["installation"] != before["second"]["installation"]
    assert not set(pids["first"].values()) & set(pids["second"].values())
    for side, seen in before.items():
        assert {tagged_installation(pid) for pid in pids[side].values()} == {seen["installation"]}

    # Hold: both supervisors keep reconciling (and sweeping for leftovers every 10 s) side by side.
    held_from = time.monotonic()
    while time.monotonic() - held_from < HOLD:
        gone = [pid for side in pids.values() for pid in side.values() if not alive(pid)]
        assert not gone, f"unit processes {gone} ended while both installations ran"
        current = dict(Unit.objects.values_list("name", "pid"))
        assert current == pids["first"], f"the first installation's units changed process: {current}"
        time.sleep(1.0)

    after = {"first": snapshot(first), "second": snapshot(second)}
    for side, seen in after.items():
        assert {name: u["pid"] for name, u in seen["units"].items()} == pids[side], side
        assert all(u["state"] == UnitState.RUNNING and u["failures"] == 0
                   for u in seen["units"].values()), side
        kinds = [kind for kind, _, _ in seen["events"]]
        assert kinds == ["unit.state"] * 2 * len(UNITS), f"{side}: {kinds}"
        for subject in {subject for _, subject, _ in seen["events"]}:
            states = [payload["state"] for _, s, payload in seen["events"] if s == subject]
            assert states == [UnitState.STARTING, UnitState.RUNNING], f"{side}: unit {subject} went {states}"
