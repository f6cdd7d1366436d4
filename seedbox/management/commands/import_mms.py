"""`manage.py import_mms <pending_torrents_map.json> [<trailer_database.json>]`: load the original state."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trailers.migration import import_database

from ...migration import import_map


def _load(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
    except ValueError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}.") from exc


class Command(BaseCommand):
    help = "Import MediaManagerSuite's pending_torrents_map.json (and trailer_database.json)."

    def add_arguments(self, parser):
        parser.add_argument("torrents_map")
        parser.add_argument("trailer_database", nargs="?")

    def handle(self, torrents_map, trailer_database=None, **options):
        try:
            report = import_map(_load(torrents_map))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Torrents: {len(report['imported'])} imported, {len(report['existing'])} already "
                          f"there, {len(report['skipped'])} skipped.")
        for infohash, why in report["skipped"]:
            self.stdout.write(f"  skipped {infohash}: {why}")
        if trailer_database:
            self._trailers(_load(trailer_database))

    def _trailers(self, data):
        try:
            self.stdout.write(str(import_database(data)))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
