"""Units through the API, the admin and the domain functions: roles, bad input, query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediasuite.models import Desired, Event, Lease, Unit
from mediasuite.policies import policy_for
from mediasuite.supervisor import control, registry

SA, CA, PL, OCA, OPL = "super", "admin", "player", "other_admin", "other_player"


@pytest.fixture
def units(people, club, other_club):
    """own: Padel Nord, owned by paul; other: Tennis Sud, owned by olga; system: no club."""
    return {
        "own": control.ensure_unit("own-unit", "heartbeat", {"interval": 1}, club=club, owner=people[PL]),
        "other": control.ensure_unit("other-unit", "heartbeat", {}, club=other_club,
                                     owner=people[OPL]),
        "system": control.ensure_unit("system-unit", "heartbeat", {}),
    }


VIEW = [
    (SA, "own", 200), (SA, "other", 200), (SA, "system", 200),
    (CA, "own", 200), (CA, "other", 404), (CA, "system", 404),
    (PL, "own", 200), (PL, "other", 404), (PL, "system", 404),
    (OCA, "own", 404), (OCA, "other", 200),
    (OPL, "own", 404), (OPL, "other", 200),
]


@pytest.mark.parametrize(("actor", "target", "code"), VIEW, ids=[f"{a}-{t}" for a, t, _ in VIEW])
def test_detail_per_role(actor, target, code, api, people, units):
    response = api.as_user(people[actor]).get(f"/api/v1/units/{units[target].name}")
    assert response.status_code == code, response.content
    if code == 200:
        assert response.json()["name"] == units[target].name
        assert response.json()["state"] == "stopped"
    else:
        assert "error" in response.json()


LISTS = [(SA, {"own-unit", "other-unit", "system-unit"}), (CA, {"own-unit"}), (PL, {"own-unit"}),
         (OCA, {"other-unit"}), (OPL, {"other-unit"})]


@pytest.mark.parametrize(("actor", "names"), LISTS, ids=[a for a, _ in LISTS])
def test_list_shows_only_what_the_role_may_see(actor, names, api, people, units):
    body = api.as_user(people[actor]).get("/api/v1/units").json()
    assert {row["name"] for row in body["results"]} == names
    assert body["count"] == len(names)


DRIVE = [
    (SA, "own", "start", 200), (SA, "system", "restart", 200), (SA, "other", "stop", 200),
    (CA, "own", "start", 200), (CA, "own", "restart", 200), (CA, "own", "stop", 200),
    (CA, "other", "start", 404), (CA, "system", "stop", 404),
    (PL, "own", "start", 403), (PL, "own", "restart", 403), (PL, "other", "start", 404),
    (OCA, "own", "stop", 404),
]


@pytest.mark.parametrize(("actor", "target", "verb", "code"), DRIVE,
                         ids=[f"{a}-{t}-{v}" for a, t, v, _ in DRIVE])
def test_start_stop_restart_per_role(actor, target, verb, code, api, people, units):
    unit = units[target]
    before = Event.objects.count()
    response = api.as_user(people[actor]).post(f"/api/v1/units/{unit.name}/{verb}")
    assert response.status_code == code, response.content
    unit.refresh_from_db()
    if code != 200:
        assert "error" in response.json()
        assert unit.desired == Desired.STOPPED and unit.restart_requested_at is None
        assert Event.objects.count() == before
        return
    expected = Desired.STOPPED if verb == "stop" else Desired.RUNNING
    assert response.json()["desired"] == unit.desired == expected
    assert (unit.restart_requested_at is not None) is (verb == "restart")
    event = Event.objects.order_by("-id").first()
    assert event.kind == ("unit.restart" if verb == "restart" else "unit.desired")
    assert event.actor == people[actor] and event.subject_id == str(unit.pk)
    assert event.club_id == unit.club_id


def test_unknown_names_and_bad_input(api, people, units):
    client = api.as_user(people[SA])
    for path in ("/api/v1/units/nope", "/api/v1/units/nope/start", "/api/v1/units/bad%20name",
                 "/api/v1/units/own-unit/explode", "/api/v1/units/..%2Fetc"):
        method = client.post if path.endswith(("start", "explode")) else client.get
        response = method(path)
        assert response.status_code == 404, path
        assert "error" in response.json(), path
    response = client.get("/api/v1/units", {"state": "exploded"})
    assert response.status_code == 400 and "state" in response.json()["error"]
    response = client.get("/api/v1/units/own-unit/start")
    assert response.status_code == 405 and "error" in response.json()
    response = client.delete("/api/v1/units/own-unit")
    assert response.status_code == 405 and Unit.objects.filter(name="own-unit").exists()
    anonymous = type(api)()
    assert anonymous.get("/api/v1/units").status_code in (401, 403)


def test_list_query_count_is_constant(api, people, club, django_assert_num_queries):
    client = api.as_user(people[CA])
    control.ensure_unit("u-0", "heartbeat", {}, club=club)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/units").json()["results"]) == 1
    for i in range(1, 12):
        unit = control.ensure_unit(f"u-{i}", "heartbeat", {}, club=club)
        if i % 2:
            Lease.objects.create(unit=unit, node="n1", pid=1)
    with CaptureQueriesContext(connection) as many:
        rows = client.get("/api/v1/units").json()["results"]
    assert len(rows) == 12 and {r["node"] for r in rows} == {"n1", None}
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_ensure_unit_validates_and_is_idempotent(club):
    with pytest.raises(ValidationError):
        control.ensure_unit("../escape", "heartbeat", {})
    with pytest.raises(ValidationError):
        control.ensure_unit("fine", "no-such-kind", {})
    with pytest.raises(ValidationError):
        control.ensure_unit("fine", "heartbeat", ["not", "a", "dict"])
    assert not Unit.objects.exists()
    first = control.ensure_unit("fine", "heartbeat", {"interval": 2}, club=club)
    events = Event.objects.count()
    again = control.ensure_unit("fine", "heartbeat", {"interval": 2}, club=club)
    assert again.pk == first.pk and Event.objects.count() == events  # nothing changed, nothing recorded
    control.ensure_unit("fine", "heartbeat", {"interval": 3}, club=club)
    assert Event.objects.order_by("-id").first().kind == "unit.changed"
    assert "heartbeat" in registry.names()


def test_leases_and_nodes_are_for_super_admins_only(people, units):
    lease = Lease.objects.create(unit=units["own"], node="n1", pid=1)
    for actor in (CA, PL):
        assert not policy_for(Lease).allows(people[actor], "view", lease)
    assert policy_for(Lease).allows(people[SA], "view", lease)


def test_admin_list_actions_and_live_column(client, people, units):
    client.force_login(people[CA])
    page = client.get("/admin/mediasuite/unit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "mediasuite/admin-units.js" in html
    assert f'data-unit-id="{units["own"].pk}"' in html and "other-unit" not in html
    response = client.post("/admin/mediasuite/unit/", {
        "action": "start_units", "_selected_action": [units["own"].pk, units["other"].pk]})
    assert response.status_code == 302
    units["own"].refresh_from_db()
    units["other"].refresh_from_db()
    assert units["own"].desired == Desired.RUNNING and units["other"].desired == Desired.STOPPED
    assert client.get(f"/admin/mediasuite/unit/{units['other'].pk}/change/").status_code == 302
    assert client.get("/admin/mediasuite/lease/").status_code == 403
    assert client.get("/admin/mediasuite/supervisornode/").status_code == 403

    # the change form edits the desired state only, through control.save (with its event)
    url = f"/admin/mediasuite/unit/{units['own'].pk}/change/"
    assert client.post(url, {"desired": "stopped"}).status_code == 302
    units["own"].refresh_from_db()
    assert units["own"].desired == Desired.STOPPED
    assert Event.objects.order_by("-id").first().actor == people[CA]

    client.force_login(people[SA])
    assert client.get("/admin/mediasuite/lease/").status_code == 200
    assert client.get("/admin/mediasuite/supervisornode/").status_code == 200
