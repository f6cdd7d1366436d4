"""Bulk actions: several rows archived, rejected, moved or deleted as one background job (django-q2).

`start` records the job and queues it after the commit; the worker's
`run` claims it (queued -> running, compare-and-set: one worker runs a job),
then does each item in its own error boundary: a failure is reported for
that item, with its reason, and the others go on. `done` and `report` grow
item by item, each step written with a `library.bulk.progress` event (done,
total, the item's entry), so the page's progress bar and report follow the
job live; `library.bulk.done` ends it.
"""

import logging

from django.db import transaction
from django.utils import timezone

from mediasuite import events
from mediasuite.clients import arr
from mediasuite.clients.http import ServiceError
from mediasuite.clients.plex import Plex, PlexError
from mediasuite.errors import Conflict

from . import actions, folders
from .models import Action, BulkJob, BulkState

logger = logging.getLogger("library")

EXPECTED = (Conflict, actions.BadInput, ServiceError, arr.ArrError, folders.OutsideRoots, OSError)


def start(actor, action: str, rating_keys: list[int], plex_user: int, options: dict) -> BulkJob:
    from django_q.tasks import async_task

    with transaction.atomic():
        job = BulkJob.objects.create(action=action, rating_keys=rating_keys, plex_user=plex_user,
                                     options=options, actor=actor)
        events.record("library.bulk.queued", job, actor=actor,
                      message=f"{len(rating_keys)} item(s) to {action} queued.", payload={"action": action})
        transaction.on_commit(lambda: async_task("library.tasks.bulk", job.pk,
                                                 task_name=f"library-bulk-{job.pk}"))
    return job


def _one(job, owner, viewer, rating_key) -> dict:
    options = job.options
    if job.action in (Action.ARCHIVE, Action.REJECT):
        return actions.take_out(job.actor, owner, viewer, rating_key, job.action,
                                delete_files=options.get("delete_files", True),
                                unmonitor=options.get("unmonitor", True), tag=options.get("tag", True),
                                dry_run=options.get("dry_run"))
    if job.action == Action.MOVE:
        return actions.move(job.actor, owner, viewer, rating_key, options["root_folder"],
                            dry_run=options.get("dry_run"))
    return actions.delete(job.actor, owner, viewer, rating_key, dry_run=options.get("dry_run"))


def _progress(job: BulkJob, entry: dict) -> None:
    """One more item done: into the job and, in the same transaction, an event the page draws at once."""
    job.report.append(entry)
    job.done += 1
    with transaction.atomic():
        job.save(update_fields=["report", "done"])
        events.record("library.bulk.progress", job, actor=job.actor,
                      message=f"{entry['title'] or entry['rating_key']}: {entry['message']}",
                      payload={"done": job.done, "total": job.total, "entry": entry})


def run(job_id: int) -> str:
    """Run a queued job to its end; each item's outcome goes into the report as it is known."""
    if not BulkJob.objects.filter(pk=job_id, state=BulkState.QUEUED).update(state=BulkState.RUNNING):
        return f"job {job_id} is not queued"
    job = BulkJob.objects.select_related("actor").get(pk=job_id)
    try:
        owner = Plex()
        viewer = owner.as_user(job.plex_user)
    except PlexError as exc:
        owner = viewer = None
        reason = str(exc)
    for rating_key in job.rating_keys:
        entry = {"rating_key": rating_key, "title": "", "ok": False}
        if owner is None:
            entry["message"] = reason
        else:
            try:
                result = _one(job, owner, viewer, rating_key)
                entry.update(ok=True, title=result["title"], message="would be done (dry run)"
                             if result["dry_run"] else "done", files=len(result.get("files", [])))
            except EXPECTED as exc:
                entry["message"] = str(exc)
            except Exception as exc:  # an unexpected failure of one item must not stop the others
                logger.exception("bulk job %s: item %s failed", job_id, rating_key)
                entry["message"] = f"Unexpected error ({exc}); see the worker's log."
        _progress(job, entry)
    failed = sum(1 for e in job.report if not e["ok"])
    with transaction.atomic():
        job.state, job.finished_at = BulkState.DONE, timezone.now()
        job.save(update_fields=["state", "finished_at"])
        events.record("library.bulk.done", job, actor=job.actor,
                      message=f"{job.get_action_display()}: {job.done - failed} done, {failed} failed.",
                      payload={"done": job.done - failed, "failed": failed})
    return f"{job.done - failed} done, {failed} failed"
