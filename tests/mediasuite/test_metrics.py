"""GET /metrics, read by prometheus-client's own text parser: each family moves with what drives it."""

import pytest
import requests
from django.db import connection, transaction
from django.utils import timezone
from django_q.models import Failure
from django_q.tasks import async_task
from prometheus_client.parser import text_string_to_metric_families

from channels_app.models import Channel, ViewerSession
from mediasuite import events
from mediasuite.models import Desired
from mediasuite.supervisor import control
from seedbox import lifecycle
from seedbox.models import State, Torrent
from tests.conftest import METRICS_TOKEN as TOKEN
from tests.conftest import samples, start_web, wait_for
from tests.mediasuite.test_live_support import Feed, write_in_process
from tests.recorder.helpers import make_court, make_recording, make_session


def test_a_token_or_the_open_setting_is_needed(client, settings, db):
    assert client.get("/metrics").status_code == 403
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    settings.METRICS_TOKEN, settings.METRICS_OPEN = "", True
    assert client.get("/metrics").status_code == 200


def test_units_restarts_events_and_http_requests_move(scrape, client):
    before = scrape()
    unit = control.ensure_unit("metrics-beat", "heartbeat", {"interval": 1}, desired=Desired.STOPPED)
    after = scrape()
    assert after[("mediasuite_units", (("kind", "heartbeat"), ("state", "stopped")))] == 1
    assert after[("mediasuite_events", ())] > before[("mediasuite_events", ())]

    events.record("unit.state", unit, payload={"state": "backoff"})
    events.record("channel.restarted", ("channel", "1"), payload={"trigger": "watchdog"})
    after, before = scrape(), after
    for key in (("mediasuite_unit_failures_total", (("state", "backoff"),)),
                ("mediasuite_channel_restarts_total", (("trigger", "watchdog"),))):
        assert after[key] == before[key] + 1
    assert after[("mediasuite_channel_restarts_total", (("trigger", "manual"),))] == 0

    missing = ("mediasuite_http_requests_total", (("status", "404"),))
    client.get("/no-such-page/")
    assert scrape()[missing] == after.get(missing, 0) + 1


def test_torrents_transfers_queue_and_viewers_move(scrape):
    torrent = Torrent.objects.create(infohash="b" * 40, name="Show.S01", key="k2", media_type="series",
                                     tvdb_id=81189, state=State.TRANSFERRING, transferred_bytes=1000,
                                     transfer_rate=250)
    found = scrape()
    assert found[("mediasuite_torrents", (("state", "transferring"),))] == 1
    assert found[("mediasuite_transfer_bytes_total", ())] == 1000
    assert found[("mediasuite_transfer_rate_bytes_per_second", ())] == 250

    Torrent.objects.filter(pk=torrent.pk).update(state=State.FAILED, transfer_rate=0)
    lifecycle.ignore(None, Torrent.objects.get(pk=torrent.pk))
    found = scrape()
    assert found[("mediasuite_torrents", (("state", "ignored"),))] == 1
    assert found[("mediasuite_torrents", (("state", "transferring"),))] == 0
    assert found[("mediasuite_transfer_rate_bytes_per_second", ())] == 0

    depth = found[("mediasuite_queue_depth", ())]
    async_task("math.floor", 1.5)
    assert scrape()[("mediasuite_queue_depth", ())] == depth + 1

    channel = Channel.objects.create(name="metrics", folder="metrics")
    assert scrape()[("mediasuite_channel_viewers", (("channel", "metrics"),))] == 0
    ViewerSession.objects.create(channel=channel, key="v1", kind=ViewerSession.PLAYER,
                                 last_seen=timezone.now())
    assert scrape()[("mediasuite_channel_viewers", (("channel", "metrics"),))] == 1


def test_the_grafana_dashboard_charts_only_metrics_that_exist(scrape):
    import json
    import re

    from tests.conftest import ROOT

    dashboard = json.loads((ROOT / "contrib/grafana/mediasuite.json").read_text())
    charted = {name for panel in dashboard["panels"] for target in panel["targets"]
               for name in re.findall(r"mediasuite_\w+", target["expr"])}
    exposed = {name for family in scrape.families() for name in (family.name, f"{family.name}_total")}
    assert len(charted) >= 12 and charted <= exposed, charted - exposed


def test_recordings_active_and_bytes_written_move(scrape, club, people):
    court = make_court(club)
    before = scrape()
    done = make_recording(make_session(court, people["player"], "s1"))
    live = make_recording(make_session(court, people["admin"], "s2"), state="recording")
    found = scrape()
    assert found[("mediasuite_recordings_active", ())] == before[("mediasuite_recordings_active", ())] + 1
    written = found[("mediasuite_recording_bytes_written_total", ())]
    assert written == before[("mediasuite_recording_bytes_written_total", ())] + done.path.stat().st_size \
        + live.path.stat().st_size
    with open(live.path, "ab") as growing:  # ffmpeg writes on
        growing.write(b"\0" * 4096)
    assert scrape()[("mediasuite_recording_bytes_written_total", ())] == written + 4096


@pytest.mark.processes
def test_a_failed_task_moves_the_queue_failures(spawn, scrape):
    before = scrape()[("mediasuite_queue_failures", ())]
    worker = spawn("worker", "qcluster", env={"MEDIASUITE_PROCESS": "worker"})
    async_task("math.sqrt", -1)  # ValueError: math domain error
    wait_for(lambda: scrape()[("mediasuite_queue_failures", ())] == before + 1, timeout=60,
             message=f"the worker to record the failed task\n{worker.output()}")
    Failure.objects.all().delete()  # Admin > Failed tasks: deleted
    assert scrape()[("mediasuite_queue_failures", ())] == 0 <= before


def web_metrics(base) -> dict[tuple[str, tuple], float]:
    answer = requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return samples(text_string_to_metric_families(answer.text))


@pytest.mark.processes
def test_the_event_feed_lag_grows_while_an_event_is_in_flight_and_falls_once_pushed(spawn, people):
    """A web process's lag: no sample before a live page connects, then the events it has not pushed yet."""
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL lets a later event id commit first (SQLite serialises its writers)")
    _, base = start_web(spawn, env={"MEDIASUITE_METRICS_TOKEN": TOKEN})
    events_lag = ("mediasuite_event_feed_lag_events", ())
    seconds_lag = ("mediasuite_event_feed_lag_seconds", ())
    assert events_lag not in web_metrics(base)

    feed = Feed(base, people["super"])
    feed.wait_hello()
    found = web_metrics(base)
    assert found[events_lag] == 0 and found[seconds_lag] == 0
    with transaction.atomic():
        slow = events.record("test.slow", ("thing", "slow")).id
        [fast] = write_in_process(spawn, [{"kind": "test.fast"}])
        # The feed waits for the earlier id: the committed later one is not pushed, and gets older.
        found = wait_for(lambda: (now := web_metrics(base))[seconds_lag] >= 0.5 and now,
                         message="the lag to grow past half a second")
        assert found[events_lag] >= 1
    assert [e["id"] for e in feed.events_until(fast)] == [slow, fast]
    wait_for(lambda: (now := web_metrics(base))[events_lag] == 0 and now[seconds_lag] == 0,
             message="the lag to fall back to 0")
    feed.close()
