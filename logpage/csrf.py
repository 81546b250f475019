"""CSRF protection for the staff pages: a per-session token every POST must echo back.

Hand-written rather than Flask-WTF's CSRFProtect because that one guards every blueprint of
the app, and the webhook receivers (signed by the platforms, not by a session) must stay free.
"""
import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def csrf_token():
    """The session's token (created on first use); templates put it in every form."""
    token = session.get(FIELD)
    if not token:
        token = session[FIELD] = secrets.token_urlsafe(32)
    return token


def rotate():
    """A fresh token, e.g. after sign-in, so a token seen before login is worthless after."""
    session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def check_csrf():
    """Abort with 400 when a state-changing request does not carry the session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get(FIELD)
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), str(sent)):
        abort(400, description="The form expired or did not come from this site. "
                               "Go back, reload the page and try again.")
