"""The steps of one update, run by `manage.py selfupdate <job id>` in a session of its own.

pending -> precheck -> backup -> fetch -> reset -> restore_config -> install -> migrate
        -> restarting -> verifying -> done
A step that fails after the code moved rolls back: rolling_back -> rolled_back
(previous commit, configuration and database restored; when the service had
been restarted into the new version, restarted again and checked); a failure
before that, or of the rollback itself, ends in failed.

The updater is the code of the version that started it (already imported);
everything of the new version runs in subprocesses (pip, migrate, collectstatic).
"""

import contextlib
import logging
import os
import subprocess
import sys
import time

import psutil
import requests
from django.conf import settings
from django.db import connections
from django.utils import timezone

from ..models import UpdateJob
from ..services import control as services
from ..supervisor import nodes
from . import backup, git, jobs, restart

logger = logging.getLogger("mediasuite.system")

State = UpdateJob.State
NOTIFIER = "notifier"
HEARTBEAT = 30.0


class StepFailed(Exception):
    pass


class Updater:
    def __init__(self, job_id: int):
        self.job = UpdateJob.objects.get(pk=job_id)
        self.db_backup = None
        self.code_moved = False
        self.restarted = False
        self.replay = []  # log lines written since the database backup, rewritten after a restore

    # -- helpers -------------------------------------------------------------------------------

    def log(self, line: str, level: str = "info"):
        jobs.log(self.job, line, level)
        if self.db_backup is not None:
            self.replay.append((self.job.state, line, level))

    def step(self, state: str, **fields):
        jobs.advance(self.job, state, **fields)

    def command(self, label: str, argv: list[str], timeout: float = 1800) -> str:
        """Run a command of the new version in the checkout; StepFailed with its last lines on failure."""
        self.log(f"Running {label}.")
        proc = subprocess.Popen(argv, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                out, _ = proc.communicate(timeout=HEARTBEAT)
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() > deadline:
                    proc.kill()
                    proc.communicate()
                    raise StepFailed(f"{label} did not finish within {timeout:.0f} s.") from None
                jobs.set_fields(self.job)  # heartbeat: the job is alive
        lines = [line for line in out.splitlines() if line.strip()]
        if proc.returncode != 0:
            tail = " | ".join(lines[-3:]) or f"exit code {proc.returncode}"
            raise StepFailed(f"{label} failed: {tail}")
        return out

    def manage(self, *args) -> list[str]:
        return [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]

    # -- the steps -----------------------------------------------------------------------------

    def precheck(self):
        self.step(State.PRECHECK)
        tracked = git.upstream()
        changes = git.local_changes()
        if changes:
            raise StepFailed(f"The checkout has local changes ({', '.join(changes[:5])}): commit or "
                             "discard them (git stash) before updating.")
        running = self.migrations_running()
        if running:
            raise StepFailed(f"A migration is running (pid {running}); update once it has finished.")
        current = git.commit()
        jobs.set_fields(self.job, from_commit=current.sha, branch=tracked)
        self.log(f"Running {current.version} ({current.date}); tracked branch {tracked}.")
        return tracked

    @staticmethod
    def migrations_running() -> int | None:
        base = str(settings.BASE_DIR)
        for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
            cmdline = proc.info.get("cmdline") or []
            if "migrate" in cmdline and any(part.endswith("manage.py") for part in cmdline) and (
                    proc.info.get("cwd") == base or any(part.startswith(base) for part in cmdline)):
                return proc.info["pid"]
        return None

    def backup(self):
        self.step(State.BACKUP)
        saved = backup.save_config(self.job.pk)
        self.log(f"Configuration saved: {', '.join(saved) or 'no configuration file'}.")
        self.db_backup = backup.save_database(self.job.pk)
        self.log(f"Database saved to {self.db_backup}.")
        state = services.status(NOTIFIER) if NOTIFIER in services.registry.names() else None
        if state and state["running"]:
            services.stop(None, NOTIFIER)
            jobs.set_fields(self.job, bot_was_active=True)
            self.log("Notifier stopped for the update; it starts again afterwards.")

    def fetch(self, tracked: str) -> git.Commit:
        self.step(State.FETCH)
        git.fetch(git.remote_of(tracked))
        target = git.commit(tracked)
        jobs.set_fields(self.job, to_commit=target.sha)
        self.log(f"Latest of {tracked}: {target.version} ({target.date}) {target.subject}")
        return target

    def keep(self) -> list[str]:
        keep = list(settings.UPDATE_CONFIG_FILES)
        # A data dir outside the checkout has nothing to fear from git clean.
        with contextlib.suppress(ValueError):
            keep.append(str(settings.DATA_DIR.relative_to(settings.BASE_DIR)))
        return keep

    def reset(self, target: git.Commit):
        self.step(State.RESET)
        self.code_moved = True
        git.reset_and_clean(target.sha, self.keep())
        self.log(f"Code reset to {target.version}.")

    def restore_config(self):
        self.step(State.RESTORE_CONFIG)
        restored = backup.restore_config(self.job.pk)
        jobs.set_fields(self.job, config_restored=True)
        self.log(f"Configuration restored ({', '.join(restored)})." if restored
                 else "Configuration checked: unchanged by the update.")

    def install(self, old: str, new: str):
        self.step(State.INSTALL)
        if not git.changed(old, new, "requirements.txt"):
            self.log("requirements.txt is unchanged: nothing to install.")
            return
        self.command("pip install -r requirements.txt",
                     [sys.executable, "-m", "pip", "install", "-q", "-r", "requirements.txt"])
        self.log("Requirements installed.")

    def migrate(self):
        self.step(State.MIGRATE)
        connections.close_all()
        out = self.command("migrate", self.manage("migrate", "--noinput"))
        applied = [line.split("Applying ", 1)[1].rstrip(". OK") for line in out.splitlines()
                   if "Applying " in line]
        self.log(f"Migrations applied: {', '.join(applied)}." if applied else "No migration to apply.")
        self.command("collectstatic", self.manage("collectstatic", "--noinput", "-v0"))

    def restart_and_verify(self, version: str):
        rolling_back = self.job.state == State.ROLLING_BACK
        if not rolling_back:
            self.step(State.RESTARTING)
        self.log("Restarting the service...")
        supervised, restarted_at = nodes.alive(), timezone.now()
        try:
            method = restart.restart(self.job.pk, self.log)
        except restart.RestartError as exc:
            raise StepFailed(str(exc)) from None
        self.restarted = True
        jobs.set_fields(self.job, restart_method=method)
        if not rolling_back:
            self.step(State.VERIFYING)
        self.verify(version, restarted_at if supervised else None)

    def verify(self, version: str, supervisor_since=None):
        """The new version answers on the health URL and, when a supervisor ran before the restart,
        a supervisor started since then beats: channels and cameras are kept again."""
        url = settings.UPDATE_HEALTH_URL
        timeout = settings.UPDATE_VERIFY_TIMEOUT
        self.log(f"Waiting up to {timeout:.0f} s for {url} to report version {version}.")
        deadline = time.monotonic() + timeout
        seen = "no answer"
        # The old process may still answer for a moment: only the expected version counts.
        while time.monotonic() < deadline:
            try:
                answer = requests.get(url, timeout=5)
                body = answer.json() if answer.headers.get("Content-Type", "").startswith(
                    "application/json") else {}
                seen = f"HTTP {answer.status_code}, version {body.get('version')}"
                if answer.status_code == 200 and (body.get("version"), body.get("status")) == (version, "ok"):
                    if supervisor_since is None or nodes.alive(supervisor_since):
                        self.log(f"The service answers with version {version}"
                                 + (" and its supervisor is back." if supervisor_since else "."))
                        return
                    seen = f"version {version}, but no supervisor started since the restart"
            except (requests.RequestException, ValueError) as exc:
                seen = type(exc).__name__
            jobs.set_fields(self.job)
            time.sleep(1)
        raise StepFailed(f"The service did not report version {version} within {timeout:.0f} s "
                         f"(last answer: {seen}).")

    def restart_notifier(self):
        if not self.job.bot_was_active:
            return
        services.start(None, NOTIFIER)
        jobs.set_fields(self.job, bot_restarted=True)
        self.log("Notifier started again.")

    # -- the whole job ---------------------------------------------------------------------------

    def run(self) -> UpdateJob:
        jobs.set_fields(self.job, pid=os.getpid())
        try:
            tracked = self.precheck()
            self.backup()
            target = self.fetch(tracked)
            old = self.job.from_commit
            if target.sha == old:
                self.restart_notifier()
                return jobs.finish(self.job, State.DONE, f"Already up to date ({target.version}).")
            self.reset(target)
            self.restore_config()
            self.install(old, target.sha)
            self.migrate()
            if not settings.AUTO_RESTART_SERVICE:
                self.log("AUTO_RESTART_SERVICE is off: the code is updated; restart the service yourself "
                         "to run it.")
                self.restart_notifier()
                return jobs.finish(self.job, State.DONE, f"Updated to {target.version}; restart the service "
                                                         "to run it.", service_restart=False)
            self.restart_and_verify(target.version)
            self.restart_notifier()
            return jobs.finish(self.job, State.DONE, f"Updated to {target.version} and restarted "
                                                     f"({self.job.restart_method}).")
        except (StepFailed, git.GitError, backup.BackupError) as exc:
            return self.fail(str(exc))
        except Exception as exc:
            logger.exception("Update #%s failed unexpectedly.", self.job.pk)
            return self.fail(f"{type(exc).__name__}: {exc}")

    def fail(self, reason: str) -> UpdateJob:
        step = self.job.state
        self.log(f"Step {step} failed: {reason}", "error")
        if not self.code_moved:
            self.notifier_back()
            return jobs.finish(self.job, State.FAILED, f"Update failed at step {step}: {reason} "
                                                       "Nothing was changed.")
        try:
            self.rollback(step, reason)
        except Exception as exc:
            logger.exception("Rolling back update #%s failed.", self.job.pk)
            self.log(f"Rollback failed: {exc}", "error")
            return jobs.finish(self.job, State.FAILED, f"Update failed at step {step} ({reason}) and the "
                               f"rollback failed too ({exc}); backups are in "
                               f"{backup.folder(self.job.pk)}.")
        return jobs.finish(self.job, State.ROLLED_BACK, f"Update failed at step {step} ({reason}); rolled "
                           f"back to {self.job.from_commit[:12]} with the database restored.")

    def notifier_back(self):
        try:
            self.restart_notifier()
        except Exception as exc:
            self.log(f"Could not start the notifier again: {exc}", "error")

    def rollback(self, step: str, reason: str):
        self.step(State.ROLLING_BACK)
        previous = git.commit(self.job.from_commit)
        self.log(f"Rolling back to {previous.version}.")
        git.reset_and_clean(previous.sha, self.keep())
        restored = backup.restore_config(self.job.pk)
        if restored:
            self.log(f"Configuration restored ({', '.join(restored)}).")
        if self.db_backup is not None:
            self.restore_database()
        if self.job.to_commit and git.changed(self.job.to_commit, previous.sha, "requirements.txt"):
            self.command("pip install -r requirements.txt",
                         [sys.executable, "-m", "pip", "install", "-q", "-r", "requirements.txt"])
        self.command("collectstatic", self.manage("collectstatic", "--noinput", "-v0"))
        if self.restarted:
            self.restart_and_verify(previous.version)
        else:
            # The running processes were never stopped: they still run the previous version.
            self.log(f"The service was not restarted during the update: it still runs {previous.version}.")
        self.notifier_back()

    def restore_database(self):
        """Restore the saved database, then write back this job's row and its log lines since the backup."""
        job = self.job
        backup.restore_database(self.db_backup)
        fields = {f.attname: getattr(job, f.attname) for f in UpdateJob._meta.concrete_fields
                  if f.attname != "id"}
        UpdateJob.objects.filter(pk=job.pk).update(**fields)
        lines, self.replay = self.replay, []
        state = job.state
        for step, line, level in lines:
            job.state = step
            jobs.log(job, line, level, event_only=True)
        job.state = state
        self.log(f"Database restored from {self.db_backup}.")


def run(job_id: int) -> UpdateJob:
    return Updater(job_id).run()
