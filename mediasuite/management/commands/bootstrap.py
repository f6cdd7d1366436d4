"""First-run setup for `make run`: an admin when there is none, and demo data."""

import importlib
import secrets

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ...models import Club, User
from ...roles import Role


class Command(BaseCommand):
    help = "Create the admin user (when none exists) and the demo data of every app."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Create the admin only.")

    def handle(self, *args, no_demo=False, **options):
        self.ensure_admin()
        if not no_demo:
            self.create_demo_data()

    def ensure_admin(self):
        from django.conf import settings

        if User.objects.filter(role=Role.SUPER_ADMIN).exists():
            return
        username = settings.ADMIN_USER
        password = settings.ADMIN_PASSWORD or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, password=password)
        if settings.ADMIN_PASSWORD:
            self.stdout.write(f"Created the admin user '{username}' with MEDIASUITE_ADMIN_PASSWORD.")
        else:
            self.stdout.write(self.style.WARNING(
                f"Created the admin user '{username}' with password: {password}\n"
                "This password is shown once. Change it with "
                f"`manage.py changepassword {username}`."
            ))

    @transaction.atomic
    def create_demo_data(self):
        Club.objects.get_or_create(slug="demo-club", defaults={"name": "Demo Club"})
        for config in apps.get_app_configs():
            try:
                demo = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            demo.create(self.stdout)
