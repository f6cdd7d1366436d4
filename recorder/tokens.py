"""Short-lived signed preview URLs: `<img>` and `<video>` tags cannot send an auth header.

A token names one user and one session and expires after
RECORDER_PREVIEW_TOKEN_SECONDS; it authenticates only the preview endpoints
of that session, and the user's permissions are checked again on every use.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

SALT = "recorder.preview"


def preview_token(user, session_id: str) -> str:
    return signing.dumps({"u": user.pk, "s": session_id}, salt=SALT, compress=True)


def read_token(token: str) -> dict:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.RECORDER_PREVIEW_TOKEN_SECONDS)
    except signing.SignatureExpired:
        raise exceptions.AuthenticationFailed("This preview link has expired; reload the page.") from None
    except signing.BadSignature:
        raise exceptions.AuthenticationFailed("This preview link is not valid.") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("s"), str):
        raise exceptions.AuthenticationFailed("This preview link is not valid.")
    return data


class PreviewTokenAuthentication(authentication.BaseAuthentication):
    """`?token=` on the preview endpoints; request.auth is then {"u": user id, "s": session id}."""

    def authenticate(self, request):
        token = request.query_params.get("token")
        if not token:
            return None
        data = read_token(token)
        user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
        if user is None:
            raise exceptions.AuthenticationFailed("This preview link is not valid.")
        return user, data

    def authenticate_header(self, request):
        return "Token"


class PreviewTokenScheme(OpenApiAuthenticationExtension):
    target_class = PreviewTokenAuthentication
    name = "previewToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "query", "name": "token",
                "description": "A signed preview token from a session's `preview` URLs (expires)."}
