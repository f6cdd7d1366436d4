"""The seedbox's part of the health list: failed and blocked torrents, the staging folder's disk space,
and the torrents at a glance."""

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from mediasuite import health

from .models import State, Torrent


@health.register
def torrents():
    stuck = dict(Torrent.objects.filter(state__in=(State.FAILED, State.IMPORT_BLOCKED))
                 .values_list("state").annotate(n=Count("id")).order_by())
    for state, one, many in ((State.FAILED, "torrent failed", "torrents failed"),
                             (State.IMPORT_BLOCKED, "torrent is blocked at the import",
                              "torrents are blocked at the import")):
        count = stuck.get(state, 0)
        if count:
            names = Torrent.objects.filter(state=state).order_by("-id").values_list("name", flat=True)[:3]
            yield health.Problem(f"torrents:{state}", health.ERROR,
                                 f"{count} {one if count == 1 else many} ({', '.join(names)}): see the "
                                 "reason on the seedbox page, then retry or ignore.",
                                 reverse("seedbox-activity"))


def by_state() -> dict[str, int]:
    return dict(Torrent.objects.exclude(state__in=(State.REMOTE_CLEANED, State.IGNORED)).values_list("state")
                .annotate(n=Count("id")).order_by())


health.folder("Staging", lambda: settings.SEEDBOX_STAGING_DIR)
health.glance("Torrents", by_state, url="seedbox-activity")
