"""The channel admin: live state column, actions through playout, saves through catalog, tokens."""

import re

import pytest

from channels_app import playout, viewers
from channels_app.models import AccessToken, Channel
from mediasuite.models import Event, Unit

pytestmark = pytest.mark.django_db

LIST = "/admin/channels_app/channel/"
NO_FILES = {"files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0"}  # the read-only files inline


def act(client, action, *channels):
    return client.post(LIST, {"action": action, "_selected_action": [c.pk for c in channels]}, follow=True)


def kinds(channel):
    return list(Event.objects.filter(subject_type="channel", subject_id=str(channel.pk)).order_by("id")
                .values_list("kind", flat=True))


def test_list_has_a_live_state_column(people, client, make_channel):
    channel = make_channel("news")
    client.force_login(people["super"])
    page = client.get(LIST).content.decode()
    assert f'data-unit-id="{channel.unit_id}" data-unit-state>stopped<' in page
    assert "mediasuite/admin-units.js" in page


def test_restart_action_goes_through_playout(people, client, make_channel):
    news = make_channel("news")
    client.force_login(people["super"])
    page = act(client, "restart_channels", news).content.decode()
    assert "Restart requested: news" in page
    news.refresh_from_db()
    assert news.restart_requested_at is not None and news.restart_actor == people["super"]
    event = Event.objects.get(kind="channel.restart_requested", subject_id=str(news.pk))
    assert event.actor == people["super"] and event.payload["trigger"] == "manual"


def test_restart_of_a_channel_without_videos_is_refused_with_the_reason(people, client, make_channel):
    empty = make_channel("empty", files=())
    client.force_login(people["super"])
    page = act(client, "restart_channels", empty).content.decode()
    assert "Could not restart: empty" in page and "no playable video" in page
    empty.refresh_from_db()
    assert empty.restart_requested_at is None
    assert "channel.restart_requested" not in kinds(empty)


def test_start_and_stop_actions_set_the_desired_state(people, client, make_channel):
    news = make_channel("news")
    client.force_login(people["super"])
    act(client, "start_channels", news)
    assert Unit.objects.get(pk=news.unit_id).desired == "running"
    act(client, "stop_channels", news)
    assert Unit.objects.get(pk=news.unit_id).desired == "stopped"


def test_club_admin_sees_channels_but_cannot_drive_them(people, client, make_channel):
    news = make_channel("news")
    client.force_login(people["admin"])
    page = client.get(LIST).content.decode()
    assert "news" in page and "restart_channels" not in page
    act(client, "restart_channels", news)
    news.refresh_from_db()
    assert news.restart_requested_at is None
    assert client.get(f"{LIST}add/").status_code == 403


def test_add_goes_through_catalog(people, client, channel_folder):
    channel_folder("movies", series=True)
    client.force_login(people["super"])
    response = client.post(f"{LIST}add/", {"name": "movies", "display_name": "Movies", "folder": "movies",
                                           "mode": "", "number": "", "logo": "", "group": "Films",
                                           **NO_FILES})
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = Channel.objects.get(name="movies")
    assert channel.mode == "series"  # series.txt in the folder
    assert channel.unit.name == "channel-movies"
    assert channel.files.count() == 3
    assert kinds(channel)[0] == "channel.created"


@pytest.mark.parametrize("folder", ["../outside", "/etc", "a\x00b", ""])
def test_add_refuses_a_folder_outside_the_root(people, client, folder):
    client.force_login(people["super"])
    response = client.post(f"{LIST}add/", {"name": "bad", "folder": folder, "mode": "random", **NO_FILES})
    assert response.status_code == 200
    assert "errornote" in response.content.decode() and "channels root" in response.content.decode()
    assert not Channel.objects.filter(name="bad").exists()
    assert not Unit.objects.filter(name="channel-bad").exists()


def test_change_goes_through_catalog_and_the_name_stays(people, client, make_channel):
    news = make_channel("news")
    client.force_login(people["super"])
    page = client.get(f"{LIST}{news.pk}/change/").content.decode()
    assert 'name="name"' not in page  # read-only on change: the unit and URLs are named after it
    response = client.post(f"{LIST}{news.pk}/change/", {
        "display_name": "News 24", "folder": "news", "mode": "series", "number": "5", "logo": "", "group": "",
        **NO_FILES})
    assert response.status_code == 302, response.content.decode()[:3000]
    news.refresh_from_db()
    assert (news.name, news.display_name, news.mode, news.number) == ("news", "News 24", "series", 5)
    changed = Event.objects.get(kind="channel.changed", subject_id=str(news.pk))
    assert set(changed.payload["changed"]) == {"display_name", "mode", "number"}
    assert changed.actor == people["super"]


def test_delete_goes_through_catalog(people, client, make_channel):
    news = make_channel("news")
    unit_id = news.unit_id
    client.force_login(people["super"])
    response = client.post(f"{LIST}{news.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Channel.objects.filter(pk=news.pk).exists()
    assert not Unit.objects.filter(pk=unit_id).exists()
    deleted = Event.objects.get(kind="channel.deleted", subject_id=str(news.pk))
    assert deleted.actor == people["super"]


def test_change_page_shows_files_and_restart_history(people, client, make_channel):
    news = make_channel("news", files=("a.mp4", "broken.mp4"))
    playout.request_restart(people["super"], news)
    playout.request_restart(people["super"], news, file=news.files.get(name="a.mp4"))
    client.force_login(people["super"])
    page = client.get(f"{LIST}{news.pk}/change/").content.decode()
    assert "broken.mp4" in page and "Skipped" in page
    history = page[page.index('class="channel-history"'):]
    ids = [int(x) for x in re.findall(r'data-event-id="(\d+)"', history)]
    assert len(ids) == 2 and ids == sorted(ids, reverse=True)
    assert "a.mp4" in history and "root" in history


def test_revoking_a_token_stops_its_urls(people, client):
    token = viewers.token_for(people["player"])
    secret = token.secret()
    assert client.get(f"/playlist.m3u?token={secret}").status_code == 200
    client.force_login(people["super"])
    response = client.post(f"/admin/channels_app/accesstoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessToken.objects.filter(pk=token.pk).exists()
    assert Event.objects.filter(kind="channel_token.revoked", owner=people["player"]).exists()
    client.logout()
    assert client.get(f"/playlist.m3u?token={secret}").status_code == 401


def test_regenerate_action_replaces_the_key(people, client):
    token = viewers.token_for(people["player"])
    old = token.secret()
    client.force_login(people["super"])
    page = client.post("/admin/channels_app/accesstoken/", {"action": "regenerate_tokens",
                                                            "_selected_action": [token.pk]},
                       follow=True).content.decode()
    assert "New access token for: paul" in page
    token.refresh_from_db()
    assert token.secret() != old
    assert Event.objects.filter(kind="channel_token.regenerated", owner=people["player"]).exists()
    client.logout()
    assert client.get(f"/playlist.m3u?token={old}").status_code == 401
    assert client.get(f"/playlist.m3u?token={token.secret()}").status_code == 200


def test_users_cannot_revoke_other_tokens(people, client):
    mine = viewers.token_for(people["admin"])
    theirs = viewers.token_for(people["player"])
    client.force_login(people["admin"])
    page = client.get("/admin/channels_app/accesstoken/").content.decode()
    assert mine.key[:6] in page and theirs.key[:6] not in page
    client.post(f"/admin/channels_app/accesstoken/{theirs.pk}/delete/", {"post": "yes"})
    assert AccessToken.objects.filter(pk=theirs.pk).exists()


def test_a_logo_uploaded_in_the_admin_is_checked_then_stored(people, client, make_channel):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    news = make_channel("news")
    client.force_login(people["super"])
    form = {"display_name": "News", "folder": "news", "mode": "series", "number": str(news.number),
            "logo": "", "group": "", **NO_FILES}
    bad = client.post(f"{LIST}{news.pk}/change/", {
        **form, "logo_upload": SimpleUploadedFile("logo.png", b"not an image", "image/png")})
    assert bad.status_code == 200 and "not an image that can be read" in bad.content.decode()
    news.refresh_from_db()
    assert (news.display_name, news.logo_image) == ("", "")  # nothing changed
    image = io.BytesIO()
    Image.new("RGB", (300, 300), "blue").save(image, "PNG")
    good = client.post(f"{LIST}{news.pk}/change/", {
        **form, "logo_upload": SimpleUploadedFile("logo.png", image.getvalue(), "image/png")})
    assert good.status_code == 302, good.content.decode()[:2000]
    news.refresh_from_db()
    assert news.display_name == "News" and news.logo_image.startswith("news-")
    assert client.post(f"{LIST}{news.pk}/change/", {**form, "number": ""}).status_code == 200  # keeps one
    client.post(f"{LIST}{news.pk}/change/", {**form, "remove_logo": "on"})
    news.refresh_from_db()
    assert news.logo_image == ""
