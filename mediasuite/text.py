"""Names that reach a playlist, a guide, a file name or a header hold no control characters.

A line break in a channel's display name would start a new entry in every
user's M3U; the validator refuses it on input and `one_line` neutralises what
is already stored (or comes from a file name) on output.
"""

import re

from django.core.exceptions import ValidationError

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with every control character (line breaks, tabs, NUL...) replaced by a space."""
    return _CONTROL.sub(" ", text)


def refuse_control_characters(value):
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError("Control characters (line breaks, tabs...) are not allowed here.",
                              code="control_characters")
