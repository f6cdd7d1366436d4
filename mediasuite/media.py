"""Media decorators: fields an app adds to the media rows that other apps list.

A media row is a dict with `media_type` ("movie" or "series"), `tmdb_id`,
`tvdb_id`, `title` and `year`: what the media search answers, what a Torrent
is for. An app that knows something about every media (trailers: the
trailer status) registers a decorator from its AppConfig.ready():

    media.register(media.Decorator(
        field="trailer_status",
        decorate=status.decorate,       # list[dict] -> None: sets row[field] on every row, in bulk
        schema=lambda: serializers.ChoiceField(choices=Status.choices, required=False),
        template="trailers/_media.html",  # drawn beside the row on pages; its context has `media`
        model=TrailerEntry,             # only users its policy lets view get the field
    ))

An app that lists media asks `decorate(rows, user)`, describes the fields in
its API with `schema_fields()`, and draws `{% media_decorations row %}`
(templatetags/layout.py). Neither side imports the other.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from .policies import policy_for


@dataclass(frozen=True)
class Decorator:
    field: str
    decorate: Callable[[list[dict]], object]
    schema: Callable[[], object]
    model: type[Model]
    template: str = ""


_decorators: dict[str, Decorator] = {}


def register(decorator: Decorator) -> Decorator:
    _decorators[decorator.field] = decorator
    return decorator


def for_user(user) -> list[Decorator]:
    return [d for d in _decorators.values() if policy_for(d.model).allows(user, "view")]


def decorate(rows: list[dict], user) -> list[dict]:
    """Add every field the user may see to every row (each decorator: one bulk lookup)."""
    for decorator in for_user(user):
        decorator.decorate(rows)
    return rows


def schema_fields() -> dict:
    """{field: serializer field} for the API schema of a media row."""
    return {d.field: d.schema() for d in _decorators.values()}


def templates(row: dict) -> list[str]:
    """The templates to draw beside a decorated row: those whose field the row carries."""
    return [d.template for d in _decorators.values() if d.template and d.field in row]
