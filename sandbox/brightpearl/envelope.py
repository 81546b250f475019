"""The response envelope: {"response": ...} on success, {"errors": [...]} on failure (§3)."""
import json

from flask import Response


class ApiError(Exception):
    """An error answered in Brightpearl's shape; body overrides the errors list when given."""

    def __init__(self, status, code, message, body=None):
        super().__init__(message)
        self.status, self.code, self.message, self.body = status, code, message, body

    def to_response(self):
        """The HTTP response for this error."""
        body = self.body if self.body is not None else {
            "errors": [{"code": self.code, "message": self.message}]}
        return raw(body, self.status)


def raw(body, status=200, headers=None):
    """A JSON response with body exactly as given (no envelope added)."""
    return Response(json.dumps(body, separators=(",", ":")), status=status,
                    mimetype="application/json", headers=headers)


def ok(payload, status=200, **extra):
    """A success envelope; extra top-level keys (reference, pagination) sit beside response."""
    body = {"response": payload}
    body.update(extra)
    return raw(body, status)


def not_found(message="Resource not found"):
    """The 404 CMNC-404 that contact, price and most GETs answer for unknown ids (§3)."""
    return ApiError(404, "CMNC-404", message)


def invalid(code, message):
    """A 400 validation error with a service-specific code."""
    return ApiError(400, code, message)


def bad_filter(message):
    """The 500 CMNC-018 Brightpearl answers for a search filter value it cannot parse (§3)."""
    return ApiError(500, "CMNC-018", message)


def json_body():
    """The request's JSON body, or 400 CMNC-010 when there is none or it is not JSON."""
    from flask import request

    data = request.get_json(silent=True)
    if data is None:
        raise invalid("CMNC-010", "A JSON request body is required")
    return data


def strip_nulls(value):
    """Drop None fields recursively: Brightpearl leaves null fields out of responses (§3)."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value
