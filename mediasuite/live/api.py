"""`GET /api/v1/events` and `GET /api/v1/events/<id>`: the event log, read-only.

Policy-restricted like every other list (a foreign id answers 404), newest
first, filterable; a client that polls instead of using the WebSocket keeps
the last id it saw and asks `?after=<id>&ordering=id`.
"""

from django import forms
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from ..api.filters import StrictFilterBackend, StrictFilterSet
from ..models import Event
from ..policies.drf import PolicyFilterBackend, PolicyPermission

MAX_ID = 2**63 - 1


class EventSerializer(serializers.ModelSerializer):
    """One event, in the shape of the WebSocket messages' `event`."""

    club_name = serializers.CharField(source="club.name", default=None, allow_null=True, read_only=True)
    actor_name = serializers.CharField(source="actor.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "kind", "subject_type", "subject_id", "club", "owner", "actor", "message",
                  "payload", "created_at", "club_name", "actor_name"]
        read_only_fields = fields


class IdFilter(filters.NumberFilter):
    """An event or row id: an integer in the database's range (not a decimal)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class EventFilter(StrictFilterSet):
    after = IdFilter(field_name="id", lookup_expr="gt", help_text="Only events with a greater id.")
    before = IdFilter(field_name="id", lookup_expr="lt", help_text="Only events with a smaller id.")
    kind = filters.CharFilter(help_text="Exact kind, e.g. `unit.running`.")
    kind_prefix = filters.CharFilter(field_name="kind", lookup_expr="startswith",
                                     help_text="Kinds starting with this, e.g. `unit.`.")
    subject_type = filters.CharFilter()
    subject_id = filters.CharFilter()
    club = IdFilter(field_name="club_id")
    owner = IdFilter(field_name="owner_id")
    actor = IdFilter(field_name="actor_id")
    since = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte",
                                      help_text="ISO 8601 date-time, inclusive.")
    until = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt",
                                      help_text="ISO 8601 date-time, exclusive.")

    class Meta:
        model = Event
        fields = []


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """The event log: every state change the user may see, newest first."""

    queryset = Event.objects.select_related("club", "actor")
    serializer_class = EventSerializer
    permission_classes = [PolicyPermission]
    filter_backends = [PolicyFilterBackend, StrictFilterBackend, OrderingFilter]
    filterset_class = EventFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
