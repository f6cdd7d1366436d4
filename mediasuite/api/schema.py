"""OpenAPI: every operation documents the errors it can answer, in one shape."""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from .errors import ErrorSerializer

ERROR_TEXT = {
    "400": "The request is malformed or did not validate; `error` says what to fix.",
    "401": "No valid token or session.",
    "403": "The object is visible to you but this action is not allowed.",
    "404": "No such object, or not one you can see.",
    "409": "The object is not in a state that allows this action.",
}


class MediaSuiteSchema(AutoSchema):
    def _has_query(self) -> bool:
        declared = [p for p in self.get_override_parameters() if getattr(p, "location", "") == "query"]
        return bool(declared or self._get_filter_parameters() or self._get_paginator())

    def _error_codes(self) -> list[str]:
        codes = []
        if self.method in ("POST", "PUT", "PATCH") or self._has_query() or "{" in self.path:
            codes.append("400")
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")  # an unknown object, or a page past the end
        codes += getattr(self.view, "extra_error_codes", [])
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = ERROR_TEXT[code]
        return responses
