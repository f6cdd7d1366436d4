"""The base of every model API: policy-restricted, writes through a domain module."""

from rest_framework import viewsets

from ..policies.drf import PolicyFilterBackend, PolicyPermission
from .filters import StrictFilterBackend


class DomainModelViewSet(viewsets.ModelViewSet):
    """A ModelViewSet whose queryset, permissions and writes follow the app's rules.

    Lists and lookups see only what the policy lets the user view (a foreign id
    is 404); writes call `domain.save(actor, obj, **extra)` and
    `domain.delete(actor, obj)`, which check the policy and record events.
    `write_extras` names validated fields handed to the domain, not set on
    the model.
    """

    domain = None
    write_extras: tuple[str, ...] = ()
    permission_classes = [PolicyPermission]
    filter_backends = [PolicyFilterBackend, StrictFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def _split(self, data):
        extras = {name: data.pop(name) for name in self.write_extras if name in data}
        return data, extras

    def prepare(self, obj, extras):
        """Hook: adjust `obj` before the domain saves it (e.g. hash a password)."""

    def perform_create(self, serializer):
        data, extras = self._split(dict(serializer.validated_data))
        obj = serializer.Meta.model(**data)
        self.prepare(obj, extras)
        serializer.instance = self.domain.save(self.request.user, obj, **extras)

    def perform_update(self, serializer):
        data, extras = self._split(dict(serializer.validated_data))
        obj = serializer.instance
        for name, value in data.items():
            setattr(obj, name, value)
        self.prepare(obj, extras)
        serializer.instance = self.domain.save(self.request.user, obj)

    def perform_destroy(self, instance):
        self.domain.delete(self.request.user, instance)
