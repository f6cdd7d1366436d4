"""The channels' part of the health list: their folders' disk space and the channels at a glance.

A failed or restarting channel is its unit's problem, reported by the core.
"""

from django.conf import settings
from django.db.models import Count

from mediasuite import health

from .models import Channel


def by_state() -> dict[str, int]:
    counts = dict(Channel.objects.filter(unit__isnull=False).values_list("unit__state")
                  .annotate(n=Count("id")).order_by())
    idle = Channel.objects.filter(unit__isnull=True).count()
    return {**counts, "stopped": counts.get("stopped", 0) + idle} if idle else counts


health.folder("Channels", lambda: settings.CHANNELS_DIR)
health.folder("HLS output", lambda: settings.HLS_DIR)
health.glance("Channels", by_state, url="channels-dashboard")
