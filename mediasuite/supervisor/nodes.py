"""Whether a supervisor is alive: a node whose heartbeat is fresh (the loop renews it)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import SupervisorNode


def alive(started_since: datetime | None = None) -> bool:
    """A supervisor beats now; with `started_since`, one that started at or after that moment
    (the update waits for the new supervisor, not the old one's last beats)."""
    fresh = timezone.now() - timedelta(seconds=settings.SUPERVISOR_HEARTBEAT_TTL)
    nodes = SupervisorNode.objects.filter(heartbeat_at__gte=fresh)
    if started_since is not None:
        nodes = nodes.filter(started_at__gte=started_since)
    return nodes.exists()
