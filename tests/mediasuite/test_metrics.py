"""GET /metrics, read by prometheus-client's own text parser: each family moves with what drives it."""

import pytest
from django.utils import timezone
from django_q.tasks import async_task
from prometheus_client.parser import text_string_to_metric_families

from channels_app.models import Channel, ViewerSession
from mediasuite import events
from mediasuite.models import Desired
from mediasuite.supervisor import control
from seedbox import lifecycle
from seedbox.models import State, Torrent
from tests.recorder.helpers import make_court, make_recording, make_session

TOKEN = "a-metrics-token-for-tests"


@pytest.fixture
def scrape(client, settings, db):
    settings.METRICS_TOKEN = TOKEN

    def families() -> list:
        answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert answer.status_code == 200 and answer["Content-Type"].startswith("text/plain; version=0.0.4")
        return list(text_string_to_metric_families(answer.content.decode()))

    def read() -> dict[tuple[str, tuple], float]:
        return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
                for family in families() for sample in family.samples}

    read.families = families
    return read


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
