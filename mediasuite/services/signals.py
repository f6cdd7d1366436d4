"""Restore active services when a django-q2 worker starts.

Why django-q2's `post_spawn`: it fires in every worker process of every
`manage.py qcluster` as the worker comes up, after the cluster has closed the
database connections it forked with, and just before that worker reads the
queue: the moment services can run again, in the process that runs them, on
every node, after any restart (and after a worker is recycled). A web-side
hook (AppConfig.ready, post_migrate) would run in the wrong processes, or not
at all when only the worker restarts. restore() is idempotent and the run
lease makes the several workers' calls harmless.

Also on `post_migrate`: the ServiceState rows exist as soon as the database does.
"""

import logging

from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django_q.signals import post_spawn

logger = logging.getLogger("mediasuite.services")


@receiver(post_spawn, dispatch_uid="mediasuite.services.restore")
def restore_on_worker_start(sender, proc_name=None, **kwargs):
    from .control import restore

    try:
        restore()
    except Exception:  # never take the worker down: the Schedules still fire
        logger.exception("Restoring the background services failed in worker %s.", proc_name)


@receiver(post_migrate, dispatch_uid="mediasuite.services.ensure_states")
def ensure_states_after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "mediasuite":
        return
    from .control import ensure_states

    try:
        ensure_states()
    except Exception:
        logger.exception("Creating the ServiceState rows after migrate failed.")
