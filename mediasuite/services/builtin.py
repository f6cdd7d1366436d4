"""The two services of the core (imported by registry.load())."""

from . import maintenance  # noqa: F401  (registers the core maintenance jobs)
from .registry import Service, register

register(Service(
    name="scheduler",
    label="Scheduler",
    description="Runs the periodic maintenance jobs of every app (old task results, old events, ...).",
    check="mediasuite.services.maintenance.check",
    interval=3600,
    counters=("jobs_run", "jobs_failed", "items_cleaned"),
    active_by_default=True,
))

register(Service(
    name="tracker",
    label="Last.fm tracker",
    description="Reads the recent tracks of LASTFM_USER from Last.fm and stores each new play once.",
    check="mediasuite.services.tracker.check",
    interval=120,
    counters=("tracks_found",),
    needs=("lastfm",),
))
