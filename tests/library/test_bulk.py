"""Bulk jobs: queued by the API, run by the worker's entry point, each item in its own error boundary."""

from pathlib import Path

from library import tasks
from library.models import ArchiveRecord, BulkJob
from mediasuite.models import Event


def test_bulk_archive_of_20_with_2_failures_reported(client, plex, radarr, movie):
    made = [
        movie(f"Movie {n:02d}", 2000 + n, 1000 + n, watched_by=[] if n in (3, 11) else [1]) for n in range(20)
    ]
    keys = [key for key, _ in made]

    answer = client.post(
        "/api/library/bulk", {"action": "archive", "plex_user": 1, "rating_keys": keys}, format="json"
    )
    assert answer.status_code == 202, answer.content
    job_id = answer.json()["id"]
    assert answer.json()["state"] == "queued" and answer.json()["total"] == 20

    assert tasks.bulk(job_id) == "18 done, 2 failed"

    job = client.get(f"/api/library/bulk/{job_id}").json()
    assert job["state"] == "done" and job["done"] == 20
    failed = [e for e in job["report"] if not e["ok"]]
    assert [e["rating_key"] for e in failed] == [keys[3], keys[11]]
    assert all("is not watched" in e["message"] for e in failed)
    assert ArchiveRecord.objects.count() == 18
    for n, (_, item) in enumerate(made):
        assert Path(item["path"]).exists() == (n in (3, 11))
    steps = list(Event.objects.filter(kind="library.bulk.progress", subject_id=str(job_id)).order_by("id"))
    assert [e.payload["done"] for e in steps] == list(range(1, 21)), "one pushed step per item, in order"
    assert {e.payload["total"] for e in steps} == {20}
    assert [e.payload["entry"] for e in steps] == job["report"]
    assert "is not watched" in steps[3].message
    assert Event.objects.get(kind="library.bulk.done").payload == {"done": 18, "failed": 2}
    assert tasks.bulk(job_id) == f"job {job_id} is not queued", "a job runs once"


def test_a_bulk_move_to_a_foreign_root_is_refused(client, plex, radarr, sonarr, movie):
    key, _ = movie("The Matrix", 1999, 603)
    answer = client.post(
        "/api/library/bulk",
        {"action": "move", "plex_user": 1, "rating_keys": [key], "options": {"root_folder": "/etc"}},
        format="json",
    )
    assert answer.status_code == 400 and "not a root folder" in answer.json()["error"]
    assert not BulkJob.objects.exists()


def test_bulk_options_are_checked(client, plex):
    answer = client.post(
        "/api/library/bulk",
        {"action": "archive", "plex_user": 1, "rating_keys": [1], "options": {"shred": True}},
        format="json",
    )
    assert answer.status_code == 400 and "shred" in answer.json()["error"]
    assert not BulkJob.objects.exists()
