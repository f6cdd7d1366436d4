"""Query filters that refuse values of the wrong type instead of ignoring them.

django-filter's boolean filter reads `?is_active=perhaps` as "no filter" and
answers every row; here it is a 400 that names the accepted values.
"""

from django.db import models
from django_filters import rest_framework as filters

TRUE, FALSE = ("true", "1"), ("false", "0")


class StrictBooleanFilter(filters.TypedChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(v, v) for v in (*TRUE, *FALSE)])
        kwargs.setdefault("coerce", lambda value: value in TRUE)
        super().__init__(*args, **kwargs)


class StrictFilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


class StrictFilterBackend(filters.DjangoFilterBackend):
    filterset_base = StrictFilterSet
