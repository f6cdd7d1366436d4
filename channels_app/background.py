"""The `channels` service: scans the channels folder periodically (active by default)."""

from django.conf import settings

from mediasuite.services.registry import Report, Service, register


def check(state) -> Report:
    from . import catalog

    try:
        totals = catalog.scan()
    except OSError as exc:
        return Report(error=f"Cannot scan the channels folder {settings.CHANNELS_DIR}: {exc}. "
                            "Check MEDIASUITE_CHANNELS_DIR and its permissions.")
    return Report(counters={"channels_found": totals["channels"], "files_added": totals["added"]})


register(Service(
    name="channels",
    label="Channel scanner",
    description="Finds new channel folders and new or changed videos in MEDIASUITE_CHANNELS_DIR.",
    check="channels_app.background.check",
    interval=settings.CHANNELS_SCAN_INTERVAL,
    counters=("channels_found", "files_added"),
    active_by_default=True,
))
