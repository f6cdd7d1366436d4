"""The recorder's domain exception for a state conflict (answered 409 by the API)."""

from rest_framework.exceptions import APIException


class Conflict(APIException):
    status_code = 409
    default_detail = "The object is not in a state that allows this action."
    default_code = "conflict"
