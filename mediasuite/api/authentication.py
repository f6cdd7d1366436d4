"""`Authorization: Token <key>` against the digests the database keeps (`mediasuite.keys`)."""

from rest_framework import authentication, exceptions

from .. import keys


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, looking the token up by its digest and comparing in constant time."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(keys.digest(key))
        if not keys.same(key, token.key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return user, token
