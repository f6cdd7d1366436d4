"""`manage.py seedbox poll|transfer|import|cleanup|tick`: run one step of the pipeline by hand.

The worker runs the same functions as django-q2 jobs (seedbox/tasks.py);
this command is for operators (and for tests that kill a real worker).
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ... import cleanup, importing, pipeline, sync, transfer
from ...clients.rtorrent import RtorrentError


class Command(BaseCommand):
    help = "Run one seedbox step now: poll rTorrent, transfer/import/clean one torrent, or one full tick."

    def add_arguments(self, parser):
        parser.add_argument("step", choices=["poll", "transfer", "import", "cleanup", "tick"])
        parser.add_argument("torrent_id", nargs="?", type=int)
        parser.add_argument("--worker", default=f"{settings.NODE_NAME}:{os.getpid()}")

    def handle(self, step, torrent_id=None, worker=None, **options):
        try:
            if step == "poll":
                result = sync.poll()
            elif step == "tick":
                result = pipeline.tick(inline=True)
            else:
                if torrent_id is None:
                    raise CommandError(f"`seedbox {step}` needs a torrent id.")
                function = {"transfer": transfer.run, "import": importing.run, "cleanup": cleanup.run}[step]
                result = function(torrent_id, worker)
        except RtorrentError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(result))
