"""Settings → Connections through the API: list, save and test the integrations (SUPER_ADMIN).

Secrets are write-only: an answer says whether each is set and its last 4
characters, never the value. A field set by the environment is read-only.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..clients import connections
from ..models import Connection
from ..policies.drf import policy_allows
from .fields import OneLine

MESSAGE = "Only a super admin may see or change the connections."


class ConnectionFieldSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The setting's name, also its environment variable.")
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "url", "number", "secret", "key"])
    help = serializers.CharField()
    required = serializers.BooleanField()
    default = serializers.CharField()
    source = serializers.ChoiceField(choices=["environment", "database", "default"],
                                     help_text="`environment`: set by a variable, read-only here.")
    set = serializers.BooleanField()
    value = serializers.CharField(required=False, help_text="Not a secret: the value in force.")
    last4 = serializers.CharField(required=False, help_text="A secret: its last 4 characters (long ones).")


class ConnectionTestResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    ok = serializers.BooleanField()
    message = serializers.CharField(help_text="Who answered, or what failed (the service's own message).")


class ConnectionLastTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()
    at = serializers.DateTimeField()


class ConnectionSettingsSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    configured = serializers.BooleanField(help_text="Every required field has a value.")
    state = serializers.ChoiceField(choices=["works", "failed", "untested", "missing"],
                                    help_text="failed or works: its last test; missing: not configured.")
    url = serializers.CharField(help_text="Its form in Settings → Connections.")
    fields = ConnectionFieldSerializer(many=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    test = ConnectionLastTestSerializer(allow_null=True, help_text="The last test of the saved settings.")


class ConnectionChangeSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.CharField(allow_blank=True, trim_whitespace=False),
                                   required=False, default=dict,
                                   help_text="Field name to value. An empty secret keeps the saved one.")
    clear = serializers.ListField(child=OneLine(), required=False, default=list,
                                  help_text="Fields to empty (a secret is emptied only this way).")


class ConnectionTestRequestSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.CharField(allow_blank=True, trim_whitespace=False),
                                   required=False, help_text="Values to try in place of the saved ones "
                                   "(not saved); absent: the saved settings are tested.")


class ConnectionsView(APIView):
    permission_classes = [policy_allows(Connection, "change", MESSAGE)]

    def known(self, name: str) -> connections.Integration:
        try:
            return connections.get(name)
        except LookupError as exc:
            raise exceptions.NotFound(str(exc)) from None


class ConnectionListView(ConnectionsView):
    @extend_schema(responses={200: ConnectionSettingsSerializer(many=True)}, tags=["connections"],
                   summary="Every integration and its settings")
    def get(self, request):
        return Response([connections.describe(item) for item in connections.integrations()])


class ConnectionDetailView(ConnectionsView):
    @extend_schema(responses={200: ConnectionSettingsSerializer}, tags=["connections"],
                   summary="One integration")
    def get(self, request, name):
        return Response(connections.describe(self.known(name)))

    @extend_schema(request=ConnectionChangeSerializer, responses={200: ConnectionSettingsSerializer},
                   tags=["connections"], summary="Save an integration's settings",
                   description="Applies at once in every process (web, worker, supervisor), with an event.")
    def put(self, request, name):
        integration = self.known(name)
        form = ConnectionChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        connections.save(request.user, name, form.validated_data["values"], form.validated_data["clear"])
        return Response(connections.describe(integration))

    patch = put


class ConnectionTestView(ConnectionsView):
    @extend_schema(request=ConnectionTestRequestSerializer, responses={200: ConnectionTestResultSerializer},
                   tags=["connections"], summary="Test an integration",
                   description="Asks the service with the saved settings, or with `values` in their "
                   "place. `ok` false carries the service's message.")
    def post(self, request, name):
        integration = self.known(name)
        form = ConnectionTestRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = form.validated_data.get("values")
        if values is not None:
            names = {f.name for f in integration.fields}
            unknown = sorted(set(values) - names)
            if unknown:
                raise exceptions.ValidationError({unknown[0]: "Not a field of this connection."})
            values = {key: value for key, value in values.items() if value}
        return Response(connections.test(name, values))
