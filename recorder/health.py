"""The recorder's part of the health list: recordings that failed lately, the recordings folder's disk
space, and courts and recordings at a glance."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from mediasuite import health

from .models import ACTIVE_STATES, Court, Recording, RecordingState

RECENT = timedelta(days=1)


@health.register
def failed_recordings():
    since = timezone.now() - RECENT
    failed = Recording.objects.filter(state=RecordingState.FAILED, started_at__gte=since) \
        .select_related("court").order_by("-started_at")
    for recording in failed[:20]:
        reason = recording.stop_reason or "ffmpeg stopped"
        yield health.Problem(f"recording:{recording.pk}", health.ERROR,
                             f"The recording on {recording.court} of {recording.started_at:%Y-%m-%d %H:%M} "
                             f"failed: {reason}; see its log.",
                             reverse("admin:recorder_recording_change", args=[recording.pk]))


def at_a_glance() -> dict[str, int]:
    counts = dict(Recording.objects.filter(state__in=ACTIVE_STATES).values_list("state")
                  .annotate(n=Count("id")).order_by())
    return {"courts": Court.objects.count(), **counts}


health.folder("Recordings", lambda: settings.RECORDER_ROOT)
health.glance("Courts", at_a_glance, url="recorder-recordings")
