"""The services API: every endpoint, each role, unknown names and bad input; never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import Schedule

from mediasuite.models import Event, ServiceState
from mediasuite.services import control, registry
from mediasuite.services.registry import Service

BASE = "/api/v1/services"
ENDPOINTS = [
    ("post", f"{BASE}/tracker/start"),
    ("post", f"{BASE}/tracker/stop"),
    ("get", f"{BASE}/tracker/status"),
    ("get", f"{BASE}/status/all"),
    ("get", f"{BASE}/tracker"),
    ("patch", f"{BASE}/tracker"),
]


def call(api, method, url, data=None):
    return getattr(api, method)(url, data if data is not None else ({"interval": 60} if method == "patch"
                                                                      else None), format="json")


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_is_401(method, url, api, db):
    response = call(api, method, url)
    assert response.status_code == 401 and response.json()["error"]


@pytest.mark.parametrize("actor", ["admin", "player", "other_admin", "other_player"])
@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_only_a_super_admin_may(method, url, actor, api, people):
    response = call(api.as_user(people[actor]), method, url)
    assert response.status_code == 403
    assert response.json() == {"error": "Only a super admin may see or drive background services."}
    assert list(ServiceState.objects.filter(is_active=True).values_list("name", flat=True)) == ["scheduler"]


def test_start_status_stop(api, people):
    api.as_user(people["super"])
    response = api.post(f"{BASE}/tracker/start")
    assert response.status_code == 200 and response.json() == {"status": "started"}
    status = api.get(f"{BASE}/tracker/status").json()
    assert status["running"] is True and status["interval"] == 120 and status["last_check"] is None
    assert status["tracks_found"] == 0 and status["label"] == "Last.fm tracker"
    assert Schedule.objects.filter(name="mediasuite.service:tracker",
                                   func="mediasuite.services.tasks.run_service").count() == 1
    event = Event.objects.get(kind="service.started")
    assert (event.subject_type, event.subject_id, event.actor) == ("service", "tracker", people["super"])
    assert event.payload["running"] is True

    assert api.post(f"{BASE}/tracker/start/").json() == {"status": "started"}  # idempotent, slash optional
    assert Event.objects.filter(kind="service.started").count() == 1

    response = api.post(f"{BASE}/tracker/stop")
    assert response.status_code == 200 and response.json() == {"status": "stopped"}
    assert api.get(f"{BASE}/tracker/status").json()["running"] is False
    assert not Schedule.objects.filter(name="mediasuite.service:tracker").exists()
    assert Event.objects.get(kind="service.stopped").payload["running"] is False


def test_status_all(api, people):
    api.as_user(people["super"])
    api.post(f"{BASE}/scheduler/start")
    body = api.get(f"{BASE}/status/all").json()
    assert {"scheduler", "tracker"} <= set(body)  # and those the apps register
    assert body["scheduler"]["running"] is True and body["tracker"]["running"] is False
    assert body["scheduler"]["interval"] == 3600 and "jobs_run" in body["scheduler"]


def test_status_all_has_a_constant_query_count(api, people):
    api.as_user(people["super"])
    api.get(f"{BASE}/status/all")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"{BASE}/status/all").status_code == 200
        return len(queries)

    before = count()
    known = len(registry.names())
    extra = [Service(name=f"extra-{i}", label=f"Extra {i}", check="mediasuite.services.maintenance.check")
             for i in range(5)]
    try:
        for service in extra:
            registry.register(service)
            control.start(None, service.name)
        after = count()
        assert len(api.get(f"{BASE}/status/all").json()) == known + 5
    finally:
        for service in extra:
            registry._services.pop(service.name, None)
    assert after == before


@pytest.mark.parametrize("name", ["nope", "status", "TRACKER", "a" * 300, "tr%20acker", "..", "%00"])
@pytest.mark.parametrize("path", ["start", "stop", "status", ""])
def test_unknown_service_is_404_with_the_known_names(name, path, api, people):
    api.as_user(people["super"])
    url = f"{BASE}/{name}/{path}".rstrip("/")
    response = api.get(url) if path in ("status", "") else api.post(url)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error.startswith(("Unknown service", "No API endpoint"))
    if name == "nope":
        assert error == f"Unknown service 'nope'. Known: {', '.join(registry.names())}."
        assert {"scheduler", "tracker"} <= set(registry.names())
    assert list(ServiceState.objects.filter(is_active=True).values_list("name", flat=True)) == ["scheduler"]


def test_change_the_interval(api, people):
    api.as_user(people["super"])
    api.post(f"{BASE}/tracker/start")
    response = api.patch(f"{BASE}/tracker", {"interval": 300}, format="json")
    assert response.status_code == 200 and response.json()["interval"] == 300
    assert Schedule.objects.get(name="mediasuite.service:tracker").minutes == 5
    assert Event.objects.filter(kind="service.changed", subject_id="tracker").count() == 1


@pytest.mark.parametrize("body", [{"interval": "abc"}, {"interval": 9}, {"interval": 86401},
                                  {"interval": True}, {"interval": None}, {"interval": 12.5},
                                  {"interval": [60]}, {}, [60], "60"])
def test_bad_interval_is_400(body, api, people):
    api.as_user(people["super"])
    response = api.patch(f"{BASE}/tracker", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]
    interval = ServiceState.objects.filter(name="tracker").values_list("interval", flat=True).first()
    assert interval in (None, 120)


def test_unsupported_methods_are_405(api, people):
    api.as_user(people["super"])
    assert api.get(f"{BASE}/tracker/start").status_code == 405
    assert api.delete(f"{BASE}/tracker").status_code == 405
    assert api.post(f"{BASE}/status/all").status_code == 405


def test_a_session_needs_the_csrf_token(people, db):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["super"])
    response = client.post(f"{BASE}/tracker/start")
    assert response.status_code == 403 and "CSRF" in response.json()["error"]
