"""Run web, worker and supervisor under supervisord, in the foreground."""

import os
import secrets
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

# stop_group: SIGTERM goes to the whole process group; kill_group: the final
# SIGKILL does. qcluster stops its own workers on SIGTERM (a group-wide TERM
# makes it hang until killed), so only its final SIGKILL reaches the group.
# The supervisor ends its children cleanly (SIGINT, 10 s, SIGKILL) on SIGTERM
# and they live in process groups of their own, so it gets the longest wait.
PROGRAMS = [
    {"name": "web", "args": "runweb", "stopwaitsecs": 10, "stop_group": True, "kill_group": True},
    {"name": "worker", "args": "qcluster", "stopwaitsecs": 30, "stop_group": False, "kill_group": True},
    {"name": "supervisor", "args": "supervise", "stopwaitsecs": 25, "stop_group": False,
     "kill_group": False},
]


class Command(BaseCommand):
    help = "Start web, worker and supervisor under supervisord (restarted if one dies; Ctrl-C stops all)."

    def handle(self, *args, **options):
        binary = shutil.which("supervisord", path=os.path.dirname(sys.executable)) or shutil.which(
            "supervisord")
        if binary is None:
            raise CommandError("supervisord is not installed: run `make run`, which installs it.")
        conf = settings.DATA_DIR / "supervisord.conf"
        conf.touch(mode=0o600)
        conf.chmod(0o600)  # it holds the password of supervisord's control socket
        conf.write_text(render_to_string("mediasuite/supervisord.conf", {
            "control_password": secrets.token_urlsafe(24),
            "data_dir": settings.DATA_DIR,
            "log_dir": settings.LOG_DIR,
            "base_dir": settings.BASE_DIR,
            "python": sys.executable,
            "programs": PROGRAMS,
        }))
        self.stdout.write(f"MediaSuite on http://{settings.HOST}:{settings.PORT}/ (Ctrl-C stops it)")
        self.stdout.flush()
        os.execv(binary, [binary, "-c", str(conf)])
