"""Tokens kept as hashes: the database holds digests that authenticate nothing.

An API token or a channel access token is `derive(purpose, user id, made at)`:
an HMAC-SHA256 under the installation's secret key (SECRET_KEY, in the
environment or `<data dir>/secret_key`, 0600; never in the database), 256
bits. The database keeps only `digest(token)` (SHA-256), which a request's
token is looked up by and compared with in constant time. Someone holding
the database file alone (a copy, a backup) has digests that cannot be used
or turned back into tokens.

Because the token is derived rather than random, MediaSuite can give it
again without storing it: the channels page always shows the playlist URL
to copy into a player, as an IPTV provider's account page does, and
`POST /api/auth/token` answers the same token to each script of the
account. Regenerating or revoking makes a new one (a new `made at`) or
none. Tokens stored in clear before this were hashed by the migrations:
they keep working but cannot be shown again; the pages say so and offer a
new one. Changing SECRET_KEY makes every token unshowable the same way.
"""

import base64
import hashlib
import hmac
from datetime import UTC, datetime

from django.utils.crypto import salted_hmac

DIGEST_LENGTH = 40  # DRF's token column; 160 bits of SHA-256 are far beyond guessing a 256-bit token


def derive(purpose: str, user_id: int, made_at: datetime) -> str:
    """The token of `user_id` for `purpose` ("api", "channels") made at `made_at`."""
    moment = made_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    mac = salted_hmac(f"mediasuite.keys.{purpose}", f"{user_id}:{moment}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def digest(token: str) -> str:
    """What the database stores for `token`."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_LENGTH]


def same(token: str, stored: str) -> bool:
    """`token` is the one whose digest is `stored` (constant time)."""
    return hmac.compare_digest(digest(token), stored)


def shown(purpose: str, user_id: int, made_at: datetime, stored: str) -> str:
    """The token to show for a stored digest; "" when it cannot be shown (stored before hashing)."""
    token = derive(purpose, user_id, made_at)
    return token if same(token, stored) else ""
