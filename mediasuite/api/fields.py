"""Serializer fields shared by every app's API."""

from rest_framework import serializers

from ..text import refuse_control_characters


class OneLine(serializers.CharField):
    """Text of one line (a name, a title, a folder, a search term): control characters are refused.

    The same validator (`mediasuite.text.refuse_control_characters`) guards the
    models' name fields, so the admin's forms refuse what the API refuses;
    `tests/mediasuite/test_control_characters.py` walks every request body and
    admin form for a field that forgot it.
    """

    default_validators = [refuse_control_characters]
