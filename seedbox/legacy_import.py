"""Importing the original system's state files (MediaManagerSuite's JSON "brain").

`pending_torrents_map.json` maps an infohash to its entry (`app_type`
sonarr/radarr, `status`, `original_torrent_name`, `seedbox_download_path`,
`season_number`, `label`, ids ...). Each entry becomes a Torrent, keyed by
infohash (an existing one is left alone, so the import can be run again);
fields MediaSuite has no column for are kept in `Torrent.extra`. The old
statuses map onto the new states so that the pipeline picks them up:
anything not yet imported goes back to `sent` (the next poll sees whether
rTorrent finished it, and the transfer starts over into staging), imported
ones stay `imported` (cleaned when seeded), errors become `failed`.
"""

import re
import uuid

from django.db import transaction

from mediasuite import config, events, importers

from .models import MediaType, State, Torrent

HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
KNOWN = {"app_type", "media_type", "status", "original_torrent_name", "torrent_name", "release_name", "name",
         "seedbox_download_path", "season_number", "season", "label", "tmdb_id", "tvdb_id", "title",
         "series_title", "movie_title", "year", "added_at", "updated_at", "error_message", "torrent_hash"}


def new_state(status: str) -> str:
    status = (status or "").lower()
    if status in ("imported", "completed", "processed", "done", "completed_manual", "completed_auto"):
        return State.IMPORTED
    if status.startswith("error") or status in ("failed",):
        return State.FAILED
    if status in ("ignored", "ignore"):
        return State.IGNORED
    return State.SENT


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def entry_to_torrent(infohash: str, entry: dict) -> Torrent:
    """A Torrent for one entry of the old map; ValueError (with why) when it cannot be one."""
    if not HEX40.match(infohash):
        raise ValueError("the key is not a 40-hex infohash")
    if not isinstance(entry, dict):
        raise ValueError("the entry is not an object")
    kind = (entry.get("app_type") or entry.get("media_type") or "").lower()
    media_type = {"sonarr": MediaType.SERIES, "series": MediaType.SERIES, "tv": MediaType.SERIES,
                  "radarr": MediaType.MOVIE, "movie": MediaType.MOVIE}.get(kind)
    if media_type is None:
        raise ValueError(f"unknown app_type {kind!r} (expected sonarr or radarr)")
    tmdb_id, tvdb_id = _int(entry.get("tmdb_id")), _int(entry.get("tvdb_id"))
    if media_type == MediaType.SERIES and not tvdb_id:
        raise ValueError("a series entry without tvdb_id")
    if media_type == MediaType.MOVIE and not tmdb_id:
        raise ValueError("a movie entry without tmdb_id")
    state = new_state(entry.get("status", ""))
    base_path = str(entry.get("seedbox_download_path") or "")
    name = str(entry.get("original_torrent_name") or entry.get("torrent_name") or entry.get("release_name")
               or entry.get("name") or "")
    title = str(entry.get("title") or entry.get("series_title") or entry.get("movie_title") or "")
    return Torrent(
        infohash=infohash.lower(), name=name[:500],
        label=str(entry.get("label") or config.get("SEEDBOX_LABEL"))[:100],
        key=uuid.uuid4().hex, media_type=media_type, tmdb_id=tmdb_id, tvdb_id=tvdb_id, title=title[:300],
        year=_int(entry.get("year")), season=_int(entry.get("season_number", entry.get("season"))),
        state=state, base_path=base_path[:1000],
        reason=str(entry.get("error_message") or entry.get("status") or "") if state == State.FAILED else "",
        failed_from=State.QUEUED if state == State.FAILED else "",
        extra={"mms": {k: v for k, v in entry.items() if k not in KNOWN},
               "mms_status": entry.get("status", "")},
    )


def import_map(data, actor=None) -> dict:
    """Load the old map; a report {imported: [...], existing: [...], skipped: [(hash, why)]}."""
    if not isinstance(data, dict):
        raise ValueError("pending_torrents_map.json must hold one JSON object keyed by infohash")
    report = {"imported": [], "existing": [], "skipped": []}
    existing = set(Torrent.objects.values_list("infohash", flat=True))
    with transaction.atomic():
        for infohash, entry in data.items():
            if str(infohash).lower() in existing:
                report["existing"].append(infohash)
                continue
            try:
                torrent = entry_to_torrent(str(infohash), entry)
            except ValueError as exc:
                report["skipped"].append((infohash, str(exc)))
                continue
            torrent.save()
            existing.add(torrent.infohash)
            events.record(f"seedbox.torrent.{torrent.state}", torrent, actor=actor,
                          message=f"{torrent} imported from MediaManagerSuite ({entry.get('status', '')})",
                          payload={"state": torrent.state, "from": "mms", "infohash": torrent.infohash})
            report["imported"].append(infohash)
    return report


def import_file(data) -> str:
    """The report of `import_map` as the operator reads it."""
    report = import_map(data)
    lines = [f"Torrents: {len(report['imported'])} imported, {len(report['existing'])} already there, "
             f"{len(report['skipped'])} skipped."]
    lines += [f"  skipped {infohash}: {why}" for infohash, why in report["skipped"]]
    return "\n".join(lines)


importers.register(importers.Importer(file="pending_torrents_map.json", run=import_file))
