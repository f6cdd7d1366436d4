"""The `seedbox` background service in a real worker: its tick polls rTorrent and queues the transfer job."""

import os
from pathlib import Path

import pytest

from mediasuite.services import control, registry
from seedbox import background, sending
from seedbox.models import State, Torrent
from tests.conftest import wait_for

pytestmark = pytest.mark.processes


@pytest.fixture
def seedbox_service(seedbox_settings):
    """The service as a configured installation offers it (and gone again afterwards)."""
    registry.load()
    registry.register(background.SERVICE)
    yield background.SERVICE
    registry._services.pop(background.SERVICE.name, None)


def test_service_tick_in_a_worker_brings_a_finished_torrent_home(seedbox, seedbox_settings, seedbox_service,
                                                                 spawn, people):
    name = "Worker.Show.S01E01.mkv"
    content = os.urandom(500_000)
    data, infohash = seedbox.seed(name, {name: content})
    torrent, _ = sending.add(None, media_type="series", torrent_file=data, tvdb_id=81189)
    wait_for(lambda: (i := seedbox.client.poll().get(infohash)) and i.complete, timeout=60,
             message="rTorrent to complete the seeded torrent")

    spawn("worker", "qcluster", env={**seedbox.env(seedbox_settings.SEEDBOX_STAGING_DIR),
                                     "MEDIASUITE_PROCESS": "worker"})
    control.start(people["super"], "seedbox")

    def transferred():
        torrent.refresh_from_db()
        return torrent.state in (State.TRANSFERRED, State.IMPORT_PENDING, State.FAILED) and torrent

    wait_for(transferred, timeout=120, interval=0.2, message="the worker to poll and transfer the torrent")
    assert torrent.state != State.FAILED, torrent.reason
    ready = Path(seedbox_settings.SEEDBOX_STAGING_DIR) / "ready" / infohash
    assert (ready / name).read_bytes() == content
    assert Torrent.objects.filter(infohash=infohash).count() == 1
