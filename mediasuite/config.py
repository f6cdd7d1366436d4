"""The one accessor of the integrations' settings: the environment first, then Settings → Connections.

    from mediasuite import config
    key = config.get("SONARR_API_KEY")

A variable set in the environment (or `.env`, or a `<NAME>_FILE`, read by
mediasuite/settings.py) wins and is shown read-only. Otherwise the value
saved in the database is used, else the field's default. Each process keeps
the saved values in memory and reads one token per call (the
SettingsRevision row): a save changes it, so the next call of every process
(web, worker, supervisor) uses the new value without a restart.

Fields are declared by the integrations that use them
(mediasuite/clients/connections.py); `save()` is the only code that writes them.
"""

import contextlib
import contextvars
import logging
import threading
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import events, vault
from .text import refuse_control_characters

logger = logging.getLogger("mediasuite.config")

TEXT, SECRET, URL, NUMBER, KEY = "text", "secret", "url", "number", "key"
ENVIRONMENT, DATABASE, DEFAULT = "environment", "database", "default"


@dataclass(frozen=True)
class Field:
    """One setting of an integration. `kind`: text, url, number, secret, or key (a multi-line secret)."""

    name: str
    label: str
    kind: str = TEXT
    default: str = ""
    required: bool = False
    help: str = ""

    @property
    def secret(self) -> bool:
        return self.kind in (SECRET, KEY)

    def clean(self, value: str) -> str:
        value = value if self.kind == KEY else value.strip()
        if not value:
            return ""
        if "\x00" in value or len(value) > 16384:
            raise ValidationError({self.name: "Too long or not text."})
        if self.kind != KEY:  # a key is a multi-line PEM; every other value is one line
            try:
                refuse_control_characters(value)
            except ValidationError as exc:
                raise ValidationError({self.name: exc.messages}) from None
        if self.kind == URL and "://" not in value:
            raise ValidationError({self.name: f"{self.label} is a URL, e.g. http://host:port."})
        if self.kind == NUMBER and not (value.isdigit() and 0 < int(value) < 65536):
            raise ValidationError({self.name: f"{self.label} is a number from 1 to 65535."})
        return value


_fields: dict[str, Field] = {}
_trying: contextvars.ContextVar[dict | None] = contextvars.ContextVar("config_trying", default=None)
_cache_lock = threading.Lock()
_cache: tuple[str | None, dict[str, str], dict[str, str]] = (None, {}, {})  # revision, values, unreadable


def declare(*fields: Field) -> None:
    for item in fields:
        _fields[item.name] = item


def field(name: str) -> Field:
    return _fields[name]


def from_environment(name: str) -> str:
    """The value the environment gives `name` ("" when unset), as mediasuite/settings.py read it."""
    value = getattr(settings, name, "")
    return "" if value is None else str(value)


def _stored() -> tuple[dict[str, str], dict[str, str]]:
    """The saved values (secrets decrypted) and why some cannot be read, cached per revision."""
    global _cache
    from .models import Connection, SettingsRevision

    revision = SettingsRevision.objects.values_list("token", flat=True).first() or ""
    with _cache_lock:
        if _cache[0] == revision:
            return _cache[1], _cache[2]
    values, unreadable = {}, {}
    for row in Connection.objects.only("values"):
        for name, text in (row.values or {}).items():
            item = _fields.get(name)
            if item is None or not item.secret:
                values[name] = text
                continue
            try:
                values[name] = vault.decrypt(text)
            except vault.VaultError as exc:
                unreadable[name] = str(exc)
    with _cache_lock:
        _cache = (revision, values, unreadable)
    return values, unreadable


def get(name: str) -> str:
    """The value in force for `name`: the environment's, else the saved one, else the field's default."""
    value = from_environment(name)
    if value:
        return value
    trying = _trying.get()
    if trying is not None and name in trying:
        return trying[name]
    value = _stored()[0].get(name, "")
    return value or (_fields[name].default if name in _fields else "")


def source(name: str) -> str:
    """Where the value in force comes from: environment, database or default."""
    if from_environment(name):
        return ENVIRONMENT
    return DATABASE if _stored()[0].get(name) else DEFAULT


def unreadable() -> dict[str, str]:
    """Saved secrets this process cannot decrypt (another key), by setting name."""
    return _stored()[1]


@contextlib.contextmanager
def trying(values: dict[str, str]):
    """Within the block (this thread), `get` answers `values` where the environment sets nothing: a Test
    of what a form holds before it is saved."""
    token = _trying.set(values)
    try:
        yield
    finally:
        _trying.reset(token)


def clean(names: list[str], values: dict, clear: list) -> tuple[dict[str, str], set[str]]:
    """Validate a form of the fields `names`: the values to write and the names to clear.

    A secret left empty is kept as it is (it is never shown back); `clear`
    empties it. A field set by the environment cannot be written here.
    """
    unknown = sorted((set(values) | set(clear)) - set(names))
    if unknown:
        raise ValidationError({unknown[0]: f"Not a field of this connection; it has {', '.join(names)}."})
    written, cleared, errors = {}, set(), {}
    for name in names:
        item = _fields[name]
        if name not in values and name not in clear:
            continue
        if from_environment(name):
            errors[name] = f"{name} is set by the environment; change it there (or unset it to edit it here)."
            continue
        if not isinstance(values.get(name, ""), str):
            errors[name] = "Text expected."
            continue
        try:
            value = item.clean(values.get(name, ""))
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if name in clear or (not value and not item.secret):
            cleared.add(name)
        elif value:
            written[name] = value
    if errors:
        raise ValidationError(errors)
    return written, cleared


def save(actor, connection: str, label: str, names: list[str], values: dict, clear: list = ()) -> list[str]:
    """Save an integration's fields (SUPER_ADMIN): secrets encrypted, the revision moved, one event. The
    names of the fields changed are returned (none: nothing written)."""
    from .models import Connection, SettingsRevision

    if actor is not None and not getattr(actor, "is_super_admin", False):
        raise PermissionDenied("Only a super admin may change the connections.")
    written, cleared = clean(names, values, list(clear))
    with transaction.atomic():
        row, _ = Connection.objects.select_for_update().get_or_create(name=connection)
        stored = dict(row.values or {})
        changed = []
        for name, value in written.items():
            if _fields[name].secret or stored.get(name) != value:
                stored[name] = vault.encrypt(value) if _fields[name].secret else value
                changed.append(name)
        for name in sorted(cleared):
            if stored.pop(name, None) is not None:
                changed.append(name)
        if not changed:
            return []
        row.values, row.updated_at, row.updated_by = stored, timezone.now(), actor
        row.tested_at, row.test_ok, row.test_message = None, None, ""
        row.save()
        SettingsRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
        by = f" by {actor}" if actor is not None else ""
        events.record("connection.changed", ("connection", connection), actor=actor,
                      message=f"{label} settings changed{by}: {', '.join(changed)}",
                      payload={"fields": changed})
    logger.info("Connection %s changed%s: %s.", connection, by, ", ".join(changed))
    return changed
