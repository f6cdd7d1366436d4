"""API tokens stored in clear become their digests (mediasuite/keys.py): they keep authenticating
(irreversible by nature: a digest cannot be turned back into the token). Failed sign-ins are counted
in the database, shared by every web process (mediasuite/logins.py). Club and people's names refuse
control characters.
"""

import hashlib

from django.db import migrations, models

import mediasuite.text

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

    operations = [
        migrations.CreateModel(
            name="SignInFailure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=200)),
                ("at", models.DateTimeField()),
            ],
            options={
                "indexes": [models.Index(fields=["scope", "at"], name="mediasuite__scope_b0de4b_idx"),
                            models.Index(fields=["at"], name="mediasuite__at_4c82f2_idx")],
            },
        ),
        migrations.AlterField(
            model_name="club",
            name="name",
            field=models.CharField(max_length=120, unique=True,
                                   validators=[mediasuite.text.refuse_control_characters]),
        ),
        migrations.AlterField(
            model_name="user",
            name="first_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="first name",
                                   validators=[mediasuite.text.refuse_control_characters]),
        ),
        migrations.AlterField(
            model_name="user",
            name="last_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="last name",
                                   validators=[mediasuite.text.refuse_control_characters]),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=False),
    ]
