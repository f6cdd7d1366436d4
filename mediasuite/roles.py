"""The three roles of MediaSuite (docs/ARCHITECTURE.md, Roles and permissions)."""

from django.db import models


class Role(models.TextChoices):
    SUPER_ADMIN = "SUPER_ADMIN", "Super admin"
    CLUB_ADMIN = "CLUB_ADMIN", "Club admin"
    PLAYER = "PLAYER", "Player"
