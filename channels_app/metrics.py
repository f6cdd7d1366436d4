"""The channels' Prometheus families: viewers, how late each live channel's segments are, restarts."""

import time

from django.conf import settings
from django.db.models import Count

from mediasuite import metrics
from mediasuite.models import Event, UnitState

from . import paths, viewers
from .hls import PLAYLIST
from .models import Channel, Trigger


@metrics.register
def channels():
    live = list(Channel.objects.select_related("unit").order_by("name"))
    counts = viewers.counts()
    watching = metrics.gauge("mediasuite_channel_viewers", "Players fetching the channel's segments now.",
                             ["channel"])
    lateness = metrics.gauge("mediasuite_channel_segment_lateness_seconds",
                             "How much longer than one segment ago the live playlist was last written "
                             "(0: on time), for each running channel.", ["channel"])
    now = time.time()
    for channel in live:
        watching.add_metric([channel.name], counts.get(channel.pk, (0, 0))[0])
        if channel.unit is None or channel.unit.state != UnitState.RUNNING:
            continue
        try:
            written = (paths.hls_root() / channel.name / PLAYLIST).stat().st_mtime
        except OSError:
            continue
        lateness.add_metric([channel.name], max(0.0, now - written - settings.CHANNELS_SEGMENT_SECONDS))
    yield watching
    yield lateness
    restarts = metrics.counter("mediasuite_channel_restarts", "Channel restarts by trigger, counted from the "
                               "events kept.", ["trigger"])
    yield metrics.counted(Event.objects.filter(kind="channel.restarted").values_list("payload__trigger")
                          .annotate(n=Count("id")).order_by(), restarts,
                          [t for t in Trigger.values if t != Trigger.END_OF_FILE])
