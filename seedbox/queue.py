"""The download queues of Sonarr and Radarr, as the seedbox page shows them, and removing an item."""

from django.conf import settings
from django.db import transaction
from django.http import Http404

from mediasuite import events
from mediasuite.clients import arr

from . import lifecycle


def _item(kind: str, record: dict) -> dict:
    size, left = record.get("size") or 0, record.get("sizeleft") or 0
    media = record.get("series") or record.get("movie") or {}
    warnings = [message for status in record.get("statusMessages") or []
                for message in status.get("messages") or []]
    if record.get("errorMessage"):
        warnings.append(record["errorMessage"])
    return {"kind": kind, "id": record["id"], "title": record.get("title", ""),
            "media": media.get("title", ""),
            "status": record.get("status", ""), "tracked_status": record.get("trackedDownloadStatus", ""),
            "size": int(size), "size_left": int(left),
            "progress": round(100.0 * (size - left) / size, 1) if size else 0.0,
            "time_left": record.get("timeleft") or "", "warnings": warnings}


def items(user) -> list[dict]:
    """One entry per configured service: {kind, label, error, items}; a service that fails says why."""
    lifecycle.check(user, "view")
    services = []
    for kind in (arr.SONARR, arr.RADARR):
        if not getattr(settings, f"{kind.upper()}_URL"):
            continue
        entry = {"kind": kind, "label": arr.LABEL[kind], "error": "", "items": []}
        try:
            entry["items"] = [_item(kind, r) for r in arr.client(kind, timeout=10).queue()]
        except arr.ArrError as exc:
            entry["error"] = str(exc)
        services.append(entry)
    return services


def remove(actor, kind: str, item_id: int, blocklist: bool) -> None:
    """Remove the item from the queue and the download client; `blocklist`: never grab that release again."""
    lifecycle.check(actor, "delete")
    if kind not in arr.LABEL:
        raise Http404(f"No queue {kind!r}: use sonarr or radarr.")
    arr.client(kind).remove_queued(item_id, blocklist)
    with transaction.atomic():
        events.record("seedbox.queue.removed", (f"{kind}-queue", item_id), actor=actor,
                      message=f"{arr.LABEL[kind]} queue item {item_id} removed"
                              f"{' and blocklisted' if blocklist else ''}",
                      payload={"kind": kind, "blocklist": blocklist})
