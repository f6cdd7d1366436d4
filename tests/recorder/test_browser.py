"""The court page in Chromium: open a session, record, watch the time advance live, stop, play."""

import pytest

from recorder.models import CameraSession, Recording
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.processes]


def seconds(text: str) -> int:
    minutes, secs = text.rsplit(":", 1)
    return int(minutes.split(":")[-1]) * 60 + int(secs)


def test_record_from_the_court_page_and_play_it_on_the_recordings_page(supervisor, court, people, login, web):
    page = login(people["admin"], f"/courts/{court.pk}/")
    page.click("#open-session")
    page.wait_for_function("() => { const img = document.getElementById('preview');"
                           " return img && img.naturalWidth > 0; }", timeout=30_000)
    page.fill("#duration", "5")
    page.click("#start")
    page.wait_for_function("() => document.getElementById('rec-state').textContent === 'recording'")
    page.wait_for_function("() => /^\\d+:\\d\\d$/.test(document.getElementById('elapsed').textContent)")
    first = seconds(page.text_content("#elapsed"))
    page.wait_for_function(f"() => {{ const t = document.getElementById('elapsed').textContent.split(':');"
                           f" return parseInt(t[0]) * 60 + parseInt(t[1]) >= {first + 3}; }}", timeout=20_000)
    remaining = seconds(page.text_content("#remaining"))
    assert 4 * 60 < remaining < 5 * 60
    rec = Recording.objects.get()
    wait_for(lambda: rec.parts_dir.is_dir() and any(p.stat().st_size for p in rec.parts_dir.glob("*.mp4")),
             timeout=30, message="ffmpeg writing")
    page.click("#stop")
    page.wait_for_function("() => document.getElementById('rec-state').textContent === 'finalized'",
                           timeout=40_000)
    # The recording closed its session, as the original did; Start records again in a new one.
    page.wait_for_selector("#preview", state="detached")
    assert page.text_content("#rec-label") == "Last recording" and page.is_visible("#start")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click("#start")
    page.wait_for_function("() => document.getElementById('rec-state').textContent === 'recording'")
    assert [s.closed_at is None for s in CameraSession.objects.order_by("created_at")] == [False, True]
    page.goto(f"{web}/recordings/")
    video = page.locator(f"[data-recording='{rec.session.session_id}'] video")
    assert video.count() == 1
    page.wait_for_function("() => document.querySelector('video').readyState >= 1", timeout=20_000)
    duration = page.evaluate("() => document.querySelector('video').duration")
    assert duration >= 2
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.currentTime = 1;"
                  " return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').currentTime > 1.2", timeout=20_000)


def test_club_page_shows_a_recording_start_live_and_recordings_page_deletes(court, people, login, web, club):
    from recorder import recording, sessions

    from .helpers import make_court, make_recording, make_session

    page = login(people["admin"], f"/clubs/{club.pk}/courts/")
    card = page.locator(f"[data-court='{court.pk}'] [data-role=state]")
    assert card.text_content() == "free"
    session = sessions.create(people["player"], court)
    recording.start(people["player"], session, 5)  # another user, elsewhere: the page follows the events
    page.wait_for_function(f"() => document.querySelector(\"[data-court='{court.pk}'] [data-role=state]\")"
                           ".textContent === 'recording'", timeout=20_000)

    done = make_recording(make_session(make_court(club, "Court 2"), people["player"], "sess_2_1"))
    page.goto(f"{web}/recordings/")
    assert page.locator("[data-recording='sess_2_1'] video").count() == 1
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-recording='sess_2_1'] [data-role=delete]")
    page.wait_for_selector("[data-recording='sess_2_1']", state="detached", timeout=20_000)
    assert not done.path.exists()


NO_FRAME = ("No frame was received: Camera unreachable at 127.0.0.1:8589 (connection refused); check the "
            "camera, then record again.")


def test_a_failed_recording_shows_failed_with_its_reason_and_no_download(court, people, login, web, browser):
    from django.utils import timezone

    from tests.conftest import sign_in

    from .helpers import make_recording, make_session

    session = make_session(court, people["player"], f"sess_{court.pk}_1")
    failed = make_recording(session, state="failed", with_file=False)
    Recording.objects.filter(pk=failed.pk).update(failure=NO_FRAME, stderr_tail="[mjpeg] Connection refused")
    type(session).objects.filter(pk=session.pk).update(closed_at=timezone.now())  # closed with its recording

    page = login(people["player"], f"/courts/{court.pk}/")
    page.wait_for_function("() => document.getElementById('rec-state').textContent === 'failed'")
    assert "state-failed" in page.get_attribute("#rec-state", "class").split()
    assert page.text_content("#rec-failure") == NO_FRAME and page.is_visible("#rec-failure")
    assert page.locator("a[download], video").count() == 0
    assert page.is_visible("#start")  # record again: Start opens a new session

    admin = browser.new_context()
    page = sign_in(admin.new_page(), web, people["admin"].username, "/recordings/")
    card = page.locator(f"[data-recording='{session.session_id}']")
    badge = card.locator("[data-role=state]")
    assert badge.text_content() == "failed" and "state-failed" in badge.get_attribute("class").split()
    assert card.locator("[data-role=failure]").text_content() == NO_FRAME
    log = card.locator("[data-role=log]")
    assert not log.locator("pre").is_visible()  # the log lines stay behind the toggle
    log.locator("summary").click()
    assert log.locator("pre").text_content() == "[mjpeg] Connection refused"
    assert card.locator("video, a[download], [data-role=download]").count() == 0
    page.on("dialog", lambda dialog: dialog.accept())
    card.locator("[data-role=delete]").click()
    card.wait_for(state="detached")
    assert not Recording.objects.filter(pk=failed.pk).exists()
    admin.close()
