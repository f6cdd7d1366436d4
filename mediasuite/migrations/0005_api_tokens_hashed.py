"""API tokens stored in clear become their digests (mediasuite/keys.py): they keep authenticating.

Irreversible by nature: a digest cannot be turned back into the token.
"""

import hashlib

from django.db import migrations

DIGEST_LENGTH = 40  # mediasuite.keys.DIGEST_LENGTH, copied: a migration does not follow later code


def hash_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    for key in list(Token.objects.values_list("key", flat=True)):
        digest = hashlib.sha256(key.encode()).hexdigest()[:DIGEST_LENGTH]
        Token.objects.filter(key=key).update(key=digest)


class Migration(migrations.Migration):

    dependencies = [
        ("mediasuite", "0004_installation"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=False)]
