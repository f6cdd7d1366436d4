"""Importers of the original system's state (MediaManagerSuite's JSON files), one per app that has some.

`manage.py import_mms FILE...` loads them. Each app declares the file it
reads in its `legacy_import.py` (found by autodiscovery, like `admin.py`):

    importers.register(importers.Importer(
        file="pending_torrents_map.json",   # the original's name for it, shown in the command's help
        run=import_file,                    # parsed JSON -> report (lines); ValueError: not that file
    ))

The command takes the files in the order the apps are installed (the help
lists it); a file left out is not imported.
"""

from collections.abc import Callable
from dataclasses import dataclass

_importers: list["Importer"] = []
_loaded = False


@dataclass(frozen=True)
class Importer:
    file: str
    run: Callable[[object], str]


def register(importer: Importer) -> Importer:
    _importers.append(importer)
    return importer


def importers() -> list[Importer]:
    """Every app's importer, in INSTALLED_APPS order."""
    global _loaded
    if not _loaded:
        _loaded = True
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("legacy_import")
    return list(_importers)
