"""Transfer home over SFTP against a real sshd: .part files, resume, size and piece checks, atomic ready/."""

import os
import signal

import pytest

from mediasuite.models import Event
from seedbox import pipeline, transfer
from seedbox.models import State, Torrent
from tests.conftest import wait_for


def test_multi_file_torrent_arrives_whole_in_ready(finished, seedbox_settings):
    files = {"Show.S01E01.mkv": os.urandom(300_000),
             "Subs/Show.S01E01.srt": b"1\n00:00:01 --> 00:00:02\nhi\n"}
    torrent = finished("Show.S01", files)

    result = transfer.run(torrent.pk, "w1")

    torrent.refresh_from_db()
    assert torrent.state == State.TRANSFERRED, result
    ready = transfer.ready_dir(torrent)
    assert {str(p.relative_to(ready)) for p in ready.rglob("*") if p.is_file()} == set(files)
    for rel, content in files.items():
        assert (ready / rel).read_bytes() == content
    assert not transfer.incoming_dir(torrent).exists()
    kinds = list(Event.objects.filter(subject_type="torrent", subject_id=str(torrent.pk))
                 .order_by("id").values_list("kind", flat=True))
    # "downloading" shows when a poll catches rTorrent still hash-checking the data.
    skip = ("seedbox.torrent.progress", "seedbox.torrent.downloading")
    assert [k for k in kinds if k not in skip] == [
        "seedbox.torrent.queued", "seedbox.torrent.sent", "seedbox.torrent.remote_complete",
        "seedbox.torrent.transferring", "seedbox.torrent.transferred"]


def test_truncated_remote_file_is_refused(finished, seedbox):
    torrent = finished("Movie.2020.mkv", {"Movie.2020.mkv": os.urandom(200_000)}, media_type="movie")
    os.truncate(seedbox.remote_root / "Movie.2020.mkv", 150_000)

    transfer.run(torrent.pk, "w1")

    torrent.refresh_from_db()
    assert torrent.state == State.FAILED
    assert "truncated" in torrent.reason and "150000" in torrent.reason
    assert torrent.failed_from == State.REMOTE_COMPLETE and torrent.next_retry_at is not None
    assert not transfer.ready_dir(torrent).exists()


def test_a_failed_transfer_is_retried_automatically_once_fixed(finished, seedbox, seedbox_settings):
    content = os.urandom(120_000)
    torrent = finished("Retry.mkv", {"Retry.mkv": content})
    path = seedbox.remote_root / "Retry.mkv"
    os.truncate(path, 1000)
    transfer.run(torrent.pk, "w1")
    torrent.refresh_from_db()
    assert torrent.state == State.FAILED and torrent.attempts == 1

    path.write_bytes(content)
    Torrent.objects.filter(pk=torrent.pk).update(next_retry_at=torrent.next_retry_at.replace(year=2000))
    pipeline.tick(inline=True)  # retry (failed -> remote_complete), then the transfer

    torrent.refresh_from_db()
    assert torrent.state == State.TRANSFERRED, torrent.reason
    assert (transfer.ready_dir(torrent) / "Retry.mkv").read_bytes() == content


def test_corrupt_piece_is_refused_when_the_torrent_file_is_known(finished, seedbox):
    torrent = finished("Clip.mkv", {"Clip.mkv": os.urandom(100_000)})
    path = seedbox.remote_root / "Clip.mkv"
    data = bytearray(path.read_bytes())
    data[50_000] ^= 0xFF
    path.write_bytes(bytes(data))

    transfer.run(torrent.pk, "w1")

    torrent.refresh_from_db()
    assert torrent.state == State.FAILED
    assert "piece 1" in torrent.reason
    assert not transfer.ready_dir(torrent).exists()


@pytest.mark.processes
@pytest.mark.parametrize("ranges", [1, 3], ids=["one-stream", "three-ranges"])
def test_killed_worker_resumes_and_nothing_is_ready_before_whole(ranges, finished, seedbox, seedbox_settings,
                                                                 spawn):
    content = os.urandom(12 * 1024 * 1024)
    seedbox_settings.SEEDBOX_TRANSFER_PARALLEL = ranges
    seedbox_settings.SEEDBOX_SPLIT_MIN = 1024 * 1024
    torrent = finished("Big.mkv", {"Big.mkv": content})
    env = {**seedbox.env(seedbox_settings.SEEDBOX_STAGING_DIR), "SEEDBOX_BANDWIDTH_LIMIT": str(512 * 1024),
           "SEEDBOX_TRANSFER_PARALLEL": str(ranges), "SEEDBOX_SPLIT_MIN": str(1024 * 1024)}
    worker = spawn("transfer-1", "seedbox", "transfer", str(torrent.pk), "--worker", "w1", env=env)
    incoming = transfer.incoming_dir(torrent)

    def pulled():
        return sum(p.stat().st_size for p in incoming.glob("Big.mkv.part*")) if incoming.exists() else 0

    wait_for(lambda: pulled() >= 1024 * 1024, timeout=60, message="the first worker to pull at least 1 MiB")
    os.kill(worker.pid, signal.SIGKILL)
    worker.popen.wait(10)
    kept = pulled()
    assert 0 < kept < len(content)
    assert not transfer.ready_dir(torrent).exists()
    assert Torrent.objects.get(pk=torrent.pk).state == State.TRANSFERRING

    seedbox_settings.SEEDBOX_CLAIM_TTL = 0  # the killed worker's claim counts as silent at once
    pipeline.tick(inline=True)  # what the background service does: the abandoned step is taken over

    torrent.refresh_from_db()
    assert torrent.state == State.TRANSFERRED, torrent.reason
    assert Event.objects.filter(subject_id=str(torrent.pk), kind="seedbox.torrent.transferring",
                                payload__takeover=True).count() == 1
    assert (transfer.ready_dir(torrent) / "Big.mkv").read_bytes() == content
    done = Event.objects.get(subject_id=str(torrent.pk), kind="seedbox.torrent.transferred")
    assert done.payload["resumed_from"] >= kept


@pytest.mark.processes
def test_two_workers_racing_make_one_transfer(finished, seedbox, seedbox_settings, spawn):
    torrent = finished("Race.mkv", {"Race.mkv": os.urandom(2 * 1024 * 1024)})
    env = seedbox.env(seedbox_settings.SEEDBOX_STAGING_DIR)
    workers = [spawn(f"transfer-{n}", "seedbox", "transfer", str(torrent.pk), "--worker", f"w{n}", env=env)
               for n in (1, 2)]
    for worker in workers:
        assert worker.popen.wait(120) == 0, worker.output()

    torrent.refresh_from_db()
    assert torrent.state == State.TRANSFERRED
    claims = Event.objects.filter(subject_id=str(torrent.pk), kind="seedbox.torrent.transferring")
    assert claims.count() == 1
    outputs = sorted(w.output() for w in workers)
    assert sum("transferred (resumed from" in o for o in outputs) == 1
    assert sum("not claimed" in o for o in outputs) == 1
