"""The rTorrent client against a real rTorrent (SCGI)."""

import os

from seedbox.clients import rtorrent
from tests.conftest import wait_for


def test_add_is_idempotent_labelled_and_polled_then_erased_without_touching_data(seedbox):
    data, infohash = seedbox.seed("Show.S01E01.mkv", {"Show.S01E01.mkv": os.urandom(100_000)})
    client = seedbox.client

    assert client.add(infohash, torrent=data, label="mediasuite", key="k-1") is True
    assert client.add(infohash, torrent=data, label="mediasuite", key="k-1") is False
    assert list(client.hashes()).count(infohash) == 1

    item = wait_for(lambda: (i := client.poll().get(infohash)) and i.complete and i,
                    timeout=60, message="rTorrent to hash-check the present data")
    assert item.label == "mediasuite"
    assert item.key == "k-1"
    assert item.size_bytes == 100_000 and item.left_bytes == 0
    assert item.base_path == str(seedbox.remote_root / "Show.S01E01.mkv")
    assert item.finished_at is not None
    assert client.files(infohash) == [{"path": "Show.S01E01.mkv", "size": 100_000}]

    assert client.erase(infohash) is True
    assert infohash not in client.hashes()
    assert (seedbox.remote_root / "Show.S01E01.mkv").exists(), "d.erase must leave the data alone"
    assert client.erase(infohash) is False


def test_multi_file_torrent_lists_its_files(seedbox):
    files = {"S01E01.mkv": os.urandom(70_000), "Subs/S01E01.srt": b"1\n00:00:01 --> 00:00:02\nhi\n"}
    data, infohash = seedbox.seed("Show.S01", files)
    seedbox.client.add(infohash, torrent=data, label="x", key="k-2")
    item = wait_for(lambda: (i := seedbox.client.poll().get(infohash)) and i.complete and i, timeout=60,
                    message="multi-file torrent to complete")
    assert item.is_multi_file
    assert sorted(f["path"] for f in seedbox.client.files(infohash)) == ["S01E01.mkv", "Subs/S01E01.srt"]


def test_unreachable_rtorrent_is_a_clear_error():
    from tests.conftest import free_port

    client = rtorrent.Client(f"scgi://127.0.0.1:{free_port()}", timeout=2)
    try:
        client.version()
    except rtorrent.RtorrentError as exc:
        assert "rTorrent at scgi://127.0.0.1" in str(exc) and "Settings → Connections" in str(exc)
    else:
        raise AssertionError("expected RtorrentError")


def test_a_torrent_rtorrent_dropped_fails_and_is_added_again(seedbox, seedbox_settings, transactional_db):
    from datetime import timedelta

    from django.utils import timezone

    from seedbox import pipeline, sync
    from seedbox.bencode import TorrentFile
    from seedbox.models import State, Torrent

    data, infohash = seedbox.seed("Dropped.mkv", {"Dropped.mkv": os.urandom(40_000)})
    torrent = Torrent.objects.create(infohash=TorrentFile(data).infohash, key="k-drop", torrent_file=data,
                                     media_type="movie", tmdb_id=603, state=State.SENT,
                                     state_changed_at=timezone.now() - timedelta(hours=1))
    sync.poll()
    torrent.refresh_from_db()
    assert torrent.state == State.FAILED and "does not list" in torrent.reason

    Torrent.objects.filter(pk=torrent.pk).update(next_retry_at=timezone.now() - timedelta(seconds=1))
    pipeline.tick(inline=True)
    torrent.refresh_from_db()
    assert torrent.state in (State.SENT, State.DOWNLOADING, State.REMOTE_COMPLETE, State.TRANSFERRING,
                             State.TRANSFERRED)
    assert infohash in seedbox.client.hashes()
