"""The domain module, the scheduler's maintenance jobs, the admin and the Settings page (in process)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule, Task

from mediasuite.models import Event, ServiceState
from mediasuite.services import control, registry, runner
from mediasuite.services.status import status_all

DEFAULT_ACTIVE = sorted(name for name in registry.names() if registry.get(name).active_by_default)


def schedules():
    names = Schedule.objects.filter(name__startswith="mediasuite.service:").values_list("name", flat=True)
    return sorted(names)


def test_rows_exist_for_every_registered_service(db):
    control.ensure_states()
    assert sorted(ServiceState.objects.values_list("name", "interval")) == [
        (name, registry.get(name).interval) for name in registry.names()]
    assert ("scheduler", 3600) in ServiceState.objects.values_list("name", "interval")


def test_a_new_installation_runs_the_scheduler_and_waits_for_the_tracker(db):
    ServiceState.objects.all().delete()
    assert sorted(control.restore(kick_runs=False)) == DEFAULT_ACTIVE
    active = dict(ServiceState.objects.values_list("name", "is_active"))
    assert active["scheduler"] is True and active["tracker"] is False
    assert schedules() == [f"mediasuite.service:{name}" for name in DEFAULT_ACTIVE]
    for name in DEFAULT_ACTIVE:
        control.stop(None, name)
    assert control.restore(kick_runs=False) == []  # the operator's choice is kept


def test_status_before_the_first_save_matches_the_row_a_new_installation_gets(db):
    ServiceState.objects.all().delete()
    before = {name: body["running"] for name, body in status_all().items()}
    control.ensure_states()
    assert before == {name: body["running"] for name, body in status_all().items()}
    assert before["scheduler"] is True and before["tracker"] is False


def test_restore_makes_schedules_match_the_wish(db):
    control.start(None, "tracker")
    Schedule.objects.all().delete()  # e.g. a database restored without django-q2's tables' rows
    ServiceState.objects.exclude(name="tracker").update(is_active=False)
    Schedule.objects.create(name="mediasuite.service:scheduler", func=control.RUN_TASK, args="'scheduler'")
    assert control.restore(kick_runs=False) == ["tracker"]
    assert schedules() == ["mediasuite.service:tracker"]
    assert control.restore(kick_runs=False) == ["tracker"]  # idempotent
    assert schedules() == ["mediasuite.service:tracker"]


def test_only_a_super_admin_acts(people):
    for actor in ("admin", "player"):
        with pytest.raises(PermissionDenied):
            control.start(people[actor], "tracker")
        with pytest.raises(PermissionDenied):
            control.set_interval(people[actor], "tracker", 60)
    assert not ServiceState.objects.get(name="tracker").is_active
    control.start(people["super"], "tracker")
    assert Event.objects.get(kind="service.started").message == "Service Last.fm tracker started by root"


def test_unknown_and_bad_interval(db):
    with pytest.raises(LookupError, match=f"Unknown service 'x'. Known: {', '.join(registry.names())}."):
        control.start(None, "x")
    for bad in (0, 9, 86401, "60", 1.5, True, None):
        with pytest.raises(ValidationError):
            control.set_interval(None, "tracker", bad)


def test_registry_refuses_bad_declarations():
    with pytest.raises(ValueError, match="must be"):
        registry.register(registry.Service(name="Bad Name", label="x", check="a.b"))
    with pytest.raises(ValueError, match="exactly one"):
        registry.register(registry.Service(name="both", label="x", check="a.b", unit_kind="heartbeat"))
    with pytest.raises(ValueError, match="exactly one"):
        registry.register(registry.Service(name="neither", label="x"))


def test_scheduler_runs_every_maintenance_job_and_reports_failures(db, settings):
    settings.TASK_RESULT_RETENTION_DAYS = 7
    settings.EVENT_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=40)
    Task.objects.create(id="old", name="old", func="x", started=old, stopped=old, success=True)
    Task.objects.create(id="new", name="new", func="x", started=timezone.now(), stopped=timezone.now(),
                        success=True)
    Event.objects.create(kind="x.old", subject_type="x", subject_id="1", created_at=old)

    @registry.maintenance("test.broken")
    def broken():
        raise OSError("disk full")

    try:
        control.start(None, "scheduler")
        assert runner.run("scheduler") == "1 check(s)"
    finally:
        registry._jobs.pop("test.broken")
    state = ServiceState.objects.get(name="scheduler")
    assert list(Task.objects.values_list("id", flat=True)) == ["new"]
    assert not Event.objects.filter(kind="x.old").exists()
    jobs = len(registry.maintenance_jobs())  # the core's two and the apps' own (the broken one is gone)
    assert state.counters == {"jobs_run": jobs, "jobs_failed": 1, "items_cleaned": 2}
    assert state.last_error == "Maintenance jobs failed: test.broken: OSError: disk full"
    # Far from the next check (interval 3600 s): the run ended and handed back to the Schedule.
    schedule = Schedule.objects.get(name="mediasuite.service:scheduler")
    assert abs((schedule.next_run - (state.last_check + timedelta(seconds=3600))).total_seconds()) < 1
    assert ServiceState.objects.get(name="scheduler").runner == ""


def test_admin_lists_and_drives_services(people, client):
    control.ensure_states()
    client.force_login(people["super"])
    url = reverse("admin:mediasuite_servicestate_changelist")
    page = client.get(url).content.decode()
    assert 'data-service="tracker" data-role="badge"' in page and "stopped" in page
    response = client.post(url, {"action": "start_services",
                                 "_selected_action": [ServiceState.objects.get(name="tracker").pk]})
    assert response.status_code == 302
    assert ServiceState.objects.get(name="tracker").is_active
    tracker = ServiceState.objects.get(name="tracker")
    change = reverse("admin:mediasuite_servicestate_change", args=[tracker.pk])
    assert client.post(change, {"interval": 5}).status_code == 200  # below the minimum: form error
    assert client.post(change, {"interval": 600}).status_code == 302
    assert ServiceState.objects.get(name="tracker").interval == 600
    assert client.get(reverse("admin:mediasuite_servicestate_add")).status_code == 403
    assert client.get(reverse("admin:mediasuite_trackplay_changelist")).status_code == 200


def test_admin_is_closed_to_club_admins(people, client):
    client.force_login(people["admin"])
    assert client.get(reverse("admin:mediasuite_servicestate_changelist")).status_code == 403


def test_settings_page_shows_one_card_per_service_to_super_admins(people, client):
    control.start(None, "tracker")
    control.stop(None, "scheduler")
    client.force_login(people["super"])
    page = client.get(reverse("settings")).content.decode()
    assert page.count('data-role="card"') == len(status_all()) == len(registry.names())
    assert 'data-service="tracker" data-role="badge" data-running="true">active<' in page
    assert 'data-service="scheduler" data-role="badge" data-running="false">stopped<' in page
    assert "mediasuite/services.js" in page
    client.force_login(people["admin"])
    page = client.get(reverse("settings")).content.decode()
    assert 'data-role="card"' not in page and "services.js" not in page


def test_a_supervised_service_drives_its_unit(api, people):
    from mediasuite.models import Desired, Unit, UnitState

    service = registry.register(registry.Service(name="beat", label="Heartbeat", unit_kind="heartbeat",
                                                 unit_config={"interval": 0.5}))
    try:
        control.start(people["super"], "beat")
        unit = Unit.objects.get(name=service.unit_name)
        assert (unit.kind, unit.desired, unit.config) == ("heartbeat", Desired.RUNNING, {"interval": 0.5})
        assert not Schedule.objects.filter(name="mediasuite.service:beat").exists()
        status = api.as_user(people["super"]).get("/api/v1/services/beat/status").json()
        assert status["running"] is True and status["kind"] == "unit" and status["state"] == UnitState.STOPPED
        response = api.patch("/api/v1/services/beat", {"interval": 60}, format="json")
        assert response.status_code == 400 and "no interval" in response.json()["error"]
        control.stop(people["super"], "beat")
        assert Unit.objects.get(name=service.unit_name).desired == Desired.STOPPED
        assert "beat" not in control.restore(kick_runs=False)
    finally:
        registry._services.pop("beat")


CHECKED = []


def counting_check(state):
    CHECKED.append(state.name)
    return registry.Report()


def test_a_run_hands_over_at_the_end_of_its_window_instead_of_sleeping_past_it(db, monkeypatch):
    """A clean worker stop waits for the current run: it must end with its window, not its next check."""
    monkeypatch.setattr(runner, "WINDOW", 0.5)
    registry.register(registry.Service(name="test-window", label="Window test", interval=20,
                                       check=f"{__name__}.counting_check"))
    try:
        control.start(None, "test-window")
        assert runner.run("test-window") == "1 check(s), handed over"
    finally:
        registry._services.pop("test-window")
    assert CHECKED == ["test-window"]
    assert ServiceState.objects.get(name="test-window").runner == ""
