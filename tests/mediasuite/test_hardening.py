"""A hardened server: private files, HTTPS behind a proxy, forwarded headers, tokens out of the logs."""

import os
import stat
import subprocess
import sys

import requests

from tests.conftest import ROOT, start_web, wait_for

UNSET = ("SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")


def manage(*args, env):
    """`manage.py <args>` as a fresh installation would run it (the product settings)."""
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "mediasuite.settings", **env})


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_directory_database_and_secret_key_are_created_private(tmp_path):
    data = tmp_path / "data"
    done = manage("check", env={"MEDIASUITE_DATA_DIR": str(data)})
    assert done.returncode == 0, done.stderr
    assert mode(data) == 0o700
    assert mode(data / "db.sqlite3") == 0o600
    assert mode(data / "secret_key") == 0o600
    assert mode(data / "logs") == 0o700


def test_one_setting_turns_on_https_and_check_deploy_is_clean(tmp_path):
    env = {"MEDIASUITE_DATA_DIR": str(tmp_path), "ALLOWED_HOSTS": "media.example.org"}
    plain = manage("check", "--deploy", env=env)
    assert "security.W004" in plain.stderr and "security.W012" in plain.stderr
    secure = manage("check", "--deploy", env={**env, "MEDIASUITE_HTTPS": "1"})
    assert secure.returncode == 0, secure.stderr
    assert "no issues" in secure.stdout and "WARNINGS" not in secure.stderr


def access_line(proc, marker):
    wait_for(lambda: marker in proc.output(), timeout=10, message="the access log line")
    return next(line for line in proc.output().splitlines() if marker in line)


def test_tokens_never_reach_the_access_log(spawn, db):
    proc, base = start_web(spawn)
    requests.get(f"{base}/playlist.m3u?token=SECRET-CHANNEL-TOKEN&probe=one", timeout=5)
    requests.get(f"{base}/api/video/preview/x/stream?access=SECRET-PREVIEW&probe=two", timeout=5)
    assert "token=[redacted]" in access_line(proc, "probe=one")
    assert "access=[redacted]" in access_line(proc, "probe=two")
    assert "SECRET" not in proc.output()


def test_forwarded_headers_count_only_from_a_trusted_proxy(spawn, db):
    spoof = {"X-Forwarded-For": "203.0.113.9"}
    untrusted, base = start_web(spawn, "untrusted", env={"MEDIASUITE_TRUSTED_PROXIES": "10.0.0.0/8"})
    requests.get(f"{base}/api/health?probe=spoofed", headers=spoof, timeout=5)
    line = access_line(untrusted, "probe=spoofed")
    assert "127.0.0.1" in line and "203.0.113.9" not in line
    trusted, base = start_web(spawn, "trusted", env={"MEDIASUITE_TRUSTED_PROXIES": "127.0.0.1"})
    requests.get(f"{base}/api/health?probe=forwarded", headers=spoof, timeout=5)
    assert "203.0.113.9" in access_line(trusted, "probe=forwarded")


def test_a_multipart_body_without_parts_is_a_json_4xx_from_django(spawn, db):
    _, base = start_web(spawn)
    response = requests.post(f"{base}/api/auth/token", data=b"--xyz--\r\n", timeout=5,
                             headers={"Content-Type": "multipart/form-data; boundary=xyz"})
    assert 400 <= response.status_code < 500
    assert response.json()["error"]
