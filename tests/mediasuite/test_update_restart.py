"""Restart methods in the original's order, each a system program found on PATH (faked here)."""

import pytest
import requests

from mediasuite.system import restart

from ..conftest import start_web, wait_for

FAKE = """#!/bin/sh
echo "$@" >> "{calls}"
{tail}
"""


@pytest.fixture
def path(tmp_path, monkeypatch):
    """An empty PATH of fake system programs; add(name, fails=False) puts one there."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))

    def add(name, fails=False):
        script = folder / name
        tail = 'echo "System has not been booted with systemd as init system (PID 1)." >&2; exit 1' if fails \
            else "exit 0"
        script.write_text(FAKE.format(calls=tmp_path / f"{name}.calls", tail=tail))
        script.chmod(0o755)

    add.calls = lambda name: (tmp_path / f"{name}.calls").read_text().splitlines() \
        if (tmp_path / f"{name}.calls").exists() else []
    return add


def run(settings, **overrides):
    for key, value in overrides.items():
        setattr(settings, key, value)
    lines = []
    return restart.restart(7, lines.append), lines


def test_systemd_first_when_there(path, settings):
    path("systemctl")
    path("service")
    method, lines = run(settings)
    assert method == "systemd" and path.calls("systemctl") == ["restart mediasuite.target"]
    assert path.calls("service") == []


def test_init_d_when_systemd_is_absent_or_fails(path, settings):
    path("service")
    method, lines = run(settings, UPDATE_INITD_SERVICE="media")
    assert method == "initd" and path.calls("service") == ["media restart"]
    assert lines[0] == "systemd: systemctl is not installed here; trying the next method."

    path("systemctl", fails=True)
    method, lines = run(settings)
    assert method == "initd" and path.calls("systemctl") == ["restart mediasuite.target"]
    assert "System has not been booted with systemd" in lines[0]


def test_supervisorctl_uses_make_runs_own_supervisord(path, settings):
    path("supervisorctl")
    (settings.DATA_DIR / "supervisord.conf").write_text("; test\n")
    (settings.DATA_DIR / "supervisord.sock").write_text("")
    try:
        method, _ = run(settings)
        assert path.calls("supervisorctl") == [f"-c {settings.DATA_DIR}/supervisord.conf restart all"]
    finally:
        (settings.DATA_DIR / "supervisord.conf").unlink()
        (settings.DATA_DIR / "supervisord.sock").unlink()
    method, _ = run(settings)
    assert method == "supervisor" and path.calls("supervisorctl")[-1] == "restart mediasuite:*"


def test_none_left_means_the_exit_fallback(path, settings):
    method, lines = run(settings, UPDATE_RESTART_METHODS=["systemd", "initd", "exit"])
    assert method == "exit" and restart.request_file().is_file()
    assert "exits with code 75" in lines[-1]
    restart.request_file().unlink()
    with pytest.raises(restart.RestartError):
        run(settings, UPDATE_RESTART_METHODS=["systemd"])


@pytest.mark.processes
def test_the_web_process_exits_with_the_restart_code_when_asked(spawn, settings, tmp_path):
    proc, base = start_web(spawn)
    assert requests.get(f"{base}/api/health", timeout=5).status_code == 200
    restart.request_exit(1)
    try:
        wait_for(lambda: proc.popen.poll() is not None, timeout=30, message="the web process to exit")
    finally:
        restart.request_file().unlink()
    assert proc.popen.returncode == settings.RESTART_EXIT_CODE, proc.output()
    assert "Restart requested by an update" in proc.output()
