"""What an operator does to a media of the Plex library; each function writes its event.

- `set_watched`: mark a movie or a whole show watched or not, as the chosen Plex user.
- `take_out`: archive (a watched movie or fully watched show: unmonitor, tag
  `watched`, delete its files through Radarr/Sonarr) or reject (tag
  `rejected`); then the emptied folders are removed (folders.py) and Plex
  rescans the library.
- `move`: to another root folder of Sonarr/Radarr, files included.
- `delete`: from Plex.

Everything is checked before anything changes (the media is in Sonarr/Radarr,
its folder is inside a root folder, the target root is one of theirs). With
the dry run (LIBRARY_DRY_RUN, or asked for) nothing changes: the answer says
what would be deleted. The record of the history and the event are written
in one transaction once the hosted services have done their part.
"""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from mediasuite import events
from mediasuite.clients import arr
from mediasuite.errors import Conflict

from . import folders, listing
from .models import Action, ArchiveRecord

logger = logging.getLogger("library")

TAGS = {Action.ARCHIVE: "watched", Action.REJECT: "rejected"}


class BadInput(Exception):
    """The request names something that is not allowed (a root folder that is not Sonarr/Radarr's)."""


def _subject(rating_key):
    return ("plexitem", str(rating_key))


def _dry(dry_run: bool | None) -> bool:
    return settings.LIBRARY_DRY_RUN if dry_run is None else dry_run


def _arr(row: dict) -> tuple[arr.Client, dict]:
    """Sonarr's series or Radarr's movie of a Plex row."""
    series = row["media_type"] == "series"
    kind, external = (arr.SONARR, row["tvdb_id"]) if series else (arr.RADARR, row["tmdb_id"])
    client = arr.client(kind)
    if not external:
        raise Conflict(f"{row['title']} has no {'TVDB' if series else 'TMDB'} id in Plex, so {client.label} "
                       f"cannot be matched; fix its match in Plex first.")
    item = client.media(external)
    if item is None:
        raise Conflict(f"{row['title']} is not in {client.label}; add it there, or delete it from Plex "
                       f"instead.")
    return client, item


def watched_by_all(owner, rating_key: int, media_type: str) -> list[dict]:
    """Every Plex user's watched state of the media now (per season for a show)."""
    states = []
    for user in owner.users():
        viewer = owner.as_user(user["id"])
        row = viewer.item_row(rating_key)
        state = {"user": user["title"], "state": row["watched_state"]}
        if media_type == "series":
            state.update(watched=row["watched_episodes"], total=row["total_episodes"],
                         seasons=viewer.seasons(rating_key))
        states.append(state)
    return states


def _record(actor, action, row, message, **fields) -> ArchiveRecord:
    with transaction.atomic():
        record = ArchiveRecord.objects.create(
            action=action, media_type=row["media_type"], title=row["title"], year=row["year"],
            tmdb_id=row["tmdb_id"], tvdb_id=row["tvdb_id"], rating_key=row["rating_key"],
            library=row["library"], actor=actor, detail=message[:500], **fields)
        events.record(f"library.item.{action}", _subject(row["rating_key"]), actor=actor, message=message,
                      payload={"record": record.pk, "title": row["title"], "media_type": row["media_type"],
                               **{k: v for k, v in fields.items() if k != "watched"}})
    logger.info("%s", message)
    return record


def set_watched(actor, viewer, plex_user: dict, rating_key: int, watched: bool) -> dict:
    """Mark the media watched or not as the chosen Plex user ({id, title}); the fresh row. The event
    carries the row's new watched columns, so that pages showing it as that user redraw it."""
    row = viewer.set_watched(rating_key, watched)
    state = "watched" if watched else "not watched"
    with transaction.atomic():
        events.record("library.item.watched", _subject(rating_key), actor=actor,
                      message=f"{row['title']} marked {state} for {plex_user['title']}.",
                      payload={"watched": watched, "plex_user": plex_user["title"],
                               "plex_user_id": plex_user["id"], "title": row["title"],
                               **{name: row[name] for name in ("watched_state", "watched_episodes",
                                                               "total_episodes", "last_viewed_at")}})
    return row


def take_out(actor, owner, viewer, rating_key: int, action: str, *, delete_files=True, unmonitor=True,
             tag=True, dry_run: bool | None = None) -> dict:
    """Archive or reject a media (see the module); the report of what was (or would be) done."""
    row = viewer.item_row(rating_key)
    if action == Action.ARCHIVE and row["watched_state"] != "watched":
        what = "fully watched" if row["media_type"] == "series" else "watched"
        raise Conflict(f"{row['title']} is not {what} by the chosen Plex user; mark it watched or choose "
                       f"the user who watched it.")
    client, item = _arr(row)
    roots = client.root_paths()
    if delete_files:
        try:
            folders.root_of(item["path"], roots)
        except folders.OutsideRoots as exc:
            raise Conflict(f"{row['title']}: {exc} Nothing was changed.") from exc
    files = client.files(item["id"]) if delete_files else []
    paths = [f["path"] for f in files]
    report = {"rating_key": rating_key, "title": row["title"], "action": action, "dry_run": _dry(dry_run),
              "files": paths, "freed_bytes": sum(f.get("size", 0) for f in files), "folders": []}
    if report["dry_run"]:
        if delete_files:
            report["folders"] = folders.clean(item["path"], roots, dry_run=True, deleting=tuple(paths))
        return report
    watched = watched_by_all(owner, rating_key, row["media_type"])
    if unmonitor:
        item["monitored"] = False
        for season in item.get("seasons", []):
            season["monitored"] = False
    if tag:
        item["tags"] = sorted({*item.get("tags", []), client.tag_id(TAGS[action])})
    listing.forget(client.kind)
    if unmonitor or tag:
        client.update(item)
    for found in files:
        client.delete_file(found["id"])
    if delete_files:
        report["folders"] = folders.clean(item["path"], roots)
    owner.scan(row["library_key"])
    verb = "archived" if action == Action.ARCHIVE else "rejected"
    message = (f"{row['title']} {verb}: {len(paths)} file(s) deleted, "
               f"{len(report['folders'])} folder(s) removed, {row['library']} rescanned.")
    report["record"] = _record(actor, action, row, message, watched=watched, deleted_files=paths,
                               removed_folders=report["folders"], freed_bytes=report["freed_bytes"]).pk
    return report


def move(actor, owner, viewer, rating_key: int, root_folder: str, dry_run: bool | None = None) -> dict:
    """Move the media's folder, files included, to another root folder of Sonarr/Radarr."""
    row = viewer.item_row(rating_key)
    client, item = _arr(row)
    roots = {os.path.normpath(r): r for r in client.root_paths()}
    target = roots.get(os.path.normpath(root_folder)) if root_folder.startswith("/") else None
    if target is None:
        raise BadInput(f"{root_folder} is not a root folder of {client.label} ({', '.join(roots.values())}).")
    if os.path.normpath(item.get("rootFolderPath", "")) == os.path.normpath(target):
        raise Conflict(f"{row['title']} is already in {target}.")
    path = str(Path(target) / Path(item["path"]).name)
    report = {"rating_key": rating_key, "title": row["title"], "action": Action.MOVE,
              "dry_run": _dry(dry_run), "from": item["path"], "to": path}
    if report["dry_run"]:
        return report
    item.update(rootFolderPath=target, path=path)
    listing.forget(client.kind)
    client.update(item, move_files=True)
    owner.scan(row["library_key"])
    message = f"{row['title']} moved from {report['from']} to {path}."
    report["record"] = _record(actor, Action.MOVE, row, message, watched=[]).pk
    return report


def delete(actor, owner, viewer, rating_key: int, dry_run: bool | None = None) -> dict:
    """Delete the media from Plex."""
    row = viewer.item_row(rating_key)
    report = {"rating_key": rating_key, "title": row["title"], "action": Action.DELETE,
              "dry_run": _dry(dry_run)}
    if report["dry_run"]:
        return report
    watched = watched_by_all(owner, rating_key, row["media_type"])
    owner.delete(rating_key)
    message = f"{row['title']} deleted from Plex ({row['library']})."
    report["record"] = _record(actor, Action.DELETE, row, message, watched=watched).pk
    return report
