"""Browser (Debian's Chromium): the guide grid follows a restart live, without a reload."""

import shutil

import pytest

from channels_app import catalog, paths, playout
from demo.clips import make_clip

from .conftest import wait_playing

pytestmark = [pytest.mark.browser, pytest.mark.processes]

NOW_CELL = '#guide-{name} [data-role="programme"][data-now="true"] .guide-title'


@pytest.fixture
def long_series(tmp_path, transactional_db):
    """A series channel of two 40 s clips: no file ends by itself while the test looks at the grid."""
    folder = paths.channels_root() / "guide-live"
    folder.mkdir(parents=True)
    for name, tone in (("one.mp4", 440), ("two.mp4", 660)):
        make_clip(folder / name, 40.0, label=name, size="320x180", frequency=tone)
    (folder / "series.txt").write_text("")
    yield catalog.create(None, name="guide-live", folder="guide-live", display_name="Guide Live",
                         desired="running")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(paths.hls_root() / "guide-live", ignore_errors=True)


def test_a_restart_moves_the_now_playing_cell_without_reload(people, long_series, supervisor, login, page):
    channel = long_series
    wait_playing(channel)
    login(people["player"], "/guide/?hours=0.5")
    row = page.locator("#guide-guide-live")
    assert row.locator(".guide-number").inner_text() == str(channel.number)
    assert row.locator(".guide-name").inner_text() == "Guide Live"
    now_cell = page.locator(NOW_CELL.format(name="guide-live"))
    now_cell.wait_for()
    assert now_cell.inner_text() == "one"
    assert row.locator(".guide-title").all_inner_texts()[:3] == ["one", "two", "one"]
    page.evaluate("window.__sameDocument = true")

    playout.request_restart(None, channel)
    page.wait_for_function(
        "selector => { const el = document.querySelector(selector); return el && el.textContent === 'two'; }",
        arg=NOW_CELL.format(name="guide-live"), timeout=45_000)
    assert page.evaluate("window.__sameDocument") is True  # redrawn from the live event, not reloaded
    assert row.locator('[data-now="true"]').count() == 1
    href = row.locator('[data-now="true"]').get_attribute("href")
    assert href == f"/channels/guide-live/#file-{channel.files.get(name='two.mp4').pk}"
    page.click(NOW_CELL.format(name="guide-live"))
    page.wait_for_url(f"**{href}")
    assert page.locator(f"#file-{channel.files.get(name='two.mp4').pk}").inner_text().startswith("two.mp4")
