"""Encryption at rest of the secrets saved in Settings → Connections (Fernet: AES-128-CBC with HMAC-SHA256).

The key is derived from MEDIASUITE_SETTINGS_KEY when it is set (every node of
an installation then shares it), else generated once into `<data dir>/settings_key`
with mode 0600, beside the database, like the secret key.
"""

import base64
import functools
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class VaultError(Exception):
    """A saved secret cannot be read with this process's key; the message says what to do."""


@functools.cache
def _fernet() -> Fernet:
    if settings.SETTINGS_KEY:
        digest = hashlib.sha256(settings.SETTINGS_KEY.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))
    path = settings.DATA_DIR / "settings_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return Fernet(path.read_bytes().strip())
    key = Fernet.generate_key()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return Fernet(key)


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise VaultError("A saved secret cannot be decrypted with this installation's key (the settings_key "
                         "file or MEDIASUITE_SETTINGS_KEY changed): enter it again in Settings → "
                         "Connections.") from None
