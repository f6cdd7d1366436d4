"""End to end on real rTorrent + sshd: add -> complete -> transferred -> Sonarr/Radarr import -> cleaned."""

import os

import pytest

from mediasuite.models import Event
from seedbox import lifecycle, pipeline, sending, transfer
from seedbox.models import State, Torrent
from tests.conftest import wait_for


def tick_until(torrent, *states, timeout=90):
    def reached():
        pipeline.tick(inline=True)
        torrent.refresh_from_db()
        return torrent.state in states

    wait_for(reached, timeout=timeout, interval=0.2, message=f"{torrent} to reach {states}")
    return torrent


@pytest.mark.parametrize("media", ["series", "movie"])
def test_add_complete_transfer_import_and_clean(media, seedbox, seedbox_settings, sonarr, radarr, plex,
                                                transactional_db):
    fake = sonarr if media == "series" else radarr
    title = "Breaking Bad" if media == "series" else "The Matrix"
    item = fake.add_media(81189 if media == "series" else 603, title)
    name = "Breaking.Bad.S01E01.1080p.mkv" if media == "series" else "The.Matrix.1999.1080p.mkv"
    content = os.urandom(400_000)
    data, infohash = seedbox.seed(name, {name: content})
    ids = {"tvdb_id": 81189} if media == "series" else {"tmdb_id": 603}

    torrent, created = sending.add(None, media_type=media, torrent_file=data, title=title, **ids)
    assert created and torrent.state == State.SENT
    ready = str(transfer.ready_dir(torrent))

    tick_until(torrent, State.REMOTE_CLEANED)

    scans = fake.commands_named(fake.scan)
    assert len(scans) == 1
    assert scans[0]["path"] == ready and scans[0]["downloadClientId"] == infohash.upper()
    assert (fake.library / title / name).read_bytes() == content
    assert not (seedbox.remote_root / name).exists(), "the remote data must be deleted over SFTP"
    assert infohash not in seedbox.client.hashes(), "the torrent must be erased from rTorrent"
    assert torrent.bytes_freed == len(content)
    assert not transfer.ready_dir(torrent).exists()
    kinds = list(Event.objects.filter(subject_id=str(torrent.pk)).order_by("id")
                 .values_list("kind", flat=True))
    for state in ("transferred", "import_pending", "importing", "imported", "remote_cleaned"):
        assert f"seedbox.torrent.{state}" in kinds
    imported = Event.objects.get(subject_id=str(torrent.pk), kind="seedbox.torrent.imported")
    assert imported.payload["imported"] == [str(fake.library / title / name)]
    assert item["id"]
    assert plex.refreshes == ["all"], "Plex is asked to scan once the files are in the library"


def test_rejected_import_is_blocked_with_the_reason_then_retried(seedbox, seedbox_settings, sonarr,
                                                                  transactional_db):
    sonarr.add_media(81189, "Breaking Bad")
    sonarr.reject("Not an upgrade for existing episode file(s)")
    name = "Breaking.Bad.S01E02.mkv"
    data, _ = seedbox.seed(name, {name: os.urandom(100_000)})
    torrent, _ = sending.add(None, media_type="series", torrent_file=data, tvdb_id=81189)

    tick_until(torrent, State.IMPORT_BLOCKED)
    assert "Not an upgrade for existing episode file(s)" in torrent.reason
    assert sonarr.commands_named("DownloadedEpisodesScan") == []
    assert transfer.ready_dir(torrent).is_dir(), "a blocked import keeps its files ready"

    sonarr.reject("")
    lifecycle.retry(None, torrent)
    tick_until(torrent, State.REMOTE_CLEANED)
    assert len(sonarr.commands_named("DownloadedEpisodesScan")) == 1


def test_series_unknown_to_sonarr_is_blocked(seedbox, seedbox_settings, sonarr, transactional_db):
    name = "Unknown.Show.S01E01.mkv"
    data, _ = seedbox.seed(name, {name: os.urandom(50_000)})
    torrent, _ = sending.add(None, media_type="series", torrent_file=data, tvdb_id=999)
    tick_until(torrent, State.IMPORT_BLOCKED)
    assert "TVDB id 999" in torrent.reason


def test_same_magnet_twice_is_one_torrent(seedbox, seedbox_settings, transactional_db):
    # With DHT off (as in the test rTorrent) a magnet needs a tracker, or rTorrent drops it.
    magnet = "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=Some.Release&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce"
    first, created = sending.add(None, media_type="movie", magnet=magnet, tmdb_id=603)
    second, created_again = sending.add(None, media_type="movie", magnet=magnet.replace("ab" * 20, "AB" * 20),
                                        tmdb_id=603)
    assert created and not created_again
    assert first.pk == second.pk and Torrent.objects.count() == 1
    assert list(seedbox.client.hashes()).count("ab" * 20) == 1
    assert first.state == State.SENT


def test_imported_torrent_keeps_seeding_until_the_policy_is_met(seedbox, seedbox_settings, sonarr,
                                                                transactional_db):
    seedbox_settings.SEEDBOX_SEED_RATIO = 5.0
    seedbox_settings.SEEDBOX_SEED_TIME = 3600
    sonarr.add_media(81189, "Breaking Bad")
    name = "Breaking.Bad.S01E03.mkv"
    data, infohash = seedbox.seed(name, {name: os.urandom(60_000)})
    torrent, _ = sending.add(None, media_type="series", torrent_file=data, tvdb_id=81189)
    tick_until(torrent, State.IMPORTED)
    pipeline.tick(inline=True)
    torrent.refresh_from_db()
    assert torrent.state == State.IMPORTED
    assert (seedbox.remote_root / name).exists() and infohash in seedbox.client.hashes()

    seedbox_settings.SEEDBOX_SEED_TIME = 0
    tick_until(torrent, State.REMOTE_CLEANED)
    assert not (seedbox.remote_root / name).exists()


def test_connections_report_each_endpoint(seedbox, seedbox_settings, sonarr, people, api):
    body = api.as_user(people["super"]).get("/api/seedbox/connections").json()
    results = {c["name"]: c for c in body}
    assert results["rtorrent"]["ok"] and results["rtorrent"]["message"].startswith("rTorrent 0.")
    assert results["sftp"]["ok"] and str(seedbox.remote_root) in results["sftp"]["message"]
    assert results["sonarr"]["ok"] and "Sonarr" in results["sonarr"]["message"]
    assert not results["radarr"]["ok"] and "/settings/connections/#radarr" in results["radarr"]["message"]
    assert not results["indexer"]["ok"] and "/settings/connections/#indexer" in results["indexer"]["message"]
