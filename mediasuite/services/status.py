"""The status of a service as the API, the pages and the events show it.

    {"name": "tracker", "label": "Last.fm tracker", "kind": "periodic",
     "running": true, "interval": 120, "last_check": "2026-02-01T17:40:00+00:00",
     "next_check": "...", "last_error": "", "last_updated": "...",
     "tracks_found": 12}

`running` is the persisted wish (ServiceState.is_active): what runs again by
itself after any restart. Counters come flat, as the original API had them.
"""

from datetime import timedelta

from .. import reasons
from ..models import ServiceState, Unit
from . import registry

CORE_KEYS = {"name", "label", "description", "kind", "running", "interval", "last_check", "next_check",
             "last_error", "message", "last_updated", "state"}


def _iso(value):
    return value.isoformat() if value else None


def default_state(service: registry.Service) -> ServiceState:
    """The row a service has before anyone touched it (not saved): what a new installation gets."""
    return ServiceState(name=service.name, interval=service.interval, is_active=service.active_by_default)


def status_of(service: registry.Service, state: ServiceState, unit_state: str | None = None) -> dict:
    body = {
        "name": service.name,
        "label": service.label,
        "description": service.description,
        "kind": service.kind,
        "running": state.is_active,
        "interval": state.interval,
        "last_check": _iso(state.last_check),
        "next_check": None,
        "last_error": state.last_error,
        "message": reasons.service_sentence(service.label, state.last_error, state.interval),
        "last_updated": _iso(state.last_updated),
    }
    if service.kind == registry.PERIODIC and state.is_active:
        body["next_check"] = _iso(state.last_check + timedelta(seconds=state.interval)
                                  if state.last_check else None)
    if service.kind == registry.UNIT:
        body["state"] = unit_state or "stopped"
    counters = {name: 0 for name in service.counters}
    counters.update(state.counters or {})
    for key, value in counters.items():
        if key not in CORE_KEYS:
            body[key] = value
    return body


def status(name: str) -> dict:
    """The status of one service; LookupError for an unknown name."""
    service = registry.get(name)
    state = ServiceState.objects.filter(name=name).first() or default_state(service)
    unit_state = None
    if service.kind == registry.UNIT:
        unit_state = Unit.objects.filter(name=service.unit_name).values_list("state", flat=True).first()
    return status_of(service, state, unit_state)


def status_all() -> dict[str, dict]:
    """Every registered service's status, keyed by name, in two queries whatever their number."""
    services = registry.services()
    states = {state.name: state for state in ServiceState.objects.all()}
    unit_names = [s.unit_name for s in services if s.kind == registry.UNIT]
    units = dict(Unit.objects.filter(name__in=unit_names).values_list("name", "state")) if unit_names else {}
    return {
        s.name: status_of(s, states.get(s.name) or default_state(s), units.get(s.unit_name))
        for s in services
    }
