"""Channels playing media like the users': long GOPs, 5.1 audio, HEVC, VFR, subtitles, late audio."""

import contextlib
import os
import shutil
import signal
import subprocess

import psutil
import pytest
from django.test import Client

from channels_app import playout
from mediasuite.models import Event, Unit
from tests.conftest import wait_for

from .conftest import hls_path, playlist, started
from .corpus import CORPUS
from .test_playout import ffmpeg_of, restarted_events

MIXED = [name for name in CORPUS if name != "gop10.mp4"]  # the 30 s 10 s-GOP clip has tests of its own


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def watchdog_stops(channel, after=0):
    return list(Event.objects.filter(kind__startswith="unit.", subject_id=str(channel.unit_id), id__gt=after,
                                     message__icontains="no new HLS segment"))


def durations(text: str) -> list[float]:
    return [float(line[8:].rstrip(",")) for line in text.splitlines() if line.startswith("#EXTINF:")]


def target(text: str) -> int:
    return int(next(line for line in text.splitlines() if line.startswith("#EXT-X-TARGETDURATION:"))
               .split(":")[1])


@pytest.mark.django_db
def test_each_file_gets_its_delivery_and_the_reason_is_shown(corpus_channel, people):
    channel = corpus_channel("mixed-files", list(CORPUS), desired="stopped")
    files = {f.name: f for f in channel.files.all()}
    assert {name: files[name].delivery for name in CORPUS} == {name: row[2] for name, row in CORPUS.items()}
    assert files["gop10.mp4"].keyframe_interval == 10.0 and files["gop10.mp4"].longest_segment == 10.0
    assert files["gop05.mp4"].longest_segment == 2.0
    client = Client()
    client.force_login(people["super"])
    listed = {f["name"]: f for f in client.get(f"/api/channels/{channel.name}/files").json()}
    assert listed["ac3.mkv"]["delivery"] == "audio" and "audio is ac3, not AAC" in listed["ac3.mkv"]["reason"]
    assert listed["hevc.mkv"]["delivery"] == "transcode" and "hevc" in listed["hevc.mkv"]["reason"]
    assert listed["gop10.mp4"]["keyframe_interval"] == 10.0
    page = client.get(f"/channels/{channel.name}/").content.decode()
    assert "the audio alone is encoded to AAC" in page and "every 10.0 s, segments up to 10.0 s" in page


processes = pytest.mark.processes


@processes
def test_a_10s_gop_channel_stays_up_and_restarts_before_its_next_key_frame(corpus_channel, supervisor):
    channel = corpus_channel("gop-ten", ["gop10.mp4"])
    first = last_event_id()
    started(channel)
    text = wait_for(lambda: (t := playlist(channel)) and len(durations(t)) >= 3 and t, timeout=60,
                    message="three 10 s segments")  # 30 s of a 10 s-GOP file: three GOPs
    assert target(text) == 10 and all(round(d) <= 10 for d in durations(text))
    assert not watchdog_stops(channel, first)
    assert Unit.objects.get(pk=channel.unit_id).state == "running"
    # A restart: the first new segment (a whole GOP) is out before that GOP could have played in real time.
    before = last_event_id()
    playout.request_restart(None, channel)
    event = wait_for(lambda: restarted_events(channel, before), timeout=30, message="the restart")[0]
    new = wait_for(lambda: (t := playlist(channel)) and durations(t) and t, message="the new first segment")
    assert durations(new)[0] >= 9.9
    assert event.payload["first_segment_ms"] < durations(new)[0] * 1000
    assert not watchdog_stops(channel, first)


@processes
def test_ffmpeg_killed_on_a_10s_gop_file_comes_back_at_its_cursor(corpus_channel, supervisor):
    channel = corpus_channel("gop-ten-killed", ["gop10.mp4"])
    first = last_event_id()
    wait_for(lambda: len(durations(playlist(channel))) >= 2, timeout=60, message="two 10 s segments")
    victim = wait_for(lambda: ffmpeg_of(channel), message="the channel's ffmpeg")
    last = last_event_id()
    channel.refresh_from_db()
    cursor = channel.offset
    os.kill(victim.pid, signal.SIGKILL)
    event = wait_for(lambda: restarted_events(channel, last), timeout=40, message="the crash restart")[0]
    assert event.payload["trigger"] == "crash"
    assert event.payload["file"] == "gop10.mp4" and event.payload["offset"] >= cursor >= 20
    assert not watchdog_stops(channel, first)


@processes
def test_a_frozen_ffmpeg_on_a_10s_gop_file_is_still_caught(corpus_channel, supervisor):
    channel = corpus_channel("gop-ten-frozen", ["gop10.mp4"])
    started(channel)
    victim = wait_for(lambda: ffmpeg_of(channel), message="the channel's ffmpeg")
    last = last_event_id()
    os.kill(victim.pid, signal.SIGSTOP)
    try:
        event = wait_for(lambda: restarted_events(channel, last), timeout=60, message="the watchdog")[0]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim.pid, signal.SIGCONT)
    assert event.payload["trigger"] == "watchdog"
    stops = watchdog_stops(channel, last)
    assert stops and "(limit 14.0s)" in stops[0].message
    assert not psutil.pid_exists(victim.pid) or victim.status() == psutil.STATUS_ZOMBIE


@processes
def test_a_channel_mixing_the_corpus_plays_every_file_and_its_hls_decodes(corpus_channel, supervisor,
                                                                          tmp_path):
    channel = corpus_channel("mixed", MIXED)
    first = last_event_id()
    kept, order = {}, []

    def collect():
        """Keep every segment as it is published (the window deletes old ones); done after the last file."""
        text = playlist(channel)
        pending_break = False
        for line in text.splitlines():
            if line == "#EXT-X-DISCONTINUITY":
                pending_break = True
            elif line.startswith("#EXTINF:"):
                duration = float(line[8:].rstrip(","))
            elif line and not line.startswith("#"):
                if line not in kept and hls_path(channel, line).exists():
                    shutil.copy(hls_path(channel, line), tmp_path / line)
                    kept[line] = (duration, pending_break)
                    order.append(line)
                pending_break = False
        plays = list(Event.objects.filter(subject_id=str(channel.pk), id__gt=first,
                                          kind__in=("channel.restarted", "channel.file"))
                     .order_by("id").values_list("payload__file", flat=True))
        return len(plays) > len(MIXED) and plays[len(MIXED)] == plays[0] and plays[:len(MIXED)]

    plays = wait_for(collect, timeout=150, interval=0.2, message="every file of the corpus to play, in turn")
    assert sorted(plays) == sorted(MIXED)
    assert not watchdog_stops(channel, first)
    assert not Event.objects.filter(subject_id=str(channel.pk), kind="channel.file_failed").exists()
    text = playlist(channel)
    assert all(round(d) <= target(text) for d in durations(text))
    # The whole output, as a player reads it: one playlist of every segment with its discontinuity tags.
    vod = ["#EXTM3U", "#EXT-X-VERSION:6", f"#EXT-X-TARGETDURATION:{target(text)}", "#EXT-X-PLAYLIST-TYPE:VOD"]
    for name in order:
        duration, discontinuity = kept[name]
        vod += ["#EXT-X-DISCONTINUITY"] * discontinuity + [f"#EXTINF:{duration:.3f},", name]
    (tmp_path / "all.m3u8").write_text("\n".join([*vod, "#EXT-X-ENDLIST", ""]))
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "all.m3u8"), "-f", "null", "-"],
                             capture_output=True, text=True)
    # The null muxer's own complaints about frame times rounded to its time base are no decoding errors.
    errors = [line for line in decoded.stderr.splitlines() if line.strip() and not line.startswith("[null @")]
    assert decoded.returncode == 0 and not errors, decoded.stderr[-2000:]
