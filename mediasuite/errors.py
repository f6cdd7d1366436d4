"""Domain exceptions shared by every app; the API maps each to its status once (mediasuite/api/errors.py)."""


class Conflict(Exception):
    """The object is not in a state that allows this action; the message says which state and what to do.

    Domain modules raise it (or a subclass naming the case); the API answers 409 with the message,
    the admin's row actions report it as the reason a row was refused.
    """


class Unavailable(Exception):
    """Something the action needs (a process, a device) is not running now; the API answers 503."""
