"""Units API: GET /api/v1/units[/<name>], POST /api/v1/units/<name>/start|stop|restart."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import reasons
from ..api.errors import ErrorSerializer
from ..api.filters import StrictFilterBackend
from ..models import Lease, Unit
from ..policies.drf import PolicyFilterBackend, PolicyPermission
from . import control


class UnitSerializer(serializers.ModelSerializer):
    node = serializers.SerializerMethodField(help_text="The supervisor node holding the unit, if any.")
    reason = serializers.CharField(read_only=True, help_text="Why the unit is in its state, as the "
                                                             "supervisor wrote it (with its last log lines).")
    reason_text = serializers.SerializerMethodField(help_text="The same in one sentence for people: what "
                                                              "failed and what to do.")

    class Meta:
        model = Unit
        fields = ["name", "kind", "desired", "state", "state_changed_at", "reason", "reason_text", "pid",
                  "exit_code",
                  "started_at", "consecutive_failures", "next_attempt_at", "restart_requested_at",
                  "club", "owner", "node", "updated_at"]
        read_only_fields = fields

    def get_reason_text(self, unit) -> str:
        return reasons.for_unit(unit)

    def get_node(self, unit) -> str | None:
        try:
            return unit.lease.node
        except Lease.DoesNotExist:
            return None


# A start or restart the unit's owning app refuses (a finished recording's unit) is a 409.
DRIVE_RESPONSES = {200: UnitSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Supervised units and their state. A CLUB_ADMIN drives their clubs' units; a PLAYER sees theirs."""

    queryset = Unit.objects.select_related("lease")
    serializer_class = UnitSerializer
    permission_classes = [PolicyPermission]
    filter_backends = [PolicyFilterBackend, StrictFilterBackend]
    filterset_fields = ["state", "desired", "kind"]
    lookup_field = "name"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
    policy_actions = {"start": "change", "stop": "change", "restart": "change"}

    def _drive(self, func):
        unit = func(self.request.user, self.get_object())
        return Response(UnitSerializer(Unit.objects.select_related("lease").get(pk=unit.pk)).data)

    @extend_schema(request=None, responses=DRIVE_RESPONSES)
    @action(detail=True, methods=["post"])
    def start(self, request, name=None):
        """Set the desired state to running; the supervisor starts it within a tick."""
        return self._drive(control.start)

    @extend_schema(request=None, responses={200: UnitSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def stop(self, request, name=None):
        """Set the desired state to stopped; the supervisor stops it cleanly (SIGINT, 10 s, SIGKILL)."""
        return self._drive(control.stop)

    @extend_schema(request=None, responses=DRIVE_RESPONSES)
    @action(detail=True, methods=["post"])
    def restart(self, request, name=None):
        """Ask for a restart (and desired state running); a failed unit tries again at once."""
        return self._drive(control.restart)
