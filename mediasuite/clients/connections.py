"""The integrations (Settings → Connections): their fields, and `Test` (reachable, and who answers).

The core declares the hosted services whose clients it holds (Sonarr,
Radarr, Plex, TMDB, TVDB, Discord, Last.fm: mediasuite/clients/integrations.py);
an app adds its own from its AppConfig.ready():

    connections.register(connections.Integration(
        "rtorrent", "rTorrent", rtorrent_check, errors=(RtorrentError,),
        fields=(config.Field("SEEDBOX_RTORRENT_URL", "XML-RPC URL", config.SECRET, required=True),)))

`check()` returns one line saying who answered; raising ServiceError, OSError
or one of the exceptions the integration lists is a failed test, and its
message is what the operator reads. The fields' values are read through
mediasuite.config, the environment first.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .. import config
from .http import ServiceError


@dataclass(frozen=True)
class Integration:
    name: str
    label: str
    check: Callable[[], str]
    fields: tuple[config.Field, ...] = ()
    errors: tuple[type[Exception], ...] = ()
    description: str = ""

    @property
    def configured(self) -> bool:
        """Every required field has a value (a wrong one is for its Test to find)."""
        return all(config.get(f.name) for f in self.fields if f.required)

    @property
    def url(self) -> str:
        """The link to its form."""
        return f"{reverse('settings-connections')}#{self.name}"


_integrations: dict[str, Integration] = {}


def register(integration: Integration) -> Integration:
    """Add an integration to Settings → Connections, after those already there."""
    config.declare(*integration.fields)
    _integrations[integration.name] = integration
    return integration


def get(name: str) -> Integration:
    try:
        return _integrations[name]
    except KeyError:
        raise LookupError(f"No connection named '{name}'; known: {', '.join(_integrations)}.") from None


def integrations() -> list[Integration]:
    return list(_integrations.values())


def not_configured(name: str) -> str:
    """The sentence for an integration used while not configured, with the way to its form."""
    integration = get(name)
    names = " and ".join(f.name for f in integration.fields if f.required)
    return (f"{integration.label} is not configured: set it in Settings → Connections ({integration.url})"
            f"{f' or by {names} in the environment' if names else ''}.")


def missing(*names: str) -> list[Integration]:
    """Those of `names` not configured, for a page to say so when it opens."""
    return [get(name) for name in names if not get(name).configured]


def test(name: str, values: dict | None = None) -> dict:
    """Run the integration's check. With `values` (a form not saved yet) they are tried in place of the
    saved ones; without, the outcome is kept for the health list."""
    integration = get(name)
    try:
        with config.trying(values or {}):
            result = {"name": name, "ok": True, "message": integration.check()}
    except (ServiceError, OSError, *integration.errors) as exc:
        result = {"name": name, "ok": False, "message": str(exc)}
    if values is None:
        from ..models import Connection

        with transaction.atomic():
            Connection.objects.get_or_create(name=name)
            Connection.objects.filter(name=name).update(tested_at=timezone.now(), test_ok=result["ok"],
                                                        test_message=result["message"][:500])
    return result


def test_all() -> list[dict]:
    return [test(item.name) for item in _integrations.values()]


def _shown(field: config.Field) -> dict:
    """What a form shows of one field: never a secret, only whether it is set and its last 4 characters."""
    value, source = config.get(field.name), config.source(field.name)
    body = {"name": field.name, "label": field.label, "kind": field.kind, "help": field.help,
            "required": field.required, "default": field.default, "source": source,
            "set": source != config.DEFAULT and bool(value)}
    if field.secret:
        body["last4"] = value.strip()[-4:] if body["set"] and len(value.strip()) >= 12 else ""
    else:
        body["value"] = value if source != config.DEFAULT else ""
    return body


def state_of(configured: bool, test_ok: bool | None) -> str:
    """failed (its last test), missing (not configured), works (its last test passed) or untested.

    Every page draws it with templates/mediasuite/_connection_badge.html, one colour per state."""
    if test_ok is False:
        return "failed"
    if not configured:
        return "missing"
    return "works" if test_ok else "untested"


def describe(integration: Integration) -> dict:
    """An integration as Settings → Connections, the API and the admin show it."""
    from ..models import Connection

    row = Connection.objects.filter(name=integration.name).first()
    tested = row is not None and row.tested_at is not None
    configured = integration.configured
    return {
        "name": integration.name, "label": integration.label, "description": integration.description,
        "configured": configured, "state": state_of(configured, row.test_ok if tested else None),
        "url": integration.url,
        "fields": [_shown(f) for f in integration.fields],
        "updated_at": row.updated_at.isoformat() if row and row.values else None,
        "test": {"ok": row.test_ok, "message": row.test_message, "at": row.tested_at.isoformat()}
        if tested else None,
    }


def save(actor, name: str, values: dict, clear=()) -> list[str]:
    """Save the form of integration `name` (mediasuite.config.save); the names of the fields changed."""
    integration = get(name)
    return config.save(actor, name, integration.label, [f.name for f in integration.fields], values, clear)
