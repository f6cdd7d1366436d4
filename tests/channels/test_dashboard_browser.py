"""Browser (Debian's Chromium): the channels dashboard and detail page, live, with the hls.js player."""

import shutil
import time

import pytest
import requests

from channels_app import catalog, paths, playout
from channels_app.models import Channel
from demo.clips import make_clip
from mediasuite.models import Event, UnitState
from mediasuite.supervisor import transitions
from tests.conftest import wait_for

from .conftest import wait_playing

pytestmark = [pytest.mark.browser, pytest.mark.processes]

VIDEO = "document.getElementById('player-video')"
H264 = "MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.4d401e,mp4a.40.2\"')"


@pytest.fixture(scope="module")
def long_clips(tmp_path_factory):
    """Two 40 s clips, so that no file ends by itself while the test looks at the card."""
    folder = tmp_path_factory.mktemp("long-clips")
    for name, tone in (("one.mp4", 440), ("two.mp4", 660)):
        make_clip(folder / name, 40.0, label=name, size="320x180", frequency=tone)
    return folder


@pytest.fixture
def long_channel(long_clips, transactional_db):
    made = []

    def make(name):
        folder = paths.channels_root() / name
        folder.mkdir(parents=True)
        for clip in long_clips.iterdir():
            shutil.copy(clip, folder / clip.name)
        (folder / "series.txt").write_text("")
        made.append(name)
        return catalog.create(None, name=name, folder=name, desired="running")

    yield make
    for name in made:
        shutil.rmtree(paths.channels_root() / name, ignore_errors=True)
        shutil.rmtree(paths.hls_root() / name, ignore_errors=True)


def file_shown(page, name):
    return page.locator(f'#channel-{name} [data-role="file-name"]')


def test_restart_from_the_dashboard_then_watch_the_channel(people, long_channel, supervisor, login, page):
    channel = long_channel("dash-live")
    wait_playing(channel)
    assert Channel.objects.get(pk=channel.pk).current_file.name == "one.mp4"

    login(people["super"], "/channels/")
    assert page.evaluate(H264), "this Chromium cannot decode H.264 through Media Source Extensions"
    card = page.locator("#channel-dash-live")
    assert file_shown(page, "dash-live").inner_text() == "one.mp4"
    page.wait_for_function("el => el.textContent === 'running'",
                           arg=card.locator('[data-role="state"]').element_handle(), timeout=30_000)
    page.evaluate("window.__sameDocument = true")

    # The progress bar moves by itself, computed from the cursor (no request).
    bar = card.locator('[data-role="progress"]').element_handle()
    start = page.evaluate("el => parseFloat(el.style.width)", bar)
    page.wait_for_function(f"el => parseFloat(el.style.width) > {start} + 2", arg=bar, timeout=15_000)

    card.locator('[data-action="restart"]').click()
    page.locator("#confirm-modal").wait_for(state="visible")
    assert "Restart dash-live?" in page.locator("#confirm-title").inner_text()
    page.click("#confirm-ok")

    accepted = page.locator('[data-role="notification"][data-kind="accepted"][data-channel="dash-live"]')
    accepted.wait_for(timeout=15_000)
    assert "is restarting" in accepted.inner_text()
    event = wait_for(lambda: Event.objects.filter(kind="channel.restarted", subject_id=str(channel.pk),
                                                  payload__trigger="manual").order_by("-id").first(),
                     timeout=45, message="the manual restart to be carried out")
    assert event.payload["file"] == "two.mp4" and event.actor == people["super"]
    done = page.locator('[data-role="notification"][data-kind="channel.restarted"][data-channel="dash-live"]',
                        has_text="now plays two.mp4")
    done.wait_for(timeout=15_000)
    text = done.inner_text()
    assert "now plays two.mp4" in text
    assert f"first segment after {event.payload['first_segment_ms']} ms" in text
    page.wait_for_function("el => el.textContent === 'two.mp4'",
                           arg=file_shown(page, "dash-live").element_handle(), timeout=10_000)
    assert page.evaluate("window.__sameDocument") is True  # all of it without a reload

    # Click the card: the embedded hls.js player plays the channel.
    card.locator('[data-role="file"]').click()
    page.locator("#player").wait_for(state="visible")
    page.wait_for_function(f"{VIDEO}.currentTime > 1", timeout=45_000)
    first = page.evaluate(f"{VIDEO}.currentTime")
    page.wait_for_function(f"{VIDEO}.currentTime > {first} + 2", timeout=30_000)
    assert page.evaluate(f"{VIDEO}.paused") is False


def test_play_a_chosen_file_and_see_the_history_live(people, make_channel, web, login, page):
    """Without a playout process: the request is taken (202) and lands in the history at once."""
    channel = make_channel("dash-quiet", series=True)
    login(people["super"], "/channels/")
    card = page.locator("#channel-dash-quiet")
    card.locator('[data-action="play"]').click()
    page.locator("#play-modal").wait_for(state="visible")
    page.wait_for_function("document.querySelectorAll('#play-file option').length === 3")
    page.select_option("#play-file", "c.mp4")
    page.click("#play-ok")
    accepted = page.locator('[data-role="notification"][data-kind="accepted"][data-channel="dash-quiet"]')
    accepted.wait_for()
    assert "c.mp4 starts" in accepted.inner_text()
    card.locator('[data-role="pending"]').wait_for(state="visible")
    requested = Event.objects.get(kind="channel.restart_requested", subject_id=str(channel.pk))
    assert requested.payload["file"] == "c.mp4" and requested.actor == people["super"]

    page.click('#channel-dash-quiet [data-role="details"]')
    page.wait_for_url("**/channels/dash-quiet/")
    rows = page.locator("#history-rows tr[data-event-id]")
    assert rows.count() == 1 and "c.mp4" in rows.first.inner_text()
    page.evaluate("window.__sameDocument = true")

    playout.request_restart(people["super"], channel)
    page.wait_for_function("document.querySelectorAll('#history-rows tr[data-event-id]').length === 2",
                           timeout=15_000)
    newest = rows.first
    assert newest.get_attribute("data-kind") == "channel.restart_requested"
    assert "manual" in newest.inner_text() and "root" in newest.inner_text()
    assert page.evaluate("window.__sameDocument") is True


def test_other_users_see_the_channels_without_buttons(people, make_channel, web, login, page):
    make_channel("dash-quiet")
    login(people["player"], "/channels/")
    assert page.locator("#channel-dash-quiet").is_visible()
    assert page.locator('[data-action="restart"]').count() == 0
    assert page.locator("#restart-all").count() == 0
    assert "token=" in page.locator("#m3u-url").input_value()


LOG_LINES = [f"ffmpeg line {n}: something went wrong" for n in range(1, 21)]
RED = "rgb(220, 53, 69)"
GREEN = "rgb(25, 135, 84)"


def fail(channel, lines=LOG_LINES):
    """The supervisor gives up on the channel's unit, as loop.exited writes it."""
    reason = "exited with code 3. Last lines of /var/log/channel.log:\n" + "\n".join(lines)
    transitions.transition(channel.unit_id, UnitState.FAILED, None, reason=reason, exit_code=3)


def background(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def test_a_failed_channel_card_shows_a_sentence_and_its_log_behind_a_toggle(people, make_channel, web, login,
                                                                           page):
    drawn = make_channel("dash-failed", desired="running")
    fail(drawn)
    live = make_channel("dash-fails-now", desired="running")
    login(people["super"], "/channels/")
    for name in ("dash-failed", "dash-fails-now"):
        if name == "dash-fails-now":
            fail(live)  # while the page is open: the card follows the event
        card = page.locator(f"#channel-{name}")
        state = card.locator('[data-role="state"]')
        page.wait_for_function("el => el.textContent === 'failed'", arg=state.element_handle())
        assert background(state) == RED
        text = card.locator('[data-role="error-text"]')
        text.wait_for()
        page.wait_for_function("el => el.textContent.includes('Read its log')", arg=text.element_handle())
        sentence = text.inner_text()
        assert "alert-danger" in card.locator('[data-role="error"]').get_attribute("class").split()
        assert sentence == (f"Channel {name} failed: its process exited with code 3. Read its log, fix the "
                            "cause, then restart it (it is retried every 60 s).")
        log = card.locator('[data-role="error-log"]')
        assert log.locator("summary").inner_text() == "Show log"
        assert not log.locator("pre").is_visible(), "the log is collapsed"
        assert "ffmpeg line" not in card.inner_text()
        log.locator("summary").click()
        assert log.locator("pre").is_visible()
        assert log.locator("pre").inner_text().splitlines() == LOG_LINES
        bar = card.locator('[data-role="progress"]')
        assert "progress-bar-animated" not in (bar.get_attribute("class") or "")


def test_a_crash_restart_is_a_warning_and_says_the_file_was_resumed(people, make_channel, web, login, page):
    channel = make_channel("dash-crash", desired="running")
    login(people["super"], "/channels/")
    video = channel.files.get(name="a.mp4")
    playout.first_segment(channel, trigger="crash", previous=video, video=video, offset=75.0,
                          requested=time.time())
    crash = page.locator('[data-role="notification"][data-kind="channel.restarted"][data-trigger="crash"]')
    crash.wait_for()
    assert "alert-warning" in crash.get_attribute("class")
    assert background(crash) != GREEN and "alert-success" not in crash.get_attribute("class")
    assert "resumed a.mp4 at 1:15" in crash.inner_text() and "(was" not in crash.inner_text()
    other = channel.files.get(name="b.mp4")
    playout.first_segment(channel, trigger="manual", previous=video, video=other, offset=0.0,
                          requested=time.time())
    manual = page.locator('[data-role="notification"][data-kind="channel.restarted"][data-trigger="manual"]')
    manual.wait_for()
    assert "alert-success" in manual.get_attribute("class")
    assert "now plays b.mp4 (was a.mp4)" in manual.inner_text()


def test_a_new_playlist_url_from_the_dashboard_replaces_the_old_one(people, web, login, page):
    login(people["player"], "/channels/")
    old = page.locator("#m3u-url").input_value()
    assert "token=" in old
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new playlist URL").click()
    page.wait_for_function(f"document.getElementById('m3u-url') && document.getElementById('m3u-url').value "
                           f"!== {old!r}")
    new = page.locator("#m3u-url").input_value()
    path = "/playlist.m3u?token="
    assert requests.get(f"{web}{path}{old.split('token=')[1]}", timeout=10).status_code == 401
    assert requests.get(f"{web}{path}{new.split('token=')[1]}", timeout=10).status_code == 200
