"""Importing a transferred torrent: series into Sonarr, movies into Radarr.

import_pending -> importing (claimed) -> imported, or import_blocked with
Sonarr's/Radarr's own reason (not in the library, every file rejected, the
command failed, or it finished without importing anything). `imported` is
only set once the history of the download id shows the files in the
library. The ready folder is handed over by path (mapped through
SEEDBOX_ARR_STAGING_DIR when Sonarr/Radarr see the staging dir elsewhere)
and by the infohash as download id.
"""

import logging
import shutil
import time

from django.conf import settings

from mediasuite.clients import arr, plex

from . import lifecycle, transfer
from .models import MediaType, State, Torrent

logger = logging.getLogger("mediasuite.seedbox")

POLL_EVERY = 0.5


class Blocked(Exception):
    """Sonarr/Radarr will not import this as it is; the operator must act (the reason says how)."""


def client_for(torrent: Torrent) -> arr.Client:
    return arr.client(arr.SONARR if torrent.media_type == MediaType.SERIES else arr.RADARR)


def arr_path(torrent: Torrent) -> str:
    """The ready folder as Sonarr/Radarr see it."""
    ready = str(transfer.ready_dir(torrent))
    mapped = settings.SEEDBOX_ARR_STAGING_DIR
    if mapped:
        return mapped.rstrip("/") + "/" + "ready/" + torrent.infohash
    return ready


def run(torrent_id: int, worker: str) -> str:
    torrent = Torrent.objects.get(pk=torrent_id)
    if not lifecycle.claim(torrent, State.IMPORT_PENDING, State.IMPORTING, worker,
                           message=f"{torrent}: import started"):
        return f"{torrent.infohash}: not claimed (state {torrent.state})"
    where = {"worker": worker}
    try:
        client = client_for(torrent)
        records = import_into(client, torrent, worker)
    except Blocked as exc:
        lifecycle.transition(torrent, State.IMPORTING, State.IMPORT_BLOCKED, where=where, reason=str(exc),
                             worker="", message=f"{torrent}: import blocked: {exc}",
                             payload={"reason": str(exc)})
        return f"{torrent.infohash}: import blocked: {exc}"
    except arr.ArrError as exc:
        lifecycle.fail(torrent, State.IMPORTING, str(exc), resume=State.TRANSFERRED, where=where)
        return f"{torrent.infohash}: failed: {exc}"
    paths = [r.get("data", {}).get("importedPath", "") for r in records]
    lifecycle.transition(torrent, State.IMPORTING, State.IMPORTED, where=where, worker="", attempts=0,
                         message=f"{torrent}: imported into {client.label} ({len(records)} file(s))",
                         payload={"imported": paths, "by": client.kind})
    shutil.rmtree(transfer.ready_dir(torrent), ignore_errors=True)
    refresh_plex()
    return f"{torrent.infohash}: imported {len(records)} file(s)"


def import_into(client: arr.Client, torrent: Torrent, worker: str) -> list[dict]:
    download_id = torrent.infohash.upper()
    external = torrent.tvdb_id if torrent.media_type == MediaType.SERIES else torrent.tmdb_id
    which = "TVDB" if torrent.media_type == MediaType.SERIES else "TMDB"
    media = client.media(external)
    if media is None:
        raise Blocked(f"{client.label} has no {torrent.media_type} with {which} id {external}; add it there, "
                      "then retry")
    if client.imported(download_id):
        return client.imported(download_id)  # already imported (a retried job): never twice
    folder = arr_path(torrent)
    candidates = client.candidates(folder, download_id)
    if not candidates:
        raise Blocked(f"{client.label} finds no video file in {folder}")
    key = "series" if torrent.media_type == MediaType.SERIES else "movie"
    usable = [c for c in candidates if not c.get("rejections")
              and (c.get(key) or {}).get("id", media["id"]) == media["id"]]
    if not usable:
        reasons = sorted({r.get("reason", "rejected") for c in candidates for r in c.get("rejections", [])})
        why = "; ".join(reasons) or f"matched to another {key}"
        raise Blocked(f"{client.label} rejects every file: {why}")
    command = client.scan(folder, download_id)
    deadline = time.monotonic() + settings.SEEDBOX_IMPORT_TIMEOUT
    while command.get("status") not in ("completed", "failed", "aborted", "cancelled"):
        if time.monotonic() > deadline:
            raise arr.ArrError(f"{client.label} command {command.get('id')} still {command.get('status')} "
                               f"after {settings.SEEDBOX_IMPORT_TIMEOUT} s")
        time.sleep(POLL_EVERY)
        lifecycle.beat(torrent, worker)
        command = client.command(command["id"])
    if command["status"] != "completed":
        raise Blocked(f"{client.label} {arr.SCAN[client.kind]} {command['status']}: "
                      f"{command.get('message') or 'no message'}")
    records = client.imported(download_id)
    if not records:
        raise Blocked(f"{client.label} finished {arr.SCAN[client.kind]} but imported nothing from {folder}: "
                      f"{command.get('message') or 'see its Activity > Queue'}")
    return records


def refresh_plex():
    """Ask Plex to scan its libraries (optional: PLEX_URL and PLEX_TOKEN)."""
    if not plex.configured():
        return
    try:
        plex.Plex().scan()
    except plex.PlexError as exc:
        logger.warning("Plex refresh failed (%s); the files are imported, Plex will see them at its "
                       "next scan", exc)
