"""Bulk refresh: search again the trailers of many media, as one throttled background job.

The original called its search in a loop and hammered YouTube; here the
operator queues a list (API or admin action), one django-q2 job searches
the media one after the other, TRAILERS_REFRESH_SPACING seconds apart, each
in its own error boundary, and reports every item. Locked media are left
alone (a lock is the operator's choice).
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from mediasuite import events
from mediasuite.clients.http import ServiceError
from mediasuite.errors import Conflict

from .entries import check, media_key
from .search import get_trailer_info

logger = logging.getLogger("mediasuite.trailers")

MAX_ITEMS = 1000


def clean_items(items) -> list[dict]:
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        raise ValidationError({"media": [f"A list of 1 to {MAX_ITEMS} media."]})
    clean = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError({"media": [f"Item {index}: an object {{media_type, external_id, title}}."]})
        try:
            media_type, external_id = media_key(item.get("media_type"), item.get("external_id"))
        except ValidationError as exc:
            raise ValidationError({"media": [f"Item {index}: {' '.join(exc.messages)}"]}) from None
        title, year = item.get("title") or "", item.get("year")
        if not isinstance(title, str) or len(title) > 300 or "\x00" in title:
            raise ValidationError({"media": [f"Item {index}: title is a text of at most 300 characters."]})
        bad_year = isinstance(year, bool) or not isinstance(year, int) or not 1870 <= year <= 2200
        if year is not None and bad_year:
            raise ValidationError({"media": [f"Item {index}: year is a year between 1870 and 2200."]})
        clean.append({"media_type": media_type, "external_id": external_id, "title": title, "year": year})
    return clean


def queue_refresh(items, actor=None) -> int:
    """Queue the job for `items` ([{media_type, external_id, title, year}]); the number of media queued."""
    check(actor)
    clean = clean_items(items)
    from django_q.tasks import async_task

    with transaction.atomic():
        events.record("trailer.refresh.queued", ("trailers", "refresh"), actor=actor,
                      message=f"trailer refresh of {len(clean)} media queued", payload={"count": len(clean)})
        transaction.on_commit(lambda: async_task("trailers.tasks.refresh", clean, task_name="trailer-refresh",
                                                 q_options={"group": "trailers"}))
    return len(clean)


def run(items: list[dict], spacing: float | None = None) -> list[dict]:
    """Search every media again; one result each: {media_type, external_id, status, message}."""
    spacing = settings.TRAILERS_REFRESH_SPACING if spacing is None else spacing
    results = []
    for index, item in enumerate(clean_items(items)):
        if index and spacing:
            time.sleep(spacing)
        result = {"media_type": item["media_type"], "external_id": item["external_id"], "status": "failed",
                  "message": ""}
        try:
            found = get_trailer_info(item["media_type"], item["external_id"], item["title"], item["year"],
                                     force=True)
            result.update(status=found["status"], message=f"{len(found['candidates'])} candidate(s)")
        except Conflict as exc:
            result.update(status="LOCKED", message=str(exc))
        except ServiceError as exc:
            result["message"] = str(exc)
        except Exception as exc:  # one media's surprise must not stop the others
            logger.exception("trailer refresh of %s %s failed", item["media_type"], item["external_id"])
            result["message"] = f"unexpected error: {exc}"
        results.append(result)
    failed = sum(1 for r in results if r["status"] == "failed")
    with transaction.atomic():
        events.record("trailer.refreshed", ("trailers", "refresh"),
                      message=f"trailer refresh: {len(results) - failed} searched, {failed} failed",
                      payload={"count": len(results), "failed": failed})
    return results
