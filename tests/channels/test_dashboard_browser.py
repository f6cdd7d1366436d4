"""Browser (Debian's Chromium): the channels dashboard and detail page, live, with the hls.js player."""

import shutil

import pytest

from channels_app import catalog, paths, playout
from channels_app.models import Channel
from demo.clips import make_clip
from mediasuite.models import Event
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
