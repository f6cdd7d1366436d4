from . import version
from .live.follower import safe_cursor


def navigation(request):
    """Version for the footer, and `live_cursor` for the live badge.

    `live_cursor` is the function itself: templates call it only on pages
    that render the badge, so anonymous pages cost no query. Rendering it as
    `data-live-after` means an event recorded between the page's render and
    its WebSocket's hello still reaches the page.
    """
    return {"mediasuite_version": version.current()["version"], "live_cursor": safe_cursor}
