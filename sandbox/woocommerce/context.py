"""Access to the running emulator from views, and the lock every API view runs under."""
import functools

from flask import current_app, request

EXTENSION = "woocommerce_sandbox"


def emu():
    """The emulator serving the current request (state, dispatcher, faults, config)."""
    return current_app.extensions[EXTENSION]


def base_url():
    """The site URL with trailing slash, as home_url('/') gives it; learned from requests."""
    return emu().site_url or request.host_url


def locked(view):
    """Run a view holding the state lock and persist its changes before answering."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        state = emu().state
        with state.lock:
            try:
                return view(*args, **kwargs)
            finally:
                state.commit()

    return wrapper
