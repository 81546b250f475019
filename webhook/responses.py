"""The receivers' answers, and the one bounded JSON parser both of them use."""
import json

from flask import jsonify

# Deeper than any payload either platform sends (a Woo order nests about 5 levels); a bound
# well under Python's recursion limit, so nothing that walks a payload later can blow it.
MAX_JSON_DEPTH = 32


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


def _no_constant(name):
    # NaN and Infinity are not JSON: Python accepts them by default, the database does not.
    raise ValueError(f"{name} is not JSON")


def json_value(raw, max_depth=MAX_JSON_DEPTH):
    """The UTF-8 body parsed as any JSON value nested at most max_depth deep; else BadBody."""
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise BadBody(f"body is nested deeper than {max_depth} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        # ValueError includes integers past Python's digit limit (int_max_str_digits).
        raise BadBody("body is not valid JSON (UTF-8)") from exc
    if isinstance(body, (dict, list)) and nested_deeper_than(body, max_depth):
        raise BadBody(f"body is nested deeper than {max_depth} levels")
    return body


def json_object(raw, max_depth=MAX_JSON_DEPTH):
    """The UTF-8 body parsed as a JSON object nested at most max_depth deep; else BadBody."""
    body = json_value(raw, max_depth)
    if not isinstance(body, dict):
        raise BadBody("body is not a JSON object")
    return body


def nested_deeper_than(value, limit):
    """True when value (parsed JSON) has containers nested more than limit deep.

    Level by level with no recursion, after parsing (the parser itself stops at Python's
    recursion limit): cheaper than scanning the raw bytes, where strings must be skipped.
    """
    level, depth = [value], 1
    while level:
        if depth > limit:
            return True
        below = []
        for node in level:
            for child in (node.values() if type(node) is dict else node):
                if type(child) is dict or type(child) is list:  # json.loads makes no others
                    below.append(child)
        level, depth = below, depth + 1
    return False
