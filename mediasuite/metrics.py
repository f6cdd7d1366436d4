"""Prometheus metrics (`GET /metrics`, prometheus-client's text format), computed at scrape time.

Why at scrape time, from the database: the state lives in the database and
several processes change it (web, worker, supervisor, several nodes).
prometheus-client's multiprocess mode shares counters between the forks of
one server through files, which fits neither django-q2's workers, daphne
and the supervisor started apart, nor several nodes. So the gauges (units,
torrents, recordings, queue depth ...) are read from their tables when
Prometheus asks, and the counters that span processes (restarts by trigger)
are counted from the Event table, and are the same whichever process
answers. Only what one web process sees itself is per process: HTTP
requests by status and its event feed lag; Prometheus scrapes each web
process (node) as a target of its own.

An app adds its own families from its `metrics.py` (autodiscovered by the core's ready()):

    from mediasuite import metrics

    @metrics.register
    def torrents():
        family = metrics.gauge("mediasuite_torrents", "Torrents by state.", ["state"])
        ...
        yield family
"""

import hmac
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from .models import Event, Unit

# The text format every Prometheus reads (generate_latest writes it: names escaped with underscores).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_families: list[Callable[[], Iterable]] = []

# This process's own counters (one web process), beside the families read from the database.
local = CollectorRegistry(auto_describe=True)
http_requests = Counter("mediasuite_http_requests", "HTTP requests answered by this web process, by status.",
                        ["status"], registry=local)


def register(family: Callable[[], Iterable]) -> Callable:
    _families.append(family)
    return family


def gauge(name: str, documentation: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


def counter(name: str, documentation: str, labels: list[str] | None = None) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, labels=labels)


def counted(rows: Iterable[tuple[str, int]], family, names: Iterable[str] = ()):
    """Fill `family` with one sample per label value, zero for each of `names` not in `rows`."""
    seen = dict(rows)
    for name in sorted(set(names) | set(seen)):
        family.add_metric([str(name)], seen.get(name, 0))
    return family


class _Database:
    """The collector prometheus-client asks at each scrape: every registered family, computed now."""

    def collect(self):
        for family in _families:
            yield from family()


def exposition() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Database())
    return generate_latest(registry) + generate_latest(local)


def view(request):
    """GET /metrics: open with MEDIASUITE_METRICS_OPEN, else for `Authorization: Bearer <METRICS_TOKEN>`."""
    if not settings.METRICS_OPEN:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not settings.METRICS_TOKEN:
            raise PermissionDenied("Metrics are off: set MEDIASUITE_METRICS_TOKEN (and give it to Prometheus "
                                   "as a bearer token) or MEDIASUITE_METRICS_OPEN=true.")
        if not hmac.compare_digest(given.encode(), settings.METRICS_TOKEN.encode()):
            raise PermissionDenied("Send MEDIASUITE_METRICS_TOKEN as `Authorization: Bearer <token>`.")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE)


class CountRequests:
    """Middleware: counts each answer of this web process by status code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        http_requests.labels(str(response.status_code)).inc()
        return response


@register
def units():
    from .models import UnitState

    family = gauge("mediasuite_units", "Supervised units by kind and state.", ["kind", "state"])
    rows = dict(((kind, state), n) for kind, state, n in
                Unit.objects.values_list("kind", "state").annotate(n=Count("id")).order_by())
    for kind in sorted({kind for kind, _ in rows}):
        for state in UnitState.values:
            family.add_metric([kind, state], rows.get((kind, state), 0))
    yield family
    failures = counter("mediasuite_unit_failures", "Unexpected exits of units, by the state they led to "
                       "(backoff, or failed), counted from the events kept.", ["state"])
    yield counted(Event.objects.filter(kind="unit.state", payload__state__in=["backoff", "failed"])
                  .values_list("payload__state").annotate(n=Count("id")).order_by(), failures,
                  ["backoff", "failed"])


@register
def queue():
    from django_q.brokers import get_broker
    from django_q.models import Failure

    depth = gauge("mediasuite_queue_depth", "Jobs waiting in the django-q2 queue.")
    depth.add_metric([], get_broker().queue_size() or 0)
    yield depth
    failures = gauge("mediasuite_queue_failures", "Failed django-q2 jobs kept (Admin > Failed tasks).")
    failures.add_metric([], Failure.objects.count())
    yield failures


@register
def event_feed():
    from .live import follower as live

    newest = Event.objects.aggregate(top=Max("id"))["top"] or 0
    events = gauge("mediasuite_events", "The newest event id (events recorded so far).")
    events.add_metric([], newest)
    yield events
    behind = gauge("mediasuite_event_feed_lag_events", "Events recorded, not yet pushed by this web process "
                   "(no sample until a live page has connected to it).")
    lag = gauge("mediasuite_event_feed_lag_seconds", "Age of the oldest event this web process has not "
                "pushed (no sample until a live page has connected to it).")
    following = live._latest
    if following is not None and following.started:
        behind.add_metric([], max(0, newest - following.position))
        oldest = Event.objects.filter(id__gt=following.position).aggregate(at=Min("created_at"))["at"]
        lag.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
    yield behind
    yield lag
