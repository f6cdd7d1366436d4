"""The core's health checks: units, services, connections, disk space, updates (imported by ready())."""

import shutil
import time

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from .. import config
from ..clients import connections
from ..models import Connection, ServiceState, Unit, UnitState
from ..services import registry
from . import ERROR, WARNING, Problem, folder, folders, glance, register

UPDATE_CHECK_EVERY = 300.0  # seconds between two looks at git (no fetch: the System page fetches)
_update_seen: tuple[float, Problem | None] = (0.0, None)


def _unit_link(unit: Unit) -> str:
    return reverse("admin:mediasuite_unit_change", args=[unit.pk])


@register
def units():
    for unit in Unit.objects.filter(state__in=(UnitState.FAILED, UnitState.BACKOFF)).order_by("name"):
        reason = unit.reason or "no reason recorded"
        if unit.state == UnitState.FAILED:
            yield Problem(f"unit:{unit.name}", ERROR, f"{unit.name} failed: {reason}", _unit_link(unit))
        else:
            yield Problem(f"unit:{unit.name}", WARNING, f"{unit.name} is restarting after a failure "
                          f"({unit.consecutive_failures} so far): {reason}", _unit_link(unit))


@register
def services():
    states = {state.name: state for state in ServiceState.objects.filter(is_active=True)}
    for service in registry.services():
        state = states.get(service.name)
        if state is None:
            continue
        missing = [item for item in map(connections.get, service.needs) if not item.configured]
        for item in missing:
            yield Problem(f"connection:{item.name}:needed", ERROR, f"{service.label} is active but "
                          f"{item.label} is not configured: set it in Settings → Connections.", item.url)
        if state.last_error and not missing:
            yield Problem(f"service:{service.name}", WARNING, f"{service.label}: {state.last_error}",
                          f"{reverse('settings')}#service-{service.name}")


@register
def connection_tests():
    for row in Connection.objects.filter(test_ok=False).order_by("name"):
        try:
            item = connections.get(row.name)
        except LookupError:
            continue
        yield Problem(f"connection:{row.name}:test", ERROR, f"{item.label} failed its last test: "
                      f"{row.test_message}", item.url)
    if config.unreadable():
        yield Problem("connection:unreadable", ERROR, next(iter(config.unreadable().values())),
                      reverse("settings-connections"))


@register
def disk_space():
    low = settings.DISK_LOW_MB * 1024 * 1024
    by_device = {}
    for label, path in folders():
        try:
            device = path.stat().st_dev
            usage = shutil.disk_usage(path)
        except OSError:
            continue
        by_device.setdefault(device, (usage, []))[1].append((label, path))
    for usage, places in by_device.values():
        if usage.free < low:
            names = ", ".join(f"{label} ({path})" for label, path in places)
            yield Problem(f"disk:{places[0][1]}", ERROR,
                          f"Low disk space: {usage.free / 1048576:.1f} MB free for {names}, below "
                          f"{settings.DISK_LOW_MB} MB; free some space or move the folder.",
                          reverse("settings"))


@register
def update():
    global _update_seen
    if time.monotonic() - _update_seen[0] < UPDATE_CHECK_EVERY:
        found = _update_seen[1]
    else:
        from ..system.api import versions

        body = versions(fetch=False)
        found = Problem("update", WARNING, f"An update is available: {body['remote']['subject']} "
                        f"({body['remote']['commit'][:8]}).", reverse("system")) \
            if body["update_available"] else None
        _update_seen = (time.monotonic(), found)
    if found:
        yield found


def _services_glance() -> dict[str, int]:
    states = {s.name: s for s in ServiceState.objects.all()}
    counts = {"active": 0, "stopped": 0, "error": 0}
    for service in registry.services():
        state = states.get(service.name)
        key = "stopped" if not (state and state.is_active) else "error" if state.last_error else "active"
        counts[key] += 1
    return counts


def _units_glance() -> dict[str, int]:
    return dict(Unit.objects.filter(desired="running").values_list("state").annotate(n=Count("id"))
                .order_by())


folder("Data", lambda: settings.DATA_DIR)
glance("Services", _services_glance, url="settings")
glance("Processes", _units_glance)
