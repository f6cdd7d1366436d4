"""`make run` from the checkout: serves the pages, restarts what dies, stops cleanly."""

import os
import re
import signal
import subprocess

import psutil
import pytest
import requests
from django.core.management import call_command

from mediasuite.models import Club, User
from mediasuite.roles import Role

from ..conftest import ROOT, free_port, wait_for

# Whole installations under supervisord (here and in test_update.py) run one at a time on one
# xdist worker: several at once on a small machine starve each other past their start timeouts.
pytestmark = pytest.mark.xdist_group("supervisord")


def processes_of(data_dir):
    """Every live process started for this data directory (they inherit the variable)."""
    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get("MEDIASUITE_DATA_DIR") == str(data_dir):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def program_pids(data_dir):
    out = subprocess.run([str(ROOT / ".venv/bin/supervisorctl"), "-c", str(data_dir / "supervisord.conf"),
                          "status"], capture_output=True, text=True).stdout
    return {m[0]: int(m[1]) for m in re.findall(r"^(\w+)\s+RUNNING\s+pid (\d+)", out, re.M)}


def start_make_run(tmp_path):
    data_dir = tmp_path / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY")}
    env.update(MEDIASUITE_DATA_DIR=str(data_dir), MEDIASUITE_PORT=str(port),
               MEDIASUITE_ADMIN_PASSWORD="first-run-password", MEDIASUITE_NODE_NAME=f"make-run-{port}")
    log = open(tmp_path / "make-run.log", "wb")  # noqa: SIM115
    make = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def healthy():
        assert make.poll() is None, (tmp_path / "make-run.log").read_text()
        try:
            body = requests.get(f"{base}/api/health", timeout=2).json()
        except requests.RequestException:
            return False
        return body["manager_initialized"] and body

    wait_for(healthy, timeout=120, interval=0.2, message="make run to serve a healthy MediaSuite")
    return make, base, data_dir


def answers(url):
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


def logged_in(base):
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    response = session.post(f"{base}/accounts/login/", data={
        "username": "admin", "password": "first-run-password",
        "csrfmiddlewaretoken": session.cookies["csrftoken"]}, headers={"Referer": f"{base}/accounts/login/"})
    assert response.url == f"{base}/"
    return session


@pytest.mark.processes
@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_make_run_serves_restarts_and_stops_clean(stop, tmp_path):
    make, base, data_dir = start_make_run(tmp_path)
    try:
        session = logged_in(base)
        for path, text in (("/", "Dashboard"), ("/settings/", "Settings"), ("/admin/", "Operator home"),
                           ("/api/docs/", "swagger-ui")):
            response = session.get(f"{base}{path}")
            assert response.status_code == 200 and text in response.text, path
        output = (tmp_path / "make-run.log").read_text()
        for prefix in ("web ", "worker ", "supervisor "):
            assert re.search(rf"^{prefix}\s*\| ", output, re.M), f"no line prefixed {prefix!r}"

        before = program_pids(data_dir)
        assert set(before) == {"web", "worker", "supervisor"}
        os.kill(before["web"], signal.SIGKILL)
        after = wait_for(lambda: (p := program_pids(data_dir)).get("web") not in (None, before["web"]) and p,
                         timeout=30, message="supervisord to restart the web process")
        assert after["worker"] == before["worker"] and after["supervisor"] == before["supervisor"]
        wait_for(lambda: answers(f"{base}/api/health"), timeout=30, message="the web process to answer again")
        assert processes_of(data_dir)
    finally:
        if stop == "ctrl-c":
            os.killpg(make.pid, signal.SIGINT)
        else:
            supervisord = int((data_dir / "supervisord.pid").read_text())
            os.kill(supervisord, signal.SIGTERM)
        make.wait(60)
    assert wait_for(lambda: not processes_of(data_dir), timeout=30, message="every process to end")


def test_bootstrap_creates_the_admin_once_and_prints_a_generated_password(db, settings, capsys):
    settings.ADMIN_PASSWORD = ""
    call_command("bootstrap")
    first = capsys.readouterr().out
    password = re.search(r"with password: (\S+)", first).group(1)
    admin = User.objects.get(username="admin")
    assert admin.role == Role.SUPER_ADMIN and admin.check_password(password)
    call_command("bootstrap")
    assert "password" not in capsys.readouterr().out
    assert User.objects.filter(role=Role.SUPER_ADMIN).count() == 1
    assert Club.objects.filter(slug="demo-club").exists()
