"""Cleanup: idle sessions, idle proxies, empty videos, retention and quota, with a report.

Failed recordings are not "empty videos": they are kept, with their reason,
until a person deletes them or the retention removes them.

Run by the scheduler (maintenance job `recorder.cleanup`) for every club, and
by `POST /api/video/cleanup` for the clubs of the caller. Retention and quota
are per club (ClubStorage, set in the admin), else the server-wide settings.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mediasuite.models import Desired, Unit

from . import recording, sessions
from .models import ACTIVE_STATES, CameraSession, ClubStorage, Court, Recording, RecordingState

log = logging.getLogger("mediasuite.recorder")

SMALL_FILE = 1024


def run(club_ids=None) -> dict:
    """Clean the given clubs (ids, or a query of ids; None: all); returns what was done."""
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
    # A failed recording stays (its reason shown) until someone deletes it or the retention ends it.
    for rec in done.exclude(state=RecordingState.FAILED):
        if not rec.path.is_file() or rec.path.stat().st_size < SMALL_FILE:
            report["bytes_freed"] += recording.delete(None, rec, "removed: empty or missing video")
            report["small_files_removed"] += 1
    clubs = done.values_list("club_id", flat=True).distinct()
    kept = {row.club_id: row for row in ClubStorage.objects.filter(club_id__in=list(clubs))}
    for club_id in list(clubs):
        rules = kept.get(club_id) or ClubStorage(club_id=club_id)
        ours = done.filter(club_id=club_id)
        if rules.days():
            for rec in ours.filter(started_at__lt=timezone.now() - timedelta(days=rules.days())):
                report["bytes_freed"] += recording.delete(
                    None, rec, f"removed: older than {rules.days()} days"
                )
                report["expired_removed"] += 1
        if rules.quota():
            quota = int(rules.quota() * 1024**3)
            remaining = list(ours.order_by("-started_at"))
            used = sum(rec.size for rec in remaining)
            while used > quota and remaining:
                oldest = remaining.pop()
                used -= oldest.size
                report["bytes_freed"] += recording.delete(
                    None, oldest, f"removed: the club is over its {rules.quota():g} GB quota"
                )
                report["over_quota_removed"] += 1
    if any(report.values()):
        log.info("Recorder cleanup: %s", report)
    return report
