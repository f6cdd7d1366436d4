"""The shared layout: what apps add to the navigation bar, the dashboard and every page.

templates/base.html and the dashboard name no app: each app registers its
parts from its AppConfig.ready(), and the layout draws those the user may use
(`allowed`, which asks the app's policy; no `allowed`: every signed-in user):

    from mediasuite import layout

    layout.register(layout.Link(layout.NAV, "Seedbox", url="seedbox-activity",
                                allowed=layout.may(Torrent), active=("seedbox-activity",)))
    layout.register(layout.Link(layout.SHORTCUTS, "Seedbox", url="seedbox-activity",
                                allowed=layout.may(Torrent), description="torrents on their way home"))
    layout.register(layout.Fragment(
        layout.DIALOGS, "trailers/_dialogs.html", allowed=layout.may(TrailerEntry),
        context=lambda request: {"trailers_download": settings.TRAILERS_DOWNLOAD}))

Slots: NAV (the navigation bar), SHORTCUTS (the dashboard's "Go to" list),
CARDS (cards of the dashboard), DIALOGS (dialogs on every page). Entries are
drawn by `order`, then in the order they were registered (INSTALLED_APPS);
the core's own entries come after the apps'.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse

from .policies import policy_for

NAV, SHORTCUTS, CARDS, DIALOGS = "nav", "shortcuts", "cards", "dialogs"
APPS, CORE = 100, 900


def may(model: type[Model], action: str = "view") -> Callable:
    """`allowed` for an entry: whether the model's policy lets the user `action` anything at all."""
    return lambda user: policy_for(model).allows(user, action)


@dataclass(frozen=True)
class Link:
    """A link to a page, or (with `dialog`, the id of a modal on every page) a link opening a dialog.

    active: URL names, or beginnings of them, of the pages on which the nav link is marked active.
    """

    slot: str
    label: str
    url: str = ""
    allowed: Callable | None = None
    active: tuple[str, ...] = ()
    icon: str = ""
    description: str = ""
    dialog: str = ""
    html_id: str = ""
    order: int = APPS


@dataclass(frozen=True)
class Fragment:
    """A template drawn in a slot; `context(request)` adds what it needs to the page's context."""

    slot: str
    template: str
    allowed: Callable | None = None
    context: Callable = lambda request: {}
    order: int = APPS


_entries: list[Link | Fragment] = []


def register(entry: Link | Fragment) -> Link | Fragment:
    _entries.append(entry)
    return entry


def entries(slot: str, user) -> list[Link | Fragment]:
    """The entries of `slot` the user may use, in drawing order."""
    if not (user and user.is_authenticated):
        return []
    found = [e for e in _entries if e.slot == slot and (e.allowed is None or e.allowed(user))]
    return sorted(found, key=lambda e: e.order)


def links(slot: str, request) -> list[dict]:
    """What a template needs to draw the links of `slot`: label, href, active, ..."""
    here = getattr(request.resolver_match, "url_name", None) or ""
    return [{"label": link.label, "href": reverse(link.url) if link.url else "#",
             "active": any(here.startswith(name) for name in link.active), "icon": link.icon,
             "description": link.description, "dialog": link.dialog, "html_id": link.html_id}
            for link in entries(slot, request.user)]
