"""One error shape for the whole API: {"error": "<what is wrong>", "fields": {...}}.

DRF's own exceptions, Django's PermissionDenied/Http404/ValidationError raised
by domain code, the core's Conflict (409) and Unavailable (503), a hosted
service's ServiceError (502; NotConfigured, its settings missing, is 503)
and database integrity errors all come out with a message that says what
to fix. Domain code raises these domain exceptions, never DRF ones; this
module is the one place that maps them to a status.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..clients.http import ServiceError
from ..errors import Conflict, Unavailable


class _Status(exceptions.APIException):
    """A domain exception carried through DRF's handler with the status it maps to."""

    def __init__(self, exc: Exception, status_code: int):
        super().__init__(str(exc))
        self.status_code = status_code


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer of the API."""

    error = serializers.CharField(help_text="What went wrong and what to do about it.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages, for a request that did not validate.",
    )


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            message = _first_message(value)
            return message if key in ("non_field_errors", "detail") else f"{key}: {message}"
        return "Invalid request."
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else "Invalid request."
    return str(detail)


def _translate(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Conflict):
        return _Status(exc, status.HTTP_409_CONFLICT)
    if isinstance(exc, Unavailable):
        return _Status(exc, status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, ServiceError):
        return _Status(exc, status.HTTP_502_BAD_GATEWAY)
    if isinstance(exc, IntegrityError):
        return exceptions.ValidationError({"non_field_errors": ["This conflicts with an existing record."]})
    return exc


def exception_handler(exc, context):
    response = drf_exception_handler(_translate(exc), context)
    if response is None:
        return None
    detail = response.data
    body = {"error": _first_message(detail)}
    if isinstance(exc, (exceptions.ValidationError, DjangoValidationError)) and isinstance(detail, dict):
        body["fields"] = {key: [str(m) for m in (value if isinstance(value, list) else [value])]
                          for key, value in detail.items()}
    response.data = body
    return response


def json_not_found(request, exception=None):
    """handler404 for /api/ paths: JSON, not the HTML page."""
    return JsonResponse({"error": f"No API endpoint at {request.path}."}, status=404)


def error_response(message: str, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"error": message}, status=code)
