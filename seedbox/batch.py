"""Batch download and map: several releases sent for one movie or series, each in its own error boundary.

The original stopped at the first error; here every release is tried, with
a pause of SEEDBOX_BATCH_THROTTLE seconds between two adds (rTorrent drops
adds that come too fast), and the answer lists every item, ok or failed,
with its message. Every release is checked before the first call to any
service, and only the calls that reach rTorrent are spaced: a batch of
invalid releases answers at once.
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mediasuite import events
from mediasuite.clients.http import ServiceError

from . import lifecycle, sending
from .clients import rtorrent, torznab

logger = logging.getLogger("mediasuite.seedbox")


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc)


def check_release(release: dict):
    """Refuse a release that could not be sent, without calling anything."""
    magnet = release.get("magnet") or ""
    if magnet:
        sending.magnet_infohash(magnet)
    elif not release.get("link"):
        raise ValidationError("The release has neither a magnet nor a download link.")


class Pacer:
    """Spaces the adds that reach rTorrent by `seconds`; nothing else waits."""

    def __init__(self, seconds: float):
        self.seconds, self.last = seconds, None

    def wait(self):
        if self.last is not None and self.seconds:
            time.sleep(max(0.0, self.last + self.seconds - time.monotonic()))
        self.last = time.monotonic()


def download_one(actor, release: dict, media: dict, client, pacer: Pacer) -> dict:
    magnet, data = release.get("magnet") or "", b""
    if not magnet:
        data, magnet = torznab.download(release["link"])
    pacer.wait()
    torrent, created = sending.add(actor, magnet=magnet if not data else "", torrent_file=data, client=client,
                                   **media)
    return {"torrent_id": torrent.pk, "infohash": torrent.infohash, "state": torrent.state,
            "message": "sent to the seedbox" if created else f"already known ({torrent.state})"}


def download_and_map(actor, releases: list[dict], media: dict, throttle: float | None = None) -> list[dict]:
    """Send every release for `media` ({media_type, tmdb_id, tvdb_id, title, year, season}).

    One result per release, in order: {index, title, status ok|failed, message, torrent_id, infohash}.
    """
    lifecycle.check(actor, "add")
    sending.validate_media(media["media_type"], media.get("tmdb_id"), media.get("tvdb_id"))
    pacer = Pacer(settings.SEEDBOX_BATCH_THROTTLE if throttle is None else throttle)
    client = None
    items = []
    for index, release in enumerate(releases):
        item = {"index": index, "title": release.get("title", ""), "status": "failed", "message": "",
                "torrent_id": None, "infohash": ""}
        try:
            check_release(release)
        except ValidationError as exc:
            item["message"] = _message(exc)
        items.append(item)
    results = []
    for release, item in zip(releases, items, strict=True):
        if item["message"]:
            results.append(item)
            continue
        try:
            client = client or rtorrent.Client()
            item.update(download_one(actor, release, media, client, pacer), status="ok")
        except PermissionDenied:
            raise
        except (ValidationError, rtorrent.RtorrentError, ServiceError) as exc:
            item["message"] = _message(exc)
        except Exception as exc:  # one release's surprise must not stop the others
            logger.exception("batch item %s (%s) failed", index, item["title"])
            item["message"] = f"unexpected error: {exc}"
        results.append(item)
    ok = sum(1 for r in results if r["status"] == "ok")
    with transaction.atomic():
        subject = ("batch", media.get("tmdb_id") or media.get("tvdb_id") or 0)
        events.record("seedbox.batch", subject, actor=actor,
                      message=f"batch for {media.get('title') or media['media_type']}: {ok} sent, "
                              f"{len(results) - ok} failed",
                      payload={"ok": ok, "failed": len(results) - ok,
                               "items": [{k: r[k] for k in ("title", "status", "message")} for r in results]})
    return results
