"""Ids read from requests: ASCII digits within the database's integer range.

`int()` accepts other scripts' digits and any length, and the database then
fails on them (a 500); every id taken from a query string goes through here.
"""

import re

MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}\Z")


def parse_id(value) -> int | None:
    """The id `value` spells, or None when it is not one."""
    text = str(value)
    if not _ASCII_DIGITS.match(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None
