"""The System page in Chromium: Update, confirm, progress, overlay, and one reload when the server is back."""

import threading

import pytest

from ..conftest import sign_in
from .update_support import Installation

pytestmark = [pytest.mark.browser, pytest.mark.processes]
CONFIRM = "Are you sure you want to update the application? This will restart the service."


class ServiceManager(threading.Thread):
    """Plays systemd beside the browser: answers each recorded `systemctl restart`."""

    def __init__(self, installation):
        super().__init__(daemon=True)
        self.installation = installation
        self.stopping = threading.Event()
        self.error = None

    def run(self):
        try:
            while not self.stopping.wait(0.2):
                self.installation.serve()
        except Exception as exc:  # reported by the test
            self.error = exc


@pytest.fixture
def installation(tmp_path, db):
    inst = Installation(tmp_path)
    inst.start_web()
    manager = ServiceManager(inst)
    manager.start()
    yield inst
    manager.stopping.set()
    manager.join(60)
    inst.close()
    assert manager.error is None, manager.error


def test_update_shows_progress_then_the_overlay_and_reloads_once(installation, page):
    inst = installation
    b = inst.publish({"PROBE_B.txt": "commit B\n"})
    sign_in(page, inst.base, "root", "/system/")
    assert page.inner_text("#running-version") == inst.commit_a[:12]
    page.wait_for_function(f"document.getElementById('remote-version').textContent === '{b[:12]}'",
                           timeout=60_000)

    dialogs, loads = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.click("#update-button")

    page.wait_for_selector("#update-log li", timeout=60_000)
    assert dialogs == [CONFIRM]
    # (Playwright delivers page events, such as `load` to the list above, while it waits.)
    with page.expect_event("load", timeout=300_000):
        page.wait_for_selector("#restart-overlay", state="visible", timeout=120_000)
    page.wait_for_function(f"document.getElementById('running-version').textContent === '{b[:12]}'")
    page.wait_for_function("document.getElementById('update-state').textContent === 'done'",
                           timeout=120_000)
    assert page.locator("#restart-overlay").is_hidden()
    assert loads == [f"{inst.base}/system/"]
    assert inst.calls("systemctl") == ["restart mediasuite.target"]
