"""WordPress REST error bodies and JSON responses encoded like wp_json_encode (reference §2.8)."""
from flask import Response

from .phpjson import encode_php_json

JSON_TYPE = "application/json; charset=UTF-8"


class WooError(Exception):
    """An error answered as {"code","message","data"}; data is {"status":..} or a bare int."""

    def __init__(self, status, code, message, data=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.data = {"status": status} if data is None else data
        self.headers = headers or {}

    def body(self):
        """The error as WordPress serialises a WP_Error."""
        return {"code": self.code, "message": self.message, "data": self.data}

    def to_response(self):
        """The error as a Flask response."""
        return respond(self.body(), self.status, self.headers)


def respond(data, status=200, headers=None):
    """A JSON response whose bytes are PHP-style, as every wp-json answer is."""
    response = Response(encode_php_json(data), status=status, content_type=JSON_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def no_route():
    """WordPress's answer for a path/method no route matches."""
    return WooError(404, "rest_no_route", "No route was found matching the URL and request method.")


def invalid_param(name, reason):
    """400 rest_invalid_param as WordPress's schema validation reports it."""
    return WooError(400, "rest_invalid_param", f"Invalid parameter(s): {name}",
                    {"status": 400, "params": {name: reason},
                     "details": {name: {"code": "rest_invalid_param", "message": reason, "data": None}}})


def invalid_id(kind, status=404, message="Invalid ID."):
    """woocommerce_rest_{kind}_invalid_id, the controllers' answer for a missing object."""
    return WooError(status, f"woocommerce_rest_{kind}_invalid_id", message)
