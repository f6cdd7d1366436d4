"""The domain module of self-update jobs: the only code that changes an UpdateJob.

    create(actor) -> UpdateJob          one unfinished job at a time (the unique `slot` column)
    launch(job)                          start the detached updater process for it
    advance(job, state)                  compare-and-set move to the next step
    log(job, line, level)                one log line: appended to `results` and written as an Event
    finish(job, state, message)          done / rolled_back / failed; frees the slot

Every change writes an Event (`update.state`, `update.log`, `update.<final state>`)
in its transaction; they are operator events (no club, no owner): only a
SUPER_ADMIN sees them.
"""

import logging
import os
import subprocess
import sys
import threading
from datetime import timedelta

import psutil
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import events
from ..errors import Conflict
from ..models import UpdateJob
from ..policies import policy_for
from . import permissions  # noqa: F401  (registers the UpdateJob policy)

logger = logging.getLogger("mediasuite.system")

MAX_RESULTS = 400
State = UpdateJob.State


class Busy(Conflict):
    """Another update job is unfinished."""

    def __init__(self, job: UpdateJob):
        super().__init__(f"Update #{job.pk} is already running (step {job.state}); wait for it to finish.")
        self.job = job


def _payload(job: UpdateJob, **extra) -> dict:
    return {"job_id": job.pk, "state": job.state, "from_commit": job.from_commit,
            "to_commit": job.to_commit, **extra}


def _release_stale():
    """Fail an unfinished job whose updater is gone and which has been silent for UPDATE_STALE_AFTER."""
    old = timezone.now() - timedelta(seconds=settings.UPDATE_STALE_AFTER)
    for job in UpdateJob.objects.filter(slot=UpdateJob.ACTIVE_SLOT, updated_at__lt=old):
        if job.pid and psutil.pid_exists(job.pid):
            continue
        finish(job, State.FAILED, f"The updater of update #{job.pk} stopped answering during step "
                                  f"{job.state}; check the installation and the log in the data directory.")


def create(actor) -> UpdateJob:
    """A new pending job, or Busy when one is unfinished."""
    if actor is not None and not policy_for(UpdateJob).allows(actor, "add"):
        raise PermissionDenied("Only a super admin may update MediaSuite.")
    _release_stale()
    try:
        with transaction.atomic():
            job = UpdateJob.objects.create(actor=actor, service_restart=settings.AUTO_RESTART_SERVICE)
            events.record("update.state", job, actor=actor, message=f"Update #{job.pk} requested",
                          payload=_payload(job))
    except IntegrityError:
        raise Busy(UpdateJob.objects.get(slot=UpdateJob.ACTIVE_SLOT)) from None
    return job


def launch(job: UpdateJob) -> None:
    """Start `manage.py selfupdate <id>` in a session of its own.

    start_new_session: the updater is outside the process group of the web
    process that starts it, so a service manager stopping that group (the
    restart it asks for) does not stop it halfway. Its output goes to
    <data dir>/logs/update-<id>.log.
    """
    log_path = settings.LOG_DIR / f"update-{job.pk}.log"
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "selfupdate", str(job.pk)],
            cwd=settings.BASE_DIR, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, close_fds=True, env={**os.environ, "MEDIASUITE_PROCESS": "updater"},
        )
    # Reap it when it ends, so that a web process that is not restarted keeps no zombie.
    threading.Thread(target=proc.wait, name=f"updater-{job.pk}", daemon=True).start()


def refresh(job: UpdateJob) -> UpdateJob:
    job.refresh_from_db()
    return job


def advance(job: UpdateJob, state: str, **fields) -> UpdateJob:
    """Move the job from its current state to `state` (compare-and-set) with an Event."""
    now = timezone.now()
    with transaction.atomic():
        moved = UpdateJob.objects.filter(pk=job.pk, state=job.state, slot=UpdateJob.ACTIVE_SLOT).update(
            state=state, updated_at=now, **fields)
        if not moved:
            raise RuntimeError(f"Update #{job.pk} is no longer in step {job.state}; stopping.")
        previous = job.state
        job.state = state
        job.updated_at = now
        for key, value in fields.items():
            setattr(job, key, value)
        events.record("update.state", job, message=f"Update #{job.pk}: {previous} -> {state}",
                      payload=_payload(job, previous=previous))
    return job


def set_fields(job: UpdateJob, **fields) -> UpdateJob:
    fields["updated_at"] = timezone.now()
    UpdateJob.objects.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)
    return job


def log(job: UpdateJob, line: str, level: str = "info", event_only: bool = False) -> None:
    """One line of the job's log, shown live on the System page.

    `event_only`: the line is already in `results` (written again after a database restore).
    """
    if not event_only:
        getattr(logger, "warning" if level == "error" else "info")("Update #%s: %s", job.pk, line)
        entry = {"step": job.state, "level": level, "message": line[:500], "at": timezone.now().isoformat()}
        job.results = [*(job.results or []), entry][-MAX_RESULTS:]
    with transaction.atomic():
        UpdateJob.objects.filter(pk=job.pk).update(results=job.results, updated_at=timezone.now())
        events.record("update.log", job, message=line, payload=_payload(job, level=level))


def finish(job: UpdateJob, state: str, message: str, **fields) -> UpdateJob:
    """End the job in `state` (done, rolled_back or failed) and free the slot for the next one."""
    now = timezone.now()
    with transaction.atomic():
        UpdateJob.objects.filter(pk=job.pk).update(state=state, slot=None, message=message[:500],
                                                   finished_at=now, updated_at=now, **fields)
        job.state, job.slot, job.message, job.finished_at = state, None, message[:500], now
        for key, value in fields.items():
            setattr(job, key, value)
        events.record(f"update.{state}", job, actor=job.actor, message=message,
                      payload=_payload(job, bot_restarted=job.bot_restarted,
                                       service_restart=job.service_restart))
    logger.info("Update #%s %s: %s", job.pk, state, message)
    return job
