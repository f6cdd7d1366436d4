"""Playout with real ffmpeg, a real supervisor and generated clips."""

import pytest
from django.conf import settings

from channels_app import playout
from channels_app.models import Channel
from mediasuite.models import Event
from tests.conftest import wait_for

from .conftest import wait_playing

pytestmark = pytest.mark.processes


def restarted_events(channel, after_id=0):
    return list(Event.objects.filter(kind="channel.restarted", subject_id=str(channel.pk), id__gt=after_id)
                .order_by("id"))


def test_series_restart_moves_to_the_next_file_and_wraps(make_channel, supervisor):
    channel = make_channel("series-one", series=True, desired="running")
    assert channel.mode == "series"
    wait_playing(channel)
    channel.refresh_from_db()
    assert channel.current_file.name == "a.mp4"
    seen = []
    for _ in range(3):
        last = Event.objects.order_by("-id").values_list("id", flat=True).first()
        playout.request_restart(None, channel)
        event = wait_for(lambda last=last: restarted_events(channel, last), timeout=30,
                         message="the restart to be carried out")[0]
        assert event.payload["trigger"] == "manual"
        seen.append((event.payload["previous"], event.payload["file"]))
    assert seen == [("a.mp4", "b.mp4"), ("b.mp4", "c.mp4"), ("c.mp4", "a.mp4")]
