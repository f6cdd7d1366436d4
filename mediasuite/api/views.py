"""Core API: token, health, me, users, clubs, memberships."""

import shutil
import time

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import DatabaseError, connection
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import accounts, health, logins, version
from ..models import Club, Membership, User
from ..supervisor import nodes
from .errors import ErrorSerializer
from .serializers import (
    ClubSerializer,
    HealthSerializer,
    MembershipSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)
from .viewsets import DomainModelViewSet


class TokenView(APIView):
    """Exchange a username and password for the user's API token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer,
                   responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
                   auth=[])
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        seconds = logins.wait(form.validated_data["username"], request)
        if seconds:
            refused = Throttled(detail=logins.refusal(seconds))
            refused.wait = seconds  # the Retry-After header
            raise refused
        user = authenticate(request, **form.validated_data)
        if user is None:
            return Response({"error": "Unable to log in with this username and password."},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"token": accounts.api_token(user, user)})


class HealthView(APIView):
    """Liveness of the installation, for monitors and the self-update check; with `detail=1` (a super
    admin) also what needs attention (mediasuite/health) and the live state at a glance."""

    permission_classes = [AllowAny]

    def initialize_request(self, request, *args, **kwargs):
        self.detailed = request.GET.get("detail") == "1"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):
        """Liveness asks no credentials (a stale token of a monitor is ignored); the detail does."""
        return super().get_authenticators() if getattr(self, "detailed", False) else []

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer, 403: ErrorSerializer},
                   parameters=[OpenApiParameter("detail", bool, description="1: add the problems and the "
                                                "glance (super admin only).")])
    def get(self, request):
        detail = request.query_params.get("detail", "")
        if detail not in ("", "0", "1"):
            return Response({"error": "detail is 0 or 1."}, status=status.HTTP_400_BAD_REQUEST)
        if detail == "1" and not getattr(request.user, "is_super_admin", False):
            raise PermissionDenied("Only a super admin may see what needs attention: sign in, or send a "
                                   "super admin's token.")
        body = {
            "status": "ok",
            "manager_initialized": False,
            "timestamp": time.time(),
            "database": "ok",
            "ffmpeg_available": shutil.which(settings.FFMPEG) is not None,
            "version": version.current()["version"],
        }
        try:
            body["manager_initialized"] = nodes.alive()
        except DatabaseError as exc:
            connection.close()
            body["status"] = "degraded"
            body["database"] = f"unreachable: {exc}".strip()[:300]
            return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        if detail == "1":
            body.update(health.report())
        return Response(body)


class MeView(APIView):
    """The authenticated user, with role and clubs."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ClubViewSet(DomainModelViewSet):
    """Clubs. SUPER_ADMIN manages all; a CLUB_ADMIN edits their own; members view theirs."""

    queryset = Club.objects.all()
    serializer_class = ClubSerializer
    domain = accounts
    filterset_fields = ["slug"]


class MembershipViewSet(DomainModelViewSet):
    """Who belongs to which club. A CLUB_ADMIN manages the memberships of their clubs."""

    queryset = Membership.objects.select_related("user", "club")
    serializer_class = MembershipSerializer
    domain = accounts
    filterset_fields = ["club", "user"]


class UserViewSet(DomainModelViewSet):
    """Users. A CLUB_ADMIN creates players in their clubs; only a SUPER_ADMIN grants roles."""

    queryset = User.objects.prefetch_related("clubs")
    serializer_class = UserSerializer
    domain = accounts
    write_extras = ("clubs", "password")
    filterset_fields = ["role", "is_active", "clubs"]

    def prepare(self, obj, extras):
        password = extras.pop("password", None)
        if password:
            obj.set_password(password)
