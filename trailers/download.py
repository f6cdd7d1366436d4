"""Download of the locked trailer next to the media, named the Plex way: `<Movie> (<Year>)-trailer.<ext>`.

Off unless TRAILERS_DOWNLOAD is true. The folder is the entry's
`media_path` when set, else the media's own folder in Radarr (movies) or
Sonarr (series) when that one is configured and has the media, else
`<TRAILERS_MOVIES_ROOT or _SERIES_ROOT>/<Title> (<Year>)` (the folder
Radarr/Sonarr name by default). `queued → downloading → done |
failed`, each step a conditional UPDATE with its event, progress included
(`trailer.download.progress`), so a page shows it live.
"""

import logging
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from mediasuite.clients import arr
from mediasuite.errors import Conflict

from .clients import ytdlp
from .entries import check, media_key, record
from .models import DownloadState, MediaType, Status, TrailerEntry

logger = logging.getLogger("mediasuite.trailers")

UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')
PROGRESS_STEP = 10.0  # percent between two progress events


def safe_name(text: str) -> str:
    """A file name from a title: no separators, no control characters, no leading dots."""
    return " ".join(UNSAFE.sub(" ", text).split()).lstrip(". ").strip()[:200]


def media_name(entry: TrailerEntry) -> str:
    name = safe_name(entry.title) or f"{entry.media_type} {entry.external_id}"
    return f"{name} ({entry.year})" if entry.year else name


def arr_folder(entry: TrailerEntry) -> Path | None:
    """The media's folder as Radarr/Sonarr keep it, when configured and it has the media."""
    kind = arr.RADARR if entry.media_type == MediaType.MOVIE else arr.SONARR
    if not arr.configured(kind):
        return None
    try:
        media = arr.client(kind).media(entry.external_id)
    except arr.ArrError as exc:
        logger.warning("Asking %s for the folder of %s failed (%s); using the library root settings.",
                       arr.LABEL[kind], entry, exc)
        return None
    path = (media or {}).get("path")
    return Path(path) if isinstance(path, str) and path.startswith("/") else None


def library_folder(entry: TrailerEntry) -> Path:
    folder = Path(entry.media_path) if entry.media_path else arr_folder(entry)
    if folder is None:
        setting = "TRAILERS_MOVIES_ROOT" if entry.media_type == MediaType.MOVIE else "TRAILERS_SERIES_ROOT"
        root = getattr(settings, setting)
        if not root:
            raise ytdlp.DownloadError(f"No folder for {entry}: set {setting} or the entry's media path.")
        folder = Path(root) / media_name(entry)
    if not folder.is_dir():
        raise ytdlp.DownloadError(f"The media folder {folder} does not exist; import the media first or set "
                                  "the entry's media path.")
    return folder


def queue_download(media_type, external_id, actor=None) -> TrailerEntry:
    """Queue the download of the locked trailer (Conflict when off, not locked or already on its way)."""
    check(actor)
    media_type, external_id = media_key(media_type, external_id)
    if not settings.TRAILERS_DOWNLOAD:
        raise Conflict("Trailer downloads are off: set TRAILERS_DOWNLOAD=true.")
    with transaction.atomic():
        entry = TrailerEntry.objects.select_for_update().filter(media_type=media_type,
                                                                external_id=external_id).first()
        if entry is None or entry.status != Status.LOCKED:
            raise Conflict("Lock a trailer before downloading it.")
        if entry.download_state in (DownloadState.QUEUED, DownloadState.DOWNLOADING):
            raise Conflict(f"The trailer of {entry} is already {entry.download_state}.")
        _queue(entry, actor)
    return entry


def queue_after_lock(entry: TrailerEntry) -> None:
    """With downloads on, a lock queues the download of what was locked."""
    if not settings.TRAILERS_DOWNLOAD:
        return
    with transaction.atomic():
        entry = TrailerEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == Status.LOCKED and entry.download_state != DownloadState.DOWNLOADING:
            _queue(entry, None)


def _queue(entry: TrailerEntry, actor) -> None:
    entry.download_state, entry.download_progress, entry.download_error = DownloadState.QUEUED, 0.0, ""
    entry.save(update_fields=["download_state", "download_progress", "download_error", "updated_at"])
    record("trailer.download.queued", entry, actor, f"{entry}: trailer download queued",
           download_state=entry.download_state)
    transaction.on_commit(lambda: _enqueue(entry.pk))


def _enqueue(entry_id: int) -> None:
    from django_q.tasks import async_task

    async_task("trailers.tasks.download", entry_id, task_name=f"trailer-download-{entry_id}",
               q_options={"group": "trailers"})


def _step(entry: TrailerEntry, kind: str, message: str, **fields) -> None:
    with transaction.atomic():
        TrailerEntry.objects.filter(pk=entry.pk).update(**fields)
        for name, value in fields.items():
            setattr(entry, name, value)
        record(kind, entry, None, message, download_state=entry.download_state,
               download_progress=entry.download_progress, download_path=entry.download_path)


def run(entry_id: int) -> str:
    """Download the locked trailer of entry `entry_id` once it is claimed (queued → downloading)."""
    claimed = TrailerEntry.objects.filter(pk=entry_id, download_state=DownloadState.QUEUED,
                                          status=Status.LOCKED).update(download_state=DownloadState.DOWNLOADING)
    if not claimed:
        return f"trailer download {entry_id}: not queued any more, nothing to do"
    entry = TrailerEntry.objects.get(pk=entry_id)
    _step(entry, "trailer.download.progress", f"{entry}: trailer download started", download_progress=0.0)
    reported = [0.0]

    def progress(percent: float):
        if percent - reported[0] >= PROGRESS_STEP or (percent >= 100.0 > reported[0]):
            reported[0] = percent
            _step(entry, "trailer.download.progress", f"{entry}: trailer {percent:.0f}% downloaded",
                  download_progress=round(percent, 1))

    try:
        stem = library_folder(entry) / f"{media_name(entry)}-trailer"
        written = ytdlp.download(entry.locked_url, stem, progress)
    except ytdlp.DownloadError as exc:
        logger.warning("trailer download of %s failed: %s", entry, exc)
        _step(entry, "trailer.download.failed", f"{entry}: trailer download failed: {exc}",
              download_state=DownloadState.FAILED, download_error=str(exc)[:2000])
        return f"failed: {exc}"
    _step(entry, "trailer.downloaded", f"{entry}: trailer saved as {written}",
          download_state=DownloadState.DONE, download_progress=100.0, download_path=str(written))
    logger.info("trailer of %s saved as %s", entry, written)
    return str(written)
