"""The built-in `scheduler` service and the core's own maintenance jobs.

The scheduler runs every job registered with `registry.maintenance` at each
check; one job failing is reported (last_error) and the others still run.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_q.models import Task

from ..models import Event
from .registry import Report, maintenance, maintenance_jobs

logger = logging.getLogger("mediasuite.services")


def check(state) -> Report:
    done, failed, handled = 0, [], 0
    for job in maintenance_jobs():
        try:
            result = job.function()
        except Exception as exc:
            logger.exception("Maintenance job %s failed.", job.name)
            failed.append(f"{job.name}: {type(exc).__name__}: {exc}")
            continue
        done += 1
        handled += result if isinstance(result, int) else 0
    error = ("Maintenance jobs failed: " + "; ".join(failed)) if failed else ""
    return Report(counters={"jobs_run": done, "jobs_failed": len(failed), "items_cleaned": handled},
                  error=error)


def _delete_older_than(queryset, field: str, days: int) -> int:
    """Delete the rows whose `field` is more than `days` old; 0 days keeps everything."""
    if days <= 0:
        return 0
    deleted, _ = queryset.filter(**{f"{field}__lt": timezone.now() - timedelta(days=days)}).delete()
    return deleted


@maintenance("core.prune-task-results")
def prune_task_results() -> int:
    """Delete django-q2 task results (successes and failures) older than TASK_RESULT_RETENTION_DAYS."""
    return _delete_older_than(Task.objects.all(), "stopped", settings.TASK_RESULT_RETENTION_DAYS)


@maintenance("core.prune-events")
def prune_events() -> int:
    """Delete events older than EVENT_RETENTION_DAYS (0 keeps the whole history)."""
    return _delete_older_than(Event.objects.all(), "created_at", settings.EVENT_RETENTION_DAYS)
