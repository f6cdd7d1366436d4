"""Restart the service after an update: the methods of the original system, tried in order.

    systemd      systemctl restart <MEDIASUITE_SYSTEMD_UNIT>        (contrib/systemd: mediasuite.target)
    initd        service <MEDIASUITE_INITD_SERVICE> restart
    supervisor   supervisorctl restart <MEDIASUITE_SUPERVISOR_PROGRAM>; under `make run` (`manage.py
                 runall`) its own supervisord: supervisorctl -c <data dir>/supervisord.conf restart all
    exit         the fallback: <data dir>/restart-request is written; the web process (runweb)
                 sees it and exits with RESTART_EXIT_CODE, which its runner answers by starting it again

A method whose program is not on PATH, or whose command fails, hands over to
the next one. Processes are never killed by name. The binaries are looked up
on PATH (and supervisorctl also beside the running Python), so an
installation chooses its method through PATH and MEDIASUITE_RESTART_METHODS.
"""

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("mediasuite.system")

METHODS = ("systemd", "initd", "supervisor", "exit")


class RestartError(Exception):
    pass


def request_file() -> Path:
    return settings.DATA_DIR / "restart-request"


def command(method: str) -> list[str]:
    if method == "systemd":
        return ["systemctl", "restart", settings.UPDATE_SYSTEMD_UNIT]
    if method == "initd":
        return ["service", settings.UPDATE_INITD_SERVICE, "restart"]
    if method == "supervisor":
        own = settings.DATA_DIR / "supervisord.conf"
        if own.is_file() and (settings.DATA_DIR / "supervisord.sock").exists():
            return ["supervisorctl", "-c", str(own), "restart", "all"]
        return ["supervisorctl", "restart", settings.UPDATE_SUPERVISOR_PROGRAM]
    raise ValueError(f"Unknown restart method {method!r}; known: {', '.join(METHODS)}.")


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found is None and name == "supervisorctl":
        found = shutil.which(name, path=os.path.dirname(sys.executable))
    return found


def request_exit(job_id: int) -> None:
    """The exit fallback: ask the web process to exit with RESTART_EXIT_CODE (see watch_exit_request)."""
    request_file().write_text(json.dumps({"job": job_id, "at": time.time()}))


def restart(job_id: int, log: Callable[[str], None]) -> str:
    """Ask for a restart through the first method that works; the method's name."""
    for method in settings.UPDATE_RESTART_METHODS:
        if method == "exit":
            request_exit(job_id)
            log(f"Restart requested through the exit fallback: the web process exits with code "
                f"{settings.RESTART_EXIT_CODE} and its runner starts it again.")
            return method
        argv = command(method)
        binary = _binary(argv[0])
        if binary is None:
            log(f"{method}: {argv[0]} is not installed here; trying the next method.")
            continue
        try:
            done = subprocess.run([binary, *argv[1:]], capture_output=True, text=True, timeout=120,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            log(f"{method}: `{' '.join(argv)}` did not finish in 120 s; trying the next method.")
            continue
        if done.returncode == 0:
            log(f"Restart requested through {method}: `{' '.join(argv)}`.")
            return method
        detail = (done.stderr or done.stdout).strip().splitlines()
        why = detail[-1] if detail else f"exit code {done.returncode}"
        log(f"{method}: `{' '.join(argv)}` failed ({why}); trying the next method.")
    raise RestartError("No restart method worked: restart MediaSuite yourself (see README, Production).")


def watch_exit_request(on_request: Callable[[], None], interval: float = 1.0) -> None:
    """In the web process: call `on_request` once a restart request newer than this process appears."""
    started = time.time()

    def watch():
        while True:
            time.sleep(interval)
            try:
                if request_file().stat().st_mtime >= started:
                    on_request()
                    return
            except FileNotFoundError:
                continue

    threading.Thread(target=watch, name="restart-request", daemon=True).start()


def stop_reactor_on_exit_request() -> threading.Event:
    """runweb: stop daphne cleanly on a restart request; the returned Event tells it to exit with the code."""
    asked = threading.Event()

    def stop():
        from twisted.internet import reactor

        logger.info("Restart requested by an update: exiting with code %s so that the runner starts the "
                    "new version.", settings.RESTART_EXIT_CODE)
        asked.set()
        reactor.callFromThread(reactor.stop)

    watch_exit_request(stop)
    return asked
