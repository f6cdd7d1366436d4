"""Settings that run with nothing configured, and the system checks."""

import os
import stat
import subprocess
import sys

from ..conftest import ROOT


def run_python(code, data_dir, **env):
    base = {"PATH": os.environ["PATH"], "MEDIASUITE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "mediasuite.settings"}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                          cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60)


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_python(code, tmp_path / "a").stdout.strip()
    again = run_python(code, tmp_path / "a").stdout.strip()
    other = run_python(code, tmp_path / "b").stdout.strip()
    assert len(first) >= 50 and first == again and first != other
    key_file = tmp_path / "a" / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    given = run_python(code, tmp_path / "c", SECRET_KEY="from-the-environment").stdout.strip()
    assert given == "from-the-environment"
    assert not (tmp_path / "c" / "secret_key").exists()


def test_defaults_with_nothing_configured(tmp_path):
    code = ("from django.conf import settings; from django.db import connection; "
            "c = connection.cursor(); c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]; "
            "c.execute('PRAGMA busy_timeout'); "
            "print(settings.DEBUG, settings.DATABASES['default']['NAME'], mode, c.fetchone()[0], "
            "settings.Q_CLUSTER.get('orm'), 'redis' in settings.Q_CLUSTER, settings.PORT)")
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    debug, name, mode, timeout, orm, redis, port = result.stdout.split()
    assert debug == "False"
    assert name == str(tmp_path / "db.sqlite3")
    assert (mode, timeout) == ("wal", "20000")
    assert (orm, redis, port) == ("default", "False", "8000")


def test_production_settings_from_the_environment(tmp_path):
    code = ("from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['ENGINE'], d['NAME'], settings.Q_CLUSTER['redis'], 'orm' in settings.Q_CLUSTER, "
            "','.join(settings.ALLOWED_HOSTS), ','.join(settings.CSRF_TRUSTED_ORIGINS), settings.DEBUG)")
    result = run_python(code, tmp_path, DATABASE_URL="postgres://u:p@db.example:5432/media",
                        REDIS_URL="redis://cache:6379/1", ALLOWED_HOSTS="media.example,10.0.0.2",
                        CSRF_TRUSTED_ORIGINS="https://media.example", DEBUG="true")
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "media", "redis://cache:6379/1", "False",
        "media.example,10.0.0.2", "https://media.example", "True"]


def manage_check(data_dir, **env):
    base = {"PATH": os.environ["PATH"], "MEDIASUITE_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=60)


def test_check_reports_missing_ffmpeg_by_stable_id(tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    os.symlink(sys.executable, bare / "python3")
    result = manage_check(tmp_path / "data", PATH=str(bare))
    assert "mediasuite.W001" in result.stderr and "mediasuite.W002" in result.stderr
    assert "apt-get install ffmpeg" in result.stderr
    assert "mediasuite.W00" not in manage_check(tmp_path / "data").stderr


def test_check_reports_an_unwritable_data_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "logs").write_text("a file where the logs folder should be")
    result = manage_check(data, SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "mediasuite.E001" in result.stderr and "logs" in result.stderr


def test_unusable_data_dir_without_secret_key_says_what_to_do(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    result = manage_check(not_a_dir)
    assert result.returncode != 0
    assert "Point MEDIASUITE_DATA_DIR at a writable folder, or set SECRET_KEY" in result.stderr
