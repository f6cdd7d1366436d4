"""Users, clubs and memberships: who may see and do what."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from ..roles import Role
from ..text import refuse_control_characters


class MediaSuiteUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.SUPER_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person or a script. The role is the truth; the staff flags follow it.

    SUPER_ADMIN and CLUB_ADMIN may open the admin (where every screen asks the
    policies), PLAYER uses the club pages and the API only.
    """

    first_name = models.CharField("first name", max_length=150, blank=True,
                                  validators=[refuse_control_characters])
    last_name = models.CharField("last name", max_length=150, blank=True,
                                 validators=[refuse_control_characters])
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PLAYER)
    clubs = models.ManyToManyField("Club", through="Membership", related_name="members", blank=True)

    objects = MediaSuiteUserManager()

    class Meta:
        ordering = ["username"]

    def save(self, *args, **kwargs):
        self.is_staff = self.role in (Role.SUPER_ADMIN, Role.CLUB_ADMIN)
        self.is_superuser = self.role == Role.SUPER_ADMIN
        if kwargs.get("update_fields") is not None and "role" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    @property
    def is_super_admin(self) -> bool:
        return self.is_authenticated and self.is_active and self.role == Role.SUPER_ADMIN


class Club(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[refuse_control_characters])
    slug = models.SlugField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user belongs to a club. A CLUB_ADMIN administers the clubs they belong to."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["club__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "club"], name="membership_unique_user_club"),
        ]

    def __str__(self):
        return f"{self.user} in {self.club}"


class SignInFailure(models.Model):
    """One failed password, counted under an account or an address (`mediasuite/logins.py`).

    In the database so that every web process and node counts together;
    rows older than the window are deleted as new failures arrive.
    """

    scope = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "at"]), models.Index(fields=["at"])]

    def __str__(self):
        return f"failed sign-in for {self.scope} at {self.at:%Y-%m-%d %H:%M:%S}"
