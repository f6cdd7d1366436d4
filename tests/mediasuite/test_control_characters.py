"""Every free-text field the API and the admin's forms take refuses control characters (one core validator).

The walk goes through every request body of the OpenAPI schema and every
admin form, so a field added without `mediasuite.text.refuse_control_characters`
(or a stricter rule) fails here.
"""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.forms import ReadOnlyPasswordHashField
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from mediasuite import config
from mediasuite.clients import connections
from mediasuite.models import Club, Connection

PROJECT = {"mediasuite", "channels_app", "recorder", "seedbox", "trailers", "library"}
BAD = ("line\nbreak", "bell\x07", "tab\tinside", "next\x85line")

# Not names: secrets are never shown nor written anywhere a control character could break; a
# connection's values are checked per setting (a key is a multi-line PEM), see the last test; a
# .torrent file is base64 data, decoded and parsed.
EXEMPT = {"password", "password1", "password2", "values", "torrent_file"}


def _refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def request_serializers():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    bodies = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                _refs(operation["requestBody"], bodies)
    for (name, kind), component in generator.registry._components.items():
        if kind == "schemas" and name in bodies and isinstance(component.object, serializers.BaseSerializer):
            yield name, component.object


def text_fields(serializer, prefix=""):
    """(path, field) of every writable string field, nested serializers and lists included."""
    serializer = getattr(serializer, "child", serializer)
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        path = f"{prefix}{name}"
        child = getattr(field, "child", None)
        if isinstance(field, serializers.BaseSerializer):
            yield from text_fields(field, f"{path}.")
        elif isinstance(child, serializers.CharField):
            yield path, child
        elif isinstance(field, serializers.CharField) and field.style.get("input_type") != "password":
            yield path, field


def one_line_input(field) -> bool:
    return (isinstance(field, forms.CharField) and not field.disabled
            and not isinstance(field.widget, forms.PasswordInput | forms.Textarea | forms.HiddenInput))


def refuses(clean, value) -> bool:
    try:
        clean(value)
    except (ValidationError, serializers.ValidationError, forms.ValidationError):
        return True
    return False


@pytest.mark.django_db
def test_every_text_field_of_every_request_body_refuses_control_characters():
    missing, walked = [], 0
    for name, serializer in request_serializers():
        for path, field in text_fields(serializer):
            if path.rsplit(".", 1)[-1] in EXEMPT:
                continue
            walked += 1
            if not all(refuses(field.run_validation, value) for value in BAD):
                missing.append(f"{name}.{path}")
    assert walked > 20
    assert not missing, f"these API fields accept control characters: {missing}"


@pytest.mark.django_db
def test_every_text_field_of_every_admin_form_refuses_control_characters(people):
    request = RequestFactory().get("/admin/")
    request.user = people["super"]
    missing, walked = [], 0
    for model, model_admin in admin.site._registry.items():
        if model_admin.__module__.split(".")[0] not in PROJECT or model is Connection:
            continue  # django-q2's screens take no names; a connection's form is its settings (last test)
        form = model_admin.get_form(request)
        for name, field in form.base_fields.items():
            if not one_line_input(field) or isinstance(field, ReadOnlyPasswordHashField) or name in EXEMPT:
                continue
            walked += 1
            if not all(refuses(field.clean, value) for value in BAD):
                missing.append(f"{model._meta.label}.{name}")
    assert walked > 5
    assert not missing, f"these admin form fields accept control characters: {missing}"


def test_every_connection_setting_but_a_multi_line_key_refuses_control_characters():
    walked = 0
    for integration in connections.integrations():
        for item in integration.fields:
            walked += 1
            if item.kind == config.KEY:
                assert item.clean("-----BEGIN KEY-----\nabc\n-----END KEY-----").startswith("-----BEGIN")
                continue
            assert all(refuses(item.clean, value) for value in BAD), item.name
    assert walked > 5


def test_a_club_or_a_person_named_with_a_line_break_is_refused_and_nothing_is_saved(people, api):
    api.as_user(people["super"])
    response = api.post("/api/clubs/", {"name": "Padel\nSud", "slug": "padel-sud"}, format="json")
    assert response.status_code == 400 and "Control characters" in response.json()["error"]
    player = people["player"]
    response = api.patch(f"/api/users/{player.pk}/", {"first_name": "Paul\r\nX-Injected: 1"}, format="json")
    assert response.status_code == 400
    player.refresh_from_db()
    assert player.first_name == "" and not Club.objects.filter(slug="padel-sud").exists()
