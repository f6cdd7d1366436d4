"""An installation of MediaSuite to update, for the self-update tests.

`Installation` copies the project as it is now into a work clone (commit A),
publishes it to a local bare repository (the remote) and clones that into the
installation, with its own `.env`, SQLite database and web process. The test
plays the service manager: a fake `systemctl` (and `service`) on PATH records
each call, and `serve()` answers a recorded restart by stopping the web
process and starting it again from the installation, as systemd would.
"""

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import requests
from django.db.migrations.loader import MigrationLoader

from tests.conftest import PASSWORD, ROOT, free_port, wait_for

STRIP = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "DISCORD_WEBHOOK_URL",
         "AUTO_RESTART_SERVICE")
AUTHOR = ("-c", "user.name=Test", "-c", "user.email=test@example.org")
FAKE_TOOL = """#!/bin/sh
echo "$@" >> "{calls}"
{tail}
"""
NO_SYSTEMD = 'echo "System has not been booted with systemd as init system (PID 1)." >&2; exit 1'



def git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def leaf_migration() -> str:
    return MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("mediasuite")[0][1]


def migration(name: str, depends: str, sql: str) -> str:
    return (f"from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
            f"    dependencies = [(\"mediasuite\", \"{depends}\")]\n"
            f"    operations = [migrations.RunSQL({sql!r}, migrations.RunSQL.noop)]\n")


class Installation:
    def __init__(self, tmp: Path, auto_restart: bool = True, verify_timeout: int = 90,
                 tools_fail: bool = False):
        self.tmp = tmp
        self.work = tmp / "work"
        self.remote = tmp / "remote.git"
        self.path = tmp / "install"
        self.bin = tmp / "bin"
        self.port = free_port()
        self.web = None
        self.restarts = 0
        self.tools_fail = tools_fail
        self._copy_project()
        git(self.tmp, "clone", "-q", "--bare", str(self.work), str(self.remote))
        git(self.work, "remote", "add", "origin", str(self.remote))
        git(self.work, "fetch", "-q", "origin")
        git(self.tmp, "clone", "-q", str(self.remote), str(self.path))
        self.commit_a = git(self.path, "rev-parse", "HEAD")
        self.env_text = (f"MEDIASUITE_PORT={self.port}\nSECRET_KEY=installation-test-key-0123456789abcdef\n"
                         f"AUTO_RESTART_SERVICE={auto_restart}\nMEDIASUITE_UPDATE_VERIFY_TIMEOUT={verify_timeout}\n"
                         "MEDIASUITE_WORKERS=1\n")
        (self.path / ".env").write_text(self.env_text)
        self.bin.mkdir()
        for tool in ("systemctl", "service"):
            script = self.bin / tool
            script.write_text(FAKE_TOOL.format(calls=tmp / f"{tool}.calls",
                                               tail=NO_SYSTEMD if tools_fail else "exit 0"))
            script.chmod(0o755)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in STRIP and not k.startswith("MEDIASUITE_") and not k.startswith("PYTEST")}
        self.env.update(PATH=f"{self.bin}:{os.environ['PATH']}", PYTHONUNBUFFERED="1")
        self.manage("migrate", "--noinput", "-v0")
        self.token = self.manage("shell", "-c", (
            "from mediasuite.models import User; from mediasuite.accounts import insert_api_token; "
            "from rest_framework.authtoken.models import Token; "
            f"u = User.objects.create_user('root', password={PASSWORD!r}, role='SUPER_ADMIN', "
            "is_staff=True); "
            "print(insert_api_token(Token(user=u)))")).strip().splitlines()[-1]

    def _copy_project(self):
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                                capture_output=True).stdout.decode().split("\0")
        for name in filter(None, listed):
            source = ROOT / name
            if source.is_file() and not source.is_symlink():
                target = self.work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        git(self.tmp, "init", "-q", "-b", "main", str(self.work))
        git(self.work, *AUTHOR, "add", "-A")
        git(self.work, *AUTHOR, "commit", "-q", "-m", "A")

    # -- the remote moves on --------------------------------------------------------------------

    def publish(self, files: dict[str, str], message: str = "B") -> str:
        for name, text in files.items():
            (self.work / name).parent.mkdir(parents=True, exist_ok=True)
            (self.work / name).write_text(text)
        git(self.work, *AUTHOR, "add", "-A")
        git(self.work, *AUTHOR, "commit", "-q", "-m", message)
        git(self.work, "push", "-q", "origin", "main")
        return git(self.work, "rev-parse", "HEAD")

    # -- the installation ----------------------------------------------------------------------

    def manage(self, *args) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=self.path, env=self.env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_runall(self):
        """`manage.py runall`, what `make run` ends with: web, worker and supervisor under supervisord."""
        log = open(self.tmp / "runall.log", "wb")  # noqa: SIM115
        self.web = subprocess.Popen([sys.executable, "manage.py", "runall"], cwd=self.path, env=self.env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: self.health() is not None, timeout=90, message="runall's web to answer")

    def start_web(self, wait: bool = True):
        log = open(self.tmp / f"web-{self.restarts}.log", "wb")  # noqa: SIM115
        self.web = subprocess.Popen([sys.executable, "manage.py", "runweb"], cwd=self.path,
                                    env={**self.env, "MEDIASUITE_PROCESS": "web"}, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            wait_for(lambda: self.health() is not None, timeout=60,
                     message="the installation's web to answer")

    def stop_web(self):
        if self.web is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.web.pid, signal.SIGTERM)
        try:
            # As systemd's TimeoutStopSec: daphne can hang at exit when a request was in flight;
            # runall's supervisord stops its three programs first (the worker may take 30 s).
            self.web.wait(90 if self.web.args[-1] == "runall" else 15)
        except subprocess.TimeoutExpired:
            self.web.kill()
            self.web.wait(5)
        # What a service manager does with the service's process group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.web.pid, signal.SIGKILL)
        self.web = None

    def health(self) -> dict | None:
        try:
            answer = requests.get(f"{self.base}/api/health", timeout=2)
        except requests.RequestException:
            return None
        return answer.json() if answer.status_code == 200 else None

    def calls(self, tool: str) -> list[str]:
        path = self.tmp / f"{tool}.calls"
        return path.read_text().splitlines() if path.exists() else []

    def serve(self):
        """The service manager's part: restart the web process once per recorded `systemctl restart`
        (unless the fake systemctl fails, as on a machine without systemd)."""
        while not self.tools_fail and len(self.calls("systemctl")) > self.restarts:
            self.restarts += 1
            self.stop_web()
            self.start_web(wait=False)  # whether it comes up is for the updater to find out

    def api(self, method: str, path: str, **kwargs):
        return requests.request(method, f"{self.base}{path}", timeout=10,
                                headers={"Authorization": f"Token {self.token}"}, **kwargs)

    def query(self, sql: str, *params):
        db = sqlite3.connect(self.path / "var" / "db.sqlite3", timeout=30)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def job(self, job_id: int) -> dict:
        row = self.query("SELECT state, message, results, bot_restarted, config_restored, service_restart, "
                         "restart_method, pid FROM mediasuite_updatejob WHERE id = ?", job_id)[0]
        keys = ("state", "message", "results", "bot_restarted", "config_restored", "service_restart",
                "restart_method", "pid")
        job = dict(zip(keys, row, strict=True))
        job["results"] = json.loads(job["results"])
        return job

    def wait_finished(self, job_id: int, timeout: float = 240) -> dict:
        def finished():
            self.serve()
            job = self.job(job_id)
            return job if job["state"] in ("done", "rolled_back", "failed") else None

        return wait_for(finished, timeout=timeout, interval=0.3, message=f"update #{job_id} to finish")

    def head(self) -> str:
        return git(self.path, "rev-parse", "HEAD")

    def close(self):
        self.stop_web()
        # An updater a failed test left running (it leads a session of its own).
        running = "SELECT pid FROM mediasuite_updatejob WHERE pid IS NOT NULL AND slot IS NOT NULL"
        for (pid,) in self.query(running):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
