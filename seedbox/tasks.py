"""django-q2 entry points: thin, take ids, re-fetch (the domain modules do the work)."""

import os

from django.conf import settings


def worker_name() -> str:
    return f"{settings.NODE_NAME}:{os.getpid()}"


def transfer(torrent_id: int) -> str:
    from . import transfer as step

    return step.run(torrent_id, worker_name())


def import_torrent(torrent_id: int) -> str:
    from . import importing

    return importing.run(torrent_id, worker_name())


def cleanup(torrent_id: int) -> str:
    from . import cleanup as step

    return step.run(torrent_id, worker_name())
