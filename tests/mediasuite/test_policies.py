"""The permission policies, role by role, action by action, own club and other club."""

import pytest
from django.contrib.auth.models import AnonymousUser

from mediasuite.models import Club, Membership, User
from mediasuite.policies import policy_for

from .matrix import ADD, resolve, row_id, rows

ROWS = list(rows())


@pytest.mark.parametrize("row", ROWS, ids=[row_id(r) for r in ROWS])
def test_policy_matrix(row, members, club, other_club):
    model, actor, action, target, allowed = row
    user = members[actor]
    obj = resolve(model, target, actor, members, club, other_club)
    policy = policy_for(model)
    assert policy.allows(user, action, obj) is allowed
    assert policy.queryset(user, action).filter(pk=obj.pk).exists() is allowed


@pytest.mark.parametrize(("model", "actor", "allowed"), ADD,
                         ids=[f"{m.__name__}-{a}" for m, a, _ in ADD])
def test_who_may_add(model, actor, allowed, members):
    assert policy_for(model).allows(members[actor], "add") is allowed


@pytest.mark.parametrize("model", [Club, Membership, User])
def test_anonymous_and_inactive_users_get_nothing(model, people, club):
    people["super"].is_active = False
    for user in (AnonymousUser(), people["super"]):
        policy = policy_for(model)
        assert not policy.queryset(user, "view").exists()
        assert not policy.allows(user, "view")


def test_lists_never_show_another_clubs_rows(people, club, other_club):
    admin = people["admin"]
    assert list(policy_for(Club).queryset(admin)) == [club]
    assert set(policy_for(User).queryset(admin)) == {admin, people["player"]}
    assert {m.club for m in policy_for(Membership).queryset(admin)} == {club}


def test_a_member_of_two_clubs_is_listed_once(people, club, other_club):
    Membership.objects.create(user=people["player"], club=other_club)
    Membership.objects.create(user=people["admin"], club=other_club)
    visible = list(policy_for(User).queryset(people["admin"]))
    assert len(visible) == len(set(visible))


def test_unknown_action_is_a_programming_error(people, club):
    with pytest.raises(ValueError, match="no action 'fly'"):
        policy_for(Club).allows(people["super"], "fly", club)


def test_user_role_drives_the_admin_flags(make_user):
    from mediasuite.roles import Role

    user = make_user("carla", Role.CLUB_ADMIN)
    assert (user.is_staff, user.is_superuser) == (True, False)
    user.role = Role.PLAYER
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert User.objects.create_superuser("boss", password="x").role == Role.SUPER_ADMIN


def club_a_objects(people, club):
    """One object of every policy's model belonging to Padel Nord (its admin alice, its player paul).

    Models that belong to no club (the operator's seedbox, trailers, library,
    services, supervision, updates) are built as they are: a foreign club admin or player
    must not see those either.
    """
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from channels_app import viewers
    from channels_app.models import AccessToken, Channel, VideoFile
    from library.models import ArchiveRecord, BulkJob, Preference
    from mediasuite import accounts
    from mediasuite.models import (
        Connection,
        Event,
        Lease,
        ServiceState,
        SupervisorNode,
        TrackPlay,
        Unit,
        UpdateJob,
    )
    from recorder.models import CameraSession, ClubStorage, Court, Recording
    from seedbox.models import Torrent
    from trailers.models import TrailerEntry

    player = people["player"]
    court = Court.objects.create(club=club, name="Court 1", camera_url="http://127.0.0.1:9/video.mjpeg")
    session = CameraSession.objects.create(session_id="sess_1_1700000001", court=court, user=player)
    unit = Unit.objects.create(name="cam-1", kind="camera-proxy", club=club, owner=player)
    channel = Channel.objects.create(name="news", folder="news")
    accounts.insert_api_token(Token(user=player))
    return {
        Club: club,
        Membership: Membership.objects.get(user=player, club=club),
        User: player,
        Token: Token.objects.get(user=player),
        Event: Event.objects.create(kind="recorder.recording.started", subject_type="recording",
                                    subject_id="1", club=club, owner=player),
        ServiceState: ServiceState.objects.get_or_create(name="tracker")[0],
        TrackPlay: TrackPlay.objects.create(user="paul", artist="A", track="T", played_at=timezone.now()),
        Unit: unit,
        Lease: Lease.objects.create(unit=unit, node="node-1"),
        SupervisorNode: SupervisorNode.objects.create(name="node-1", hostname="host", pid=1),
        UpdateJob: UpdateJob.objects.create(branch="main"),
        Channel: channel,
        VideoFile: VideoFile.objects.create(channel=channel, name="a.mp4"),
        AccessToken: viewers.token_for(player),
        Court: court,
        CameraSession: session,
        Recording: Recording.objects.create(session=session, club=club, court=court, user=player,
                                            planned_seconds=600, file="1/sess_1_1700000001.mp4"),
        ClubStorage: ClubStorage.objects.create(club=club, retention_days=30),
        Torrent: Torrent.objects.create(infohash="a" * 40, key="k", media_type="movie", tmdb_id=603),
        TrailerEntry: TrailerEntry.objects.create(media_type="movie", external_id=603),
        Connection: Connection.objects.create(name="sonarr", values={"SONARR_URL": "http://127.0.0.1:9"}),
        ArchiveRecord: ArchiveRecord.objects.create(action="archive", media_type="movie", title="The Matrix",
                                                    rating_key=100, actor=player),
        BulkJob: BulkJob.objects.create(action="archive", rating_keys=[100], actor=player),
        Preference: Preference.objects.create(user=player, plex_user=1),
    }


# The channel line-up is shared by every signed-in user by design: not a club's data.
SHARED = {("channels_app.Channel", "view"), ("channels_app.VideoFile", "view")}


@pytest.mark.parametrize("foreigner", ["other_admin", "other_player"])
def test_no_policy_shows_anything_of_club_a_to_club_b(foreigner, people, club):
    import mediasuite.system.permissions  # noqa: F401  (registers the UpdateJob policy)
    from mediasuite.policies.base import _registry

    objects = club_a_objects(people, club)
    assert set(_registry) == set(objects), "every registered policy needs an object of club A here"
    user = people[foreigner]
    for model, obj in objects.items():
        policy = policy_for(model)
        for action in policy.actions:
            if (model._meta.label, action) in SHARED:
                continue
            where = f"{model._meta.label} {action} by {foreigner}"
            assert not policy.queryset(user, action).filter(pk=obj.pk).exists(), where
            assert not policy.allows(user, action, obj), where


def test_club_admins_see_their_own_clubs_storage_setting_only(people, club, other_club):
    from recorder.models import ClubStorage

    mine = ClubStorage.objects.create(club=club, retention_days=30)
    ClubStorage.objects.create(club=other_club, retention_days=7)
    policy = policy_for(ClubStorage)
    for action in policy.actions:
        assert list(policy.queryset(people["admin"], action)) == [mine]
    assert not policy.queryset(people["player"], "view").exists()
