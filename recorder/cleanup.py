"""Cleanup: idle sessions, idle proxies, empty videos, retention and quota, with a report.

Run by the scheduler (maintenance job `recorder.cleanup`) for every club, and
by `POST /api/video/cleanup` for the clubs of the caller.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mediasuite.models import Desired, Unit

from . import recording, sessions
from .models import ACTIVE_STATES, CameraSession, Court, Recording

log = logging.getLogger("mediasuite.recorder")

SMALL_FILE = 1024


def run(club_ids=None) -> dict:
    """Clean the given clubs (None: all); returns what was done."""
    scope = Q() if club_ids is None else Q(club_id__in=club_ids)
    report = {
        "sessions_closed": 0,
        "recordings_recovered": 0,
        "proxies_stopped": 0,
        "small_files_removed": 0,
        "expired_removed": 0,
        "over_quota_removed": 0,
        "bytes_freed": 0,
    }
    idle_before = timezone.now() - timedelta(hours=settings.RECORDER_SESSION_IDLE_HOURS)
    idle = (
        CameraSession.objects.select_related("court__club", "user")
        .filter(closed_at__isnull=True, last_activity__lt=idle_before)
        .exclude(recording__state__in=ACTIVE_STATES)
    )
    if club_ids is not None:
        idle = idle.filter(court__club_id__in=club_ids)
    for session in idle:
        if sessions.close(None, session, f"closed after {settings.RECORDER_SESSION_IDLE_HOURS:g} h idle"):
            report["sessions_closed"] += 1
    report["recordings_recovered"] = recording.recover_orphans()
    courts = Court.objects.filter(scope)
    names = {court.proxy_unit_name: court for court in courts}
    for unit in Unit.objects.filter(kind="camera-proxy", desired=Desired.RUNNING, name__in=list(names)):
        if sessions.release_proxy(names[unit.name]):
            report["proxies_stopped"] += 1
    done = (
        Recording.objects.select_related("session", "club", "user", "court")
        .filter(scope)
        .exclude(state__in=ACTIVE_STATES)
    )
    for rec in done:
        if not rec.path.is_file() or rec.path.stat().st_size < SMALL_FILE:
            report["bytes_freed"] += recording.delete(None, rec, "removed: empty or missing video")
            report["small_files_removed"] += 1
    if settings.RECORDER_RETENTION_DAYS:
        expired = done.filter(
            started_at__lt=timezone.now() - timedelta(days=settings.RECORDER_RETENTION_DAYS)
        )
        for rec in expired:
            report["bytes_freed"] += recording.delete(
                None, rec, f"removed: older than {settings.RECORDER_RETENTION_DAYS} days"
            )
            report["expired_removed"] += 1
    if settings.RECORDER_CLUB_QUOTA_GB:
        quota = int(settings.RECORDER_CLUB_QUOTA_GB * 1024**3)
        for club_id in done.values_list("club_id", flat=True).distinct():
            kept = list(done.filter(club_id=club_id).order_by("-started_at"))
            used = sum(rec.size for rec in kept)
            while used > quota and kept:
                oldest = kept.pop()
                used -= oldest.size
                report["bytes_freed"] += recording.delete(
                    None,
                    oldest,
                    f"removed: the club is over its {settings.RECORDER_CLUB_QUOTA_GB:g} GB quota",
                )
                report["over_quota_removed"] += 1
    if any(report.values()):
        log.info("Recorder cleanup: %s", report)
    return report
