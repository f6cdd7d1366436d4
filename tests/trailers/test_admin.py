"""The admin: operators see the entries with their status and drive them through the domain modules."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from trailers.models import Status, TrailerEntry

from .conftest import take_queued


@pytest.fixture
def signed_in(operator):
    operator.is_staff = True
    operator.save()
    browser = Client()
    assert browser.login(username=operator.username, password=PASSWORD)
    return browser


def entry(**fields):
    return TrailerEntry.objects.create(**{"media_type": "movie", "external_id": 603, "title": "The Matrix",
                                          "year": 1999, "status": Status.UNLOCKED,
                                          "candidates": [{"video_id": "vKQi3bBA1y8", "title": "Trailer",
                                                          "url": "https://www.youtube.com/watch?v=vKQi3bBA1y8"},
                                                         {"video_id": "Zq6xV8bq6CE", "title": "Other"}],
                                          **fields})


def test_list_shows_status_and_lock_then_unlock_actions(signed_in):
    target = entry()
    page = signed_in.get("/admin/trailers/trailerentry/")
    assert page.status_code == 200 and b'data-trailer-status' in page.content and b"UNLOCKED" in page.content
    signed_in.post("/admin/trailers/trailerentry/", {"action": "lock_first_candidate_trailers",
                                                     "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.status == Status.LOCKED and target.locked_video_id == "vKQi3bBA1y8"
    assert target.candidates == []
    signed_in.post("/admin/trailers/trailerentry/",
                   {"action": "unlock_trailers", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.status == Status.UNLOCKED


def test_refresh_action_queues_one_job(signed_in, django_capture_on_commit_callbacks):
    target = entry()
    with django_capture_on_commit_callbacks(execute=True):
        answer = signed_in.post("/admin/trailers/trailerentry/",
                                {"action": "refresh_trailers", "_selected_action": [target.pk]}, follow=True)
    assert b"queued for 1 media" in answer.content
    [job] = take_queued()
    assert job["func"] == "trailers.tasks.refresh" and job["args"][0][0]["external_id"] == 603


def test_a_club_admin_does_not_see_trailers(people, db):
    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    entry()
    browser = Client()
    browser.login(username=admin_user.username, password=PASSWORD)
    assert browser.get("/admin/trailers/trailerentry/").status_code == 403
