"""The `channels` service (scans the channels folder periodically, active by default) and the
maintenance job that forgets idle viewer sessions (run by the built-in `scheduler` service)."""

from django.conf import settings

from mediasuite.services.registry import Report, Service, maintenance, register


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


@maintenance("channels.forget-idle-viewers")
def forget_idle_viewers() -> int:
    """Every live.m3u8 request opens a viewer session: those idle for a day are deleted."""
    from . import viewers

    return viewers.forget_idle()
