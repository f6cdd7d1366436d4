"""What an event is about, by name: people read "news" or "channel-news", not `unit:3`.

An event's subject is (model name, primary key) for a model instance
(mediasuite.events.subject_of), or a (type, name) pair such as
("service", "tracker"). Names are looked up in bulk, one query per model,
whatever the number of events.
"""

from functools import cache

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

Pair = tuple[str, str]


@cache
def _models() -> dict:
    return {model._meta.model_name: model for model in apps.get_models()}


def _instances(pairs) -> dict[Pair, object]:
    wanted: dict[str, set] = {}
    for subject_type, subject_id in pairs:
        model = _models().get(subject_type)
        if model is None:
            continue
        try:
            wanted.setdefault(subject_type, set()).add(model._meta.pk.to_python(subject_id))
        except ValidationError:
            continue
    found = {}
    for subject_type, ids in wanted.items():
        for pk, obj in _models()[subject_type]._default_manager.in_bulk(list(ids)).items():
            found[(subject_type, str(pk))] = obj
    return found


def _name(pair: Pair, obj) -> str:
    if obj is not None:
        return str(obj)
    return f"{pair[0]} {pair[1]} (deleted)" if pair[0] in _models() else pair[1]


def names(pairs) -> dict[Pair, str]:
    """{(type, id): name}; a removed object reads "<type> <id> (deleted)", a non-model subject its id."""
    pairs = set(pairs)
    found = _instances(pairs)
    return {pair: _name(pair, found.get(pair)) for pair in pairs}


def history_url(subject_type: str, subject_id: str) -> str:
    """The events page filtered to this subject."""
    return f"{reverse('events')}?{urlencode({'subject_type': subject_type, 'subject_id': subject_id})}"


def links(pairs, user) -> dict[Pair, dict]:
    """{(type, id): {"name", "url"}}: the object's own page, its admin page for staff, else its history."""
    pairs = set(pairs)
    found = _instances(pairs)
    result = {}
    for pair in pairs:
        obj = found.get(pair)
        url = None
        if obj is not None and hasattr(obj, "get_absolute_url"):
            url = obj.get_absolute_url()
        elif obj is not None and user.is_staff and admin.site.is_registered(type(obj)):
            try:
                url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
            except NoReverseMatch:
                url = None
        result[pair] = {"name": _name(pair, obj), "url": url or history_url(*pair)}
    return result
