"""The receivers' answers: small JSON bodies with the status the platforms act on."""
import json

from flask import jsonify


def answer(status, message=None, **fields):
    """A JSON answer with an HTTP status; message says why in words."""
    body = dict(fields)
    if message:
        body["message"] = message
    response = jsonify(body)
    response.status_code = status
    return response


class BadBody(ValueError):
    """The body is not a JSON object; str(error) says which way, for the 400 answer."""


def json_value(raw):
    """The body parsed as any JSON value; raises BadBody when it is not JSON at all."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadBody("body is not valid JSON") from exc


def json_object(raw):
    """The body parsed as a JSON object; raises BadBody otherwise."""
    body = json_value(raw)
    if not isinstance(body, dict):
        raise BadBody("body is not a JSON object")
    return body
