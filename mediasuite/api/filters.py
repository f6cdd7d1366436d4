"""Query filters that refuse values of the wrong type instead of ignoring them.

django-filter's boolean filter reads `?is_active=perhaps` as "no filter" and
answers every row; here it is a 400 that names the accepted values.
Filters on a related model offer only the rows the viewer may see (the
browsable API's filter form lists their names), and a foreign or malformed
id answers exactly as an unknown one: 400 "Select a valid choice".
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django_filters import fields
from django_filters import rest_framework as filters
from django_filters.filters import QuerySetRequestMixin

from ..ids import parse_id
from ..policies import policy_for

TRUE, FALSE = ("true", "1"), ("false", "0")


class StrictBooleanFilter(filters.TypedChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(v, v) for v in (*TRUE, *FALSE)])
        kwargs.setdefault("coerce", lambda value: value in TRUE)
        super().__init__(*args, **kwargs)


def _refuse_non_ids(field, values):
    if field.to_field_name not in (None, "pk", "id"):
        return
    for value in values:
        if value not in field.empty_values and parse_id(value) is None:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})


class IdChoiceField(fields.ModelChoiceField):
    def to_python(self, value):
        _refuse_non_ids(self, [value])
        return super().to_python(value)


class IdMultipleChoiceField(fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        _refuse_non_ids(self, value)
        return super()._check_values(value)


class StrictFilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None) or AnonymousUser()
        for choice in self.filters.values():
            if isinstance(choice, QuerySetRequestMixin):
                self._restrict(choice, user)

    def _restrict(self, choice, user):
        multiple = isinstance(choice, filters.ModelMultipleChoiceFilter)
        choice.field_class = IdMultipleChoiceField if multiple else IdChoiceField
        base = choice.get_queryset(self.request)
        try:
            policy = policy_for(base.model)
        except LookupError:
            return
        choice.queryset = policy.queryset(user, "view", base=base)


class StrictFilterBackend(filters.DjangoFilterBackend):
    filterset_base = StrictFilterSet
