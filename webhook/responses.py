"""The receivers' answers: small JSON bodies with the status the platforms act on."""
from flask import jsonify


def answer(status, message=None, **fields):
    """A JSON answer with an HTTP status; message says why in words."""
    body = dict(fields)
    if message:
        body["message"] = message
    response = jsonify(body)
    response.status_code = status
    return response
