"""The issue's permission matrix, table-driven, over the API, the preview, downloads and the pages.

| Action                          | SUPER_ADMIN | CLUB_ADMIN     | PLAYER            |
| Create session                  | yes         | yes (own club) | yes (own club)    |
| Start / stop recording          | yes         | yes (own club) | yes (own session) |
| View preview                    | yes         | yes (own club) | yes (own session) |
| List / download / delete videos | yes         | yes (own club) | no                |
| Cleanup sessions                | yes         | yes            | no                |

Targets live in Padel Nord (the club of super's peers "admin" and "player");
"other_admin"/"other_player" belong to Tennis Sud. The player's session is
paul's; "peer" is a session of another player of the same club.
"""

import pytest
from django.test import Client

from mediasuite.models import Event
from recorder.models import Recording

from .helpers import make_court, make_recording, make_session

ROLES = ["super", "admin", "player", "other_admin", "other_player"]

# action: expected status per role (the player's own session / recording as target)
MATRIX = {
    "create_session": {"super": 201, "admin": 201, "player": 201, "other_admin": 404, "other_player": 404},
    "start": {"super": 201, "admin": 201, "player": 201, "other_admin": 404, "other_player": 404},
    "stop": {"super": 200, "admin": 200, "player": 200, "other_admin": 404, "other_player": 404},
    "status": {"super": 200, "admin": 200, "player": 200, "other_admin": 404, "other_player": 404},
    "preview_info": {"super": 200, "admin": 200, "player": 200, "other_admin": 404, "other_player": 404},
    "preview_stream": {"super": 503, "admin": 503, "player": 503, "other_admin": 404, "other_player": 404},
    "list_files": {"super": 200, "admin": 200, "player": 403, "other_admin": 404, "other_player": 403},
    "download": {"super": 200, "admin": 200, "player": 403, "other_admin": 404, "other_player": 404},
    "delete": {"super": 200, "admin": 200, "player": 403, "other_admin": 404, "other_player": 404},
    "cleanup": {"super": 200, "admin": 200, "player": 403, "other_admin": 200, "other_player": 403},
    "peer_start": {"super": 201, "admin": 201, "player": 404, "other_admin": 404, "other_player": 404},
    "peer_stop": {"super": 200, "admin": 200, "player": 404, "other_admin": 404, "other_player": 404},
    "court_page": {"super": 200, "admin": 200, "player": 200, "other_admin": 404, "other_player": 404},
    "club_page": {"super": 200, "admin": 200, "player": 200, "other_admin": 404, "other_player": 404},
}
CASES = [(action, role, code) for action, codes in MATRIX.items() for role, code in codes.items()]


@pytest.fixture
def world(people, club, tmp_path):
    court = make_court(club)
    mine = make_session(court, people["player"])
    peer_player = people["player"].__class__.objects.create_user("pia", password="x", role="PLAYER")
    peer_player.memberships.create(club=club)
    peer = make_session(make_court(club, "Court 2"), peer_player)
    return {"court": court, "session": mine, "peer": peer}


def perform(action, client, world, club):
    sid, peer = world["session"].session_id, world["peer"].session_id
    if action == "create_session":
        return client.post("/api/video/session/create", {"terrain_id": world["court"].pk}, format="json")
    if action in ("start", "peer_start"):
        target = sid if action == "start" else peer
        return client.post("/api/video/record/start", {"session_id": target, "duration_minutes": 5},
                           format="json")
    if action in ("stop", "peer_stop"):
        session = world["session"] if action == "stop" else world["peer"]
        make_recording(session, state="recording", with_file=False)
        return client.post("/api/video/record/stop", {"session_id": session.session_id}, format="json")
    if action == "status":
        return client.get(f"/api/video/record/status/{sid}")
    if action == "preview_info":
        return client.get(f"/api/preview/{sid}/info")
    if action == "preview_stream":
        return client.get(f"/api/preview/{sid}/stream.mjpeg")
    if action == "list_files":
        make_recording(world["session"])
        return client.get(f"/api/video/files/list?club_id={club.pk}")
    if action == "download":
        make_recording(world["session"])
        return client.get(f"/api/video/files/{sid}/download")
    if action == "delete":
        make_recording(world["session"])
        return client.delete(f"/api/video/files/{sid}/delete")
    if action == "cleanup":
        return client.post("/api/video/cleanup", {}, format="json")
    if action == "court_page":
        return client.get(f"/courts/{world['court'].pk}/")
    if action == "club_page":
        return client.get(f"/clubs/{club.pk}/courts/")
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "code"), CASES, ids=[f"{a}-{r}" for a, r, _ in CASES])
def test_matrix(action, role, code, people, club, world, api):
    user = people[role]
    if action.endswith("_page"):
        client = Client()
        client.force_login(user)
    else:
        client = api.as_user(user)
    recordings_before = Recording.objects.count()
    response = perform(action, client, world, club)
    assert response.status_code == code, getattr(response, "content", b"")[:300]
    if code >= 400 and not action.endswith("_page"):
        assert response.json()["error"]
    if code in (403, 404) and action in ("start", "peer_start", "delete"):
        assert Recording.objects.count() == recordings_before + (action == "delete")  # nothing changed
    if action == "list_files" and code == 200:
        assert [f["session_id"] for f in response.json()["files"]] == [world["session"].session_id]


def test_files_list_of_another_club_is_404_and_lists_never_leak(people, club, other_club, api):
    mine = make_recording(make_session(make_court(club), people["player"]))
    theirs = make_recording(make_session(make_court(other_club), people["other_player"]))
    response = api.as_user(people["admin"]).get("/api/video/files/list")
    assert [f["session_id"] for f in response.json()["files"]] == [mine.session.session_id]
    foreign = api.as_user(people["admin"]).get(f"/api/video/files/list?club_id={other_club.pk}")
    assert foreign.status_code == 404
    both = api.as_user(people["super"]).get("/api/video/files/list").json()["files"]
    assert {f["session_id"] for f in both} == {mine.session.session_id, theirs.session.session_id}
    sessions = api.as_user(people["other_admin"]).get("/api/video/session/list").json()["sessions"]
    assert [s["session_id"] for s in sessions] == [theirs.session.session_id]


def test_recorder_events_reach_only_the_club_and_the_owner(people, club, api):
    court = make_court(club)
    created = api.as_user(people["player"]).post("/api/video/session/create", {"terrain_id": court.pk},
                                                 format="json")
    sid = created.json()["session"]["session_id"]
    event = Event.objects.get(kind="recorder.session.opened")
    assert event.payload["session_id"] == sid
    for role, sees in (("admin", True), ("player", True), ("other_admin", False), ("other_player", False)):
        listed = api.as_user(people[role]).get("/api/v1/events?kind=recorder.session.opened").json()
        ids = [e["id"] for e in listed.get("results", listed)]
        assert (event.pk in ids) is sees, role


def test_preview_token_is_bound_to_its_session_and_expires(people, club, api, settings):
    court = make_court(club)
    created = api.as_user(people["player"]).post("/api/video/session/create", {"terrain_id": court.pk},
                                                 format="json").json()["session"]
    info_url = created["preview"]["info"]
    assert "token=" in info_url
    anonymous = Client()
    assert anonymous.get(info_url).status_code == 200
    other = make_session(make_court(club, "Court 9"), people["player"], "sess_99_1")
    token = info_url.split("token=", 1)[1]
    assert anonymous.get(f"/api/preview/{other.session_id}/info?token={token}").status_code == 403
    assert anonymous.get(f"/api/preview/{created['session_id']}/info").status_code in (401, 403)
    assert anonymous.get(f"/api/preview/{created['session_id']}/info?token=forged").status_code in (401, 403)
    settings.RECORDER_PREVIEW_TOKEN_SECONDS = -1
    assert anonymous.get(info_url).status_code in (401, 403)


def test_recordings_page_links_the_courts_of_the_users_clubs_only(people, club, other_club):
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/recordings/").content.decode()
    assert f"/clubs/{club.pk}/courts/" in page and f"/clubs/{other_club.pk}/courts/" not in page


def test_an_empty_club_page_offers_the_admin_only_to_who_may_add_a_court(people, club):
    client = Client()
    for role, offered in (("admin", True), ("player", False)):
        client.force_login(people[role])
        page = client.get(f"/clubs/{club.pk}/courts/").content.decode()
        assert "no court yet" in page
        assert ("add one in the admin" in page) is offered, role


@pytest.mark.parametrize("club_id", ["1" * 21, "\u00b9", "1\u0661"])
def test_a_club_id_that_is_no_id_is_a_400(club_id, people, api):
    response = api.as_user(people["admin"]).get("/api/video/files/list", {"club_id": club_id})
    assert response.status_code == 400
    assert "club_id" in response.json()["fields"]


def test_recordings_outlive_their_authors_account(people, club, other_club, make_user, api):
    """A player of both clubs is deleted: club A keeps its recording, club B's admin could not delete him."""
    sam = make_user("sam", clubs=[club, other_club])
    rec = make_recording(make_session(make_court(club), sam))
    refused = api.as_user(people["other_admin"]).delete(f"/api/users/{sam.pk}")
    assert refused.status_code == 403
    assert api.as_user(people["super"]).delete(f"/api/users/{sam.pk}").status_code == 204
    files = api.as_user(people["admin"]).get("/api/video/files/list").json()["files"]
    assert [(f["session_id"], f["user"]) for f in files] == [(rec.session.session_id, None)]
    assert rec.path.is_file()
