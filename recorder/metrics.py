"""The recorder's Prometheus families: recordings in progress and the bytes they wrote."""

from django.db.models import Sum

from mediasuite import metrics

from .models import ACTIVE_STATES, Recording


@metrics.register
def recordings():
    active = list(Recording.objects.filter(state__in=ACTIVE_STATES).only("file"))
    family = metrics.gauge("mediasuite_recordings_active", "Recordings in progress.")
    family.add_metric([], len(active))
    yield family
    written = Recording.objects.exclude(state__in=ACTIVE_STATES).aggregate(total=Sum("size"))["total"] or 0
    for recording in active:
        try:
            written += recording.path.stat().st_size
        except OSError:
            continue
    family = metrics.counter("mediasuite_recording_bytes_written", "Bytes of the recordings kept, those in "
                             "progress as far as they are written.")
    family.add_metric([], written)
    yield family
