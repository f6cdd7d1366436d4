"""Channel access tokens stored in clear become their digests (mediasuite/keys.py); new ones are derived.

The playlist URLs players already hold keep working; the channels page can no
longer show those old tokens and offers a new URL. Irreversible by nature.
"""

import hashlib

import django.utils.timezone
from django.db import migrations, models

DIGEST_LENGTH = 40  # mediasuite.keys.DIGEST_LENGTH, copied: a migration does not follow later code


def hash_tokens(apps, schema_editor):
    AccessToken = apps.get_model("channels_app", "AccessToken")
    for pk, key in list(AccessToken.objects.values_list("pk", "key")):
        AccessToken.objects.filter(pk=pk).update(key=hashlib.sha256(key.encode()).hexdigest()[:DIGEST_LENGTH])


class Migration(migrations.Migration):

    dependencies = [
        ("channels_app", "0004_numbers_logos_groups"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesstoken",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="accesstoken",
            name="key",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=False),
    ]
