"""The precheck refuses an update while a migration runs in the checkout, and changes nothing."""

import subprocess
import sys

from mediasuite.models import Event
from mediasuite.system import jobs, updater

from .test_update_api import git


def test_a_running_migration_refuses_the_update(people, settings, tmp_path):
    git(tmp_path, "init", "-q", "-b", "main", "work")
    (tmp_path / "work" / "f").write_text("a")
    git(tmp_path / "work", "add", "f")
    git(tmp_path / "work", "commit", "-q", "-m", "first")
    git(tmp_path, "clone", "-q", "--bare", "work", "remote.git")
    git(tmp_path, "clone", "-q", "remote.git", "install")
    settings.BASE_DIR = tmp_path / "install"
    head = git(settings.BASE_DIR, "rev-parse", "HEAD")
    # What `manage.py migrate` looks like in the process table, running in the checkout.
    migrating = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()", "manage.py", "migrate"],
        cwd=settings.BASE_DIR, stdin=subprocess.PIPE)
    try:
        job = updater.run(jobs.create(people["super"]).pk)
    finally:
        migrating.communicate(timeout=10)

    assert job.state == "failed" and job.slot is None
    assert f"A migration is running (pid {migrating.pid})" in job.message
    assert "Nothing was changed" in job.message
    assert git(settings.BASE_DIR, "rev-parse", "HEAD") == head
    assert Event.objects.filter(kind="update.failed", subject_id=str(job.pk)).count() == 1
    assert not (settings.DATA_DIR / "backups" / f"update-{job.pk}").exists()
