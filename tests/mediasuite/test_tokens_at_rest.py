"""API and channel access tokens: the database holds digests, tokens from before keep working."""

import importlib

from django.apps import apps
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from channels_app import viewers
from channels_app.models import AccessToken

from ..conftest import PASSWORD


def _migration(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def _ask_token(api) -> str:
    answer = api.post("/api/auth/token", {"username": "paul", "password": PASSWORD}, format="json")
    return answer.json()["token"]


def _stored_anywhere(secret: str) -> bool:
    """Whether `secret` appears in any text column of the two token tables."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM authtoken_token UNION ALL SELECT key FROM channels_app_accesstoken")
        return any(secret in row[0] for row in cursor.fetchall())


def test_the_database_holds_no_token_and_the_digest_opens_nothing(people, api):
    player = people["player"]
    token = _ask_token(api)
    channel_token = viewers.token_for(player).secret()
    assert len(token) >= 43 and len(channel_token) >= 43
    assert not _stored_anywhere(token) and not _stored_anywhere(channel_token)

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/me").status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=player).key}")
    assert api.get("/api/me").status_code == 401
    assert Client().get(f"/playlist.m3u?token={channel_token}").status_code == 200
    assert Client().get(f"/playlist.m3u?token={AccessToken.objects.get(user=player).key}").status_code == 401


def test_tokens_stored_in_clear_keep_working_after_the_migrations(people, api, client):
    player, admin = people["player"], people["admin"]
    Token.objects.create(user=player, key="0123456789abcdef0123456789abcdef01234567")
    AccessToken.objects.create(user=admin, key="old-clear-channel-token-0123456789")
    _migration("mediasuite", "0005_tokens_hashed_sign_ins_names").hash_tokens(apps, None)
    _migration("channels_app", "0005_access_tokens_hashed").hash_tokens(apps, None)
    assert not _stored_anywhere("0123456789abcdef0123456789abcdef01234567")
    assert not _stored_anywhere("old-clear-channel-token-0123456789")

    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert api.get("/api/me").status_code == 200
    assert client.get("/playlist.m3u?token=old-clear-channel-token-0123456789").status_code == 200

    # The channels page cannot show the old token: it says so and makes a new URL on request.
    client.force_login(admin)
    page = client.get("/channels/").content.decode()
    assert 'id="token-unshowable"' in page and "old-clear-channel-token" not in page
    urls = client.post("/api/channel-token").json()
    new = urls["m3u_url"].split("token=")[1]
    assert f"token={new}" in client.get("/channels/").content.decode()
    client.logout()
    assert client.get("/playlist.m3u?token=old-clear-channel-token-0123456789").status_code == 401
    assert client.get(f"/playlist.m3u?token={new}").status_code == 200

    # Asking for the API token with the password replaces the unshowable one.
    fresh = _ask_token(api)
    assert fresh != "0123456789abcdef0123456789abcdef01234567"
    assert api.get("/api/me").status_code == 401  # still the old credentials
    api.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert api.get("/api/me").status_code == 200


def test_a_new_playlist_url_stops_the_old_one_and_needs_a_session(people, client):
    old = viewers.token_for(people["player"]).secret()
    assert client.post("/api/channel-token").status_code in (401, 403)
    client.force_login(people["player"])
    new = client.post("/api/channel-token").json()["m3u_url"].split("token=")[1]
    assert new != old
    client.logout()
    assert client.get(f"/playlist.m3u?token={old}").status_code == 401
    assert client.get(f"/playlist.m3u?token={new}").status_code == 200

