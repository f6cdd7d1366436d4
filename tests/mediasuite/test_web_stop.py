"""The web process ends by itself on SIGTERM, requests in flight or not.

A process manager sends SIGTERM, then SIGKILL after its stop timeout (10 s under
`make run`). A request whose middleware waited in a thread on daphne's event loop
could never finish once the loop stopped, and kept the process alive until that
SIGKILL; or the interpreter crashed on exit (runweb.py).
"""

import os
import signal
import threading

import pytest
import requests

from tests.conftest import start_web, wait_for

pytestmark = pytest.mark.processes


def test_sigterm_with_requests_in_flight_ends_the_web_process_cleanly(spawn, db):
    proc, base = start_web(spawn, "web-stopped", env={"PYTHONFAULTHANDLER": "1"})
    answered, stop = [], threading.Event()

    def ask():
        with requests.Session() as session:
            while not stop.is_set():
                try:
                    answered.append(session.get(f"{base}/accounts/login/", timeout=5).status_code)
                except requests.RequestException:
                    return

    askers = [threading.Thread(target=ask, daemon=True) for _ in range(8)]
    for asker in askers:
        asker.start()
    wait_for(lambda: len(answered) >= 40, timeout=30, message="requests flowing")

    os.kill(proc.pid, signal.SIGTERM)
    try:
        code = proc.popen.wait(timeout=8)
    finally:
        stop.set()
    assert code == 0, f"exit code {code}:\n{proc.output()[-3000:]}"
    assert set(answered) == {200}
