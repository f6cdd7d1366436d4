"""What goes over the wire: the JSON of one event, and the subscription filters.

The same `event_data()` shape is used by the WebSocket messages, the API and
the /events/ page's live rows, so a client handles one format everywhere.
"""

import json
from dataclasses import dataclass

from django.db.models import Q
from django.http import QueryDict

from .. import subjects
from ..models import Event

MAX_FILTER_LENGTH = 1024


def event_data(event: Event, subject_name: str | None = None) -> dict:
    """The public JSON of an event (select_related club and actor to avoid queries)."""
    return {
        "id": event.id,
        "kind": event.kind,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "subject_name": subject_name,
        "club": event.club_id,
        "owner": event.owner_id,
        "actor": event.actor_id,
        "message": event.message,
        "payload": event.payload,
        "created_at": event.created_at.isoformat(),
        "club_name": event.club.name if event.club_id else None,
        "actor_name": event.actor.get_username() if event.actor_id else None,
    }


@dataclass(frozen=True)
class Item:
    """One event as the follower hands it out: what filtering needs, and the message."""

    id: int
    kind: str
    subject_type: str
    subject_id: str
    club_id: int | None
    owner_id: int | None
    text: str


def message_texts(events: list[Event]) -> list[str]:
    """The WebSocket messages of `events`, their subjects named (one query per kind of subject)."""
    named = subjects.names((event.subject_type, event.subject_id) for event in events)
    return [json.dumps({"type": "event",
                        "event": event_data(event, named[event.subject_type, event.subject_id])},
                       separators=(",", ":")) for event in events]


def item_of(event: Event, text: str) -> Item:
    return Item(event.id, event.kind, event.subject_type, event.subject_id, event.club_id,
                event.owner_id, text)


class BadFilter(ValueError):
    """A query parameter of the WebSocket URL that cannot be used."""


@dataclass(frozen=True)
class Filters:
    """`?after=&subject_type=&subject_id=&kind=` of a WebSocket connection.

    `kind` is a comma-separated list of kinds; an entry ending in `*` is a
    prefix (`kind=service.*`).
    """

    after: int | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    kinds: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query_string: bytes | str) -> "Filters":
        if isinstance(query_string, bytes):
            query_string = query_string.decode("latin-1")
        params = QueryDict(query_string)
        after = params.get("after") or None
        if after is not None:
            if not after.isdigit() or len(after) > 18:
                raise BadFilter("after must be a non-negative event id")
            after = int(after)
        texts = {}
        for name in ("subject_type", "subject_id", "kind"):
            value = params.get(name) or None
            if value is not None and (len(value) > MAX_FILTER_LENGTH or "\x00" in value):
                raise BadFilter(f"{name} is not a valid filter")
            texts[name] = value
        entries = [k.strip() for k in (texts["kind"] or "").split(",") if k.strip()]
        return cls(
            after=after,
            subject_type=texts["subject_type"],
            subject_id=texts["subject_id"],
            kinds=tuple(k for k in entries if not k.endswith("*")),
            prefixes=tuple(k[:-1] for k in entries if k.endswith("*")),
        )

    def matches(self, item: Item) -> bool:
        if self.subject_type is not None and item.subject_type != self.subject_type:
            return False
        if self.subject_id is not None and item.subject_id != self.subject_id:
            return False
        if self.kinds or self.prefixes:
            return item.kind in self.kinds or any(item.kind.startswith(p) for p in self.prefixes)
        return True

    def q(self) -> Q:
        """The same filter for a query."""
        rule = Q()
        if self.subject_type is not None:
            rule &= Q(subject_type=self.subject_type)
        if self.subject_id is not None:
            rule &= Q(subject_id=self.subject_id)
        if self.kinds or self.prefixes:
            kinds = Q(kind__in=self.kinds) if self.kinds else Q(pk__in=[])
            for prefix in self.prefixes:
                kinds |= Q(kind__startswith=prefix)
            rule &= kinds
        return rule
