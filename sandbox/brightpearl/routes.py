"""Helpers shared by the API modules: blueprints under /public-api/{account}, locking, ID GETs."""
import functools

from flask import Blueprint, current_app, request

from .envelope import ApiError, ok
from .idset import DEFAULT_CAP, chunks, parse


def api_blueprint(name):
    """A blueprint for routes under /public-api/<account>; the account is checked centrally."""
    blueprint = Blueprint(name, __name__)

    @blueprint.url_value_preprocessor
    def _drop_account(endpoint, values):
        if values:
            values.pop("account", None)

    return blueprint


def emu():
    """The running emulator (config, state, events, ...)."""
    return current_app.extensions["brightpearl"]


def locked(view):
    """Run a view holding the state lock, so every request sees and leaves consistent state."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with emu().state.lock:
            return view(*args, **kwargs)

    return wrapper


def ids_for(text, existing, template, cap=DEFAULT_CAP):
    """Parse a path ID set for a GET; for OPTIONS raise the getUris answer instead (§4).

    existing is the collection the ids index; getUris list only ids that exist, in chunks of
    cap, which is why the doc's example has gaps ("/order/1-14,18-203").
    """
    if request.method == "OPTIONS":
        ranges = _ranges(text)
        present = [i for i in existing if any(lo <= i <= hi for lo, hi in ranges)]
        raise _Answer(ok({"getUris": [template.format(c) for c in chunks(present, cap)]}))
    return parse(text, cap)


def _ranges(text):
    ranges = []
    for part in str(text).split(","):
        low, dash, high = part.strip().partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise ApiError(400, "CMNC-016", f"Invalid ID set '{text}'")
        ranges.append((int(low), int(high) if dash else int(low)))
    return ranges


class _Answer(ApiError):
    """A finished response travelling as an exception (used for OPTIONS)."""

    def __init__(self, response):
        super().__init__(response.status_code, "", "")
        self.response = response

    def to_response(self):
        return self.response


ID_METHODS = ["GET", "OPTIONS"]
