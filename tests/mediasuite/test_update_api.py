"""The update API and the System page in-process: roles, one job at a time, bad input, versions.

Starting a real update (202) is covered end to end in test_update.py: here
every request is refused before an updater would start.
"""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from mediasuite.models import Event, UpdateJob
from mediasuite.system import jobs

ENDPOINTS = [("post", "/api/system/update"), ("get", "/api/system/update/1"), ("get", "/api/system/version")]


def call(api, method, url):
    return getattr(api, method)(url, {"confirm": True} if method == "post" else None, format="json")


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_is_401(method, url, api, db):
    assert call(api, method, url).status_code == 401
    assert not UpdateJob.objects.exists()


@pytest.mark.parametrize("actor", ["admin", "player", "other_admin"])
@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_only_a_super_admin_may(method, url, actor, api, people):
    jobs.create(None)
    response = call(api.as_user(people[actor]), method, url)
    assert response.status_code == 403
    assert response.json() == {"error": "Only a super admin may see or start updates."}
    assert UpdateJob.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"confirm": False}, {"confirm": "maybe"}, {"confirm": [1]}])
def test_the_update_must_be_confirmed(body, api, people):
    response = api.as_user(people["super"]).post("/api/system/update", body, format="json")
    assert response.status_code == 400 and "confirm" in response.json()["fields"]
    assert not UpdateJob.objects.exists()


def test_one_update_at_a_time(api, people):
    running = jobs.create(people["super"])
    response = api.as_user(people["super"]).post("/api/system/update", {"confirm": True}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == f"Update #{running.pk} is already running (step pending); wait for " \
                                       "it to finish."
    assert UpdateJob.objects.count() == 1
    # The database refuses a second unfinished job whoever asks.
    with pytest.raises(jobs.Busy):
        jobs.create(None)
    jobs.finish(running, UpdateJob.State.FAILED, "stopped by the test")
    assert jobs.create(None).pk != running.pk


def test_a_silent_job_whose_updater_is_gone_no_longer_blocks(people, settings):
    stale = jobs.create(None)
    jobs.set_fields(stale, pid=2**22 + 12345)  # above pid_max: no such process
    UpdateJob.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.UPDATE_STALE_AFTER + 1))
    fresh = jobs.create(None)
    stale.refresh_from_db()
    assert stale.state == "failed" and "stopped answering" in stale.message and fresh.state == "pending"


def test_a_job_and_its_log(api, people):
    job = jobs.create(people["super"])
    jobs.advance(job, UpdateJob.State.PRECHECK)
    jobs.log(job, "Running abc (today).")
    body = api.as_user(people["super"]).get(f"/api/system/update/{job.pk}").json()
    assert body["job_id"] == job.pk and body["state"] == "precheck" and not body["finished"]
    assert [line["message"] for line in body["results"]] == ["Running abc (today)."]
    kinds = Event.objects.filter(subject_type="updatejob").order_by("id").values_list("kind", flat=True)
    assert list(kinds) == ["update.state", "update.state", "update.log"]
    assert api.get("/api/system/update/987654").status_code == 404
    with pytest.raises(RuntimeError):  # compare-and-set: a step cannot move a job from a state it left
        jobs.advance(UpdateJob(pk=job.pk, state="pending"), "backup")


def git(cwd, *args):
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


def test_version_compares_the_running_and_the_remote_commit(api, people, settings, tmp_path):
    git(tmp_path, "init", "-q", "-b", "main", "work")
    (tmp_path / "work" / "f").write_text("a")
    git(tmp_path / "work", "add", "f")
    git(tmp_path / "work", "commit", "-q", "-m", "first")
    git(tmp_path, "clone", "-q", "--bare", "work", "remote.git")
    git(tmp_path, "clone", "-q", "remote.git", "install")
    settings.BASE_DIR = tmp_path / "install"
    api.as_user(people["super"])
    body = api.get("/api/system/version").json()
    assert body["branch"] == "origin/main" and body["update_available"] is False and body["error"] == ""
    assert body["running"] == body["remote"] and body["running"]["subject"] == "first"

    (tmp_path / "work" / "f").write_text("b")
    git(tmp_path / "work", "commit", "-q", "-am", "second")
    git(tmp_path / "work", "push", "-q", str(tmp_path / "remote.git"), "main")
    body = api.get("/api/system/version").json()
    assert body["update_available"] is True and body["remote"]["subject"] == "second"
    assert body["running"]["subject"] == "first"

    git(tmp_path / "install", "branch", "--unset-upstream")
    body = api.get("/api/system/version").json()
    assert "tracks no remote branch" in body["error"] and body["update_available"] is False


def test_system_page_is_for_super_admins(client, people):
    assert client.get("/system/").status_code == 302
    client.force_login(people["admin"])
    assert client.get("/system/").status_code == 403
    assert 'href="/system/"' not in client.get("/").content.decode()
    client.force_login(people["super"])
    page = client.get("/system/").content.decode()
    assert 'id="update-button"' in page and 'id="running-version"' in page
    assert 'href="/system/"' in client.get("/").content.decode()
