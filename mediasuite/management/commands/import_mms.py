"""`manage.py import_mms <pending_torrents_map.json> [<trailer_database.json>]`: load the original state.

The files and what becomes of them are the apps' (mediasuite/importers.py).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...importers import importers


def _load(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
    except ValueError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}.") from exc


class Command(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = ("Import MediaManagerSuite's state files; give them in this order (leave out the last "
                     f"ones): {', '.join(importer.file for importer in importers())}.")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, files, **options):
        known = importers()
        if len(files) > len(known):
            raise CommandError(f"Give at most {len(known)} files: {', '.join(i.file for i in known)}.")
        for importer, path in zip(known, files, strict=False):
            try:
                self.stdout.write(importer.run(_load(path)))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
