"""Serializers of the core API: users, clubs, memberships, tokens, health."""

from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

from ..models import Club, Membership, User
from ..policies import policy_for
from ..roles import Role
from .fields import OneLine


class ChangeableRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id restricted to the rows the requesting user may change.

    A foreign id reads as "does not exist", exactly like an unknown one.
    """

    def __init__(self, *, policy_action="change", **kwargs):
        self.policy_action = policy_action
        super().__init__(**kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return policy_for(self.queryset.model).queryset(user, self.policy_action, base=self.queryset)


class ClubSerializer(serializers.ModelSerializer):
    class Meta:
        model = Club
        fields = ["id", "name", "slug", "created_at"]
        read_only_fields = ["created_at"]


class MembershipSerializer(serializers.ModelSerializer):
    user = ChangeableRelatedField(queryset=User.objects.all(), policy_action="view")
    club = ChangeableRelatedField(queryset=Club.objects.all())
    username = serializers.CharField(source="user.username", read_only=True)
    club_name = serializers.CharField(source="club.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "club", "club_name", "created_at"]
        read_only_fields = ["created_at"]


class UserSerializer(serializers.ModelSerializer):
    clubs = ChangeableRelatedField(queryset=Club.objects.all(), many=True, required=False)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    role = serializers.ChoiceField(choices=Role.choices, default=Role.PLAYER)

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "role", "is_active",
                  "clubs", "password", "date_joined", "last_login"]
        read_only_fields = ["date_joined", "last_login"]

    def validate_password(self, value):
        validate_password(value)
        return value

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": ["This field is required."]})
        if self.instance is not None and "clubs" in attrs:
            raise serializers.ValidationError(
                {"clubs": ["Change memberships through /api/memberships."]}
            )
        return attrs


class MeSerializer(serializers.ModelSerializer):
    clubs = ClubSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "email", "role", "clubs"]


class TokenRequestSerializer(serializers.Serializer):
    username = OneLine()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Names the cause (e.g. `unit:channel-news`) while it lasts.")
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField(help_text="What is wrong and what to do, one sentence.")
    link = serializers.CharField(help_text="Where to fix it.")


class GlanceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="How many, by state.")


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "degraded"])
    manager_initialized = serializers.BooleanField(
        help_text="A supervisor node has sent a heartbeat recently."
    )
    timestamp = serializers.FloatField(help_text="Server time, unix seconds.")
    database = serializers.CharField(help_text='"ok", or what failed.')
    ffmpeg_available = serializers.BooleanField()
    version = serializers.CharField(help_text="Git commit (short) or package version.")
    errors = serializers.IntegerField(required=False, help_text="detail=1: how many problems are errors.")
    warnings = serializers.IntegerField(required=False)
    problems = ProblemSerializer(many=True, required=False,
                                 help_text="detail=1 (super admin): what needs attention, errors first.")
    glance = GlanceSerializer(many=True, required=False,
                              help_text="detail=1: channels, courts, torrents, services ... by state.")
