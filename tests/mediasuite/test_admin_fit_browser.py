"""Admin change lists fit a 1280 px screen: long texts are cut, the whole text is in the title."""

import pytest

from channels_app.models import Channel, VideoFile
from mediasuite import events
from mediasuite.models import Unit, UnitState
from mediasuite.supervisor import transitions
from seedbox.models import Torrent

pytestmark = [pytest.mark.browser, pytest.mark.processes]

LONG = ("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 8589) while reading the "
        "camera stream of court 3; " * 5)[:480]


def long_rows():
    """One row of each list with the longest texts people meet there."""
    unit = Unit.objects.create(name="channel-a-very-long-channel-name-for-the-lobby-screens", kind="channel",
                               state=UnitState.STARTING)
    # As the supervisor fails it: the list page's live script replays this event's payload into the row.
    transitions.transition(unit.pk, UnitState.FAILED, None,
                           reason="exited with code 3. Last lines of /srv/mediasuite/logs/units/x.log:\n"
                                  + "\n".join(f"line {n}: {LONG}" for n in range(20)))
    channel = Channel.objects.create(name="lobby", folder="lobby", unit=unit, display_name="Lobby " * 8)
    channel.current_file = VideoFile.objects.create(
        channel=channel, size=1, mtime=0,
        name="Some.Series.S01E01.A.Really.Long.Episode.Title.1080p.WEB-DL.x264-GROUP" * 2 + ".mkv")
    channel.save()
    events.record("unit.killed", unit, message=LONG)
    Torrent.objects.create(infohash="a" * 40, key="k1", name="Some.Movie." * 20 + "2160p.mkv",
                           media_type="movie", tmdb_id=603, title="The Matrix", state="failed", reason=LONG)


@pytest.mark.parametrize("url", ["/admin/mediasuite/event/", "/admin/mediasuite/unit/",
                                 "/admin/seedbox/torrent/", "/admin/channels_app/channel/"])
def test_a_change_list_fits_1280_pixels(people, login, page, url):
    long_rows()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(people["super"], url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "every column shows without scrolling"
    cells = page.locator("#result_list .admin-truncate")
    cut = [cells.nth(i) for i in range(cells.count())
           if cells.nth(i).evaluate("el => el.scrollWidth > el.clientWidth")]
    assert cut, "a long text is cut to one line"
    for cell in cut:
        assert len(cell.get_attribute("title")) >= len(cell.text_content()), "the whole text is in the title"
