"""Browser (Debian's Chromium): a failed channel in the dashboard's attention list and the navigation badge,
cleared by a restart, without a reload."""

import os
import shutil

import pytest

from channels_app import catalog, paths
from demo.clips import make_clip
from mediasuite.models import Unit, UnitState
from mediasuite.supervisor import control
from tests.conftest import start_web, wait_for

from .test_attention import FAST

pytestmark = [pytest.mark.browser, pytest.mark.processes]


@pytest.fixture
def channel(tmp_path, transactional_db):
    folder = paths.channels_root() / "attention"
    folder.mkdir(parents=True)
    make_clip(folder / "one.mp4", 20.0, size="320x180")
    (folder / "series.txt").write_text("")
    yield catalog.create(None, name="attention", folder="attention", desired="running")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(paths.hls_root() / "attention", ignore_errors=True)


def test_a_failed_channel_appears_on_the_dashboard_and_clears_after_a_restart(channel, people, spawn, page):
    from tests.conftest import sign_in

    spawn("supervisor", "supervise", "--node", f"attention-browser-{os.getpid()}", env=FAST)
    unit = Unit.objects.get(pk=channel.unit_id)
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.RUNNING, timeout=40,
             message="the channel to run")
    _, base = start_web(spawn)
    sign_in(page, base, people["super"].username, "/")
    page.locator('#attention-list[data-loaded="true"]').wait_for()
    page.evaluate("window.__sameDocument = true")
    item = page.locator(f'#attention-list [data-key="unit:{unit.name}"]')
    assert item.count() == 0
    assert page.locator('#glance [data-glance="Channels"] [data-state="running"]').inner_text() == "running 1"

    # Its only file breaks (probed as a video before): every play fails and the channel ends `failed`.
    clip = paths.folder_path(channel) / "one.mp4"
    good = clip.read_bytes()
    clip.unlink()
    clip.write_bytes(b"\x00broken" * 512)
    control.restart(None, unit)
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.FAILED, timeout=90,
             message="the channel whose file broke to be failed")
    failed = page.locator(f'#attention-list [data-key="unit:{unit.name}"][data-severity="error"]')
    failed.wait_for(timeout=15_000)
    assert f"{unit.name} failed:" in failed.inner_text()
    badge = page.locator("#health-badge")
    page.wait_for_function("el => !el.hidden && parseInt(el.dataset.errors, 10) >= 1",
                           arg=badge.element_handle())
    assert page.locator('#glance [data-glance="Channels"] [data-state="failed"]').inner_text() == "failed 1"

    clip.unlink()
    clip.write_bytes(good)
    catalog.sync_files(channel)  # the scan the channels service makes: a changed file is tried again
    control.restart(None, unit)
    item.wait_for(state="detached", timeout=20_000)
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.RUNNING, message="the channel to run")
    assert page.evaluate("window.__sameDocument") is True  # all of it without a reload
