"""The Brightpearl page: how Pearlbridge is connected, and connecting the OAuth app.

Connect (a POST with the CSRF token) keeps a fresh state in the session and sends the admin to
Brightpearl's authorisation page; Brightpearl sends them back to the callback with a code and
that state, which must match (constant-time) before the code is traded for tokens. Tokens are
stored encrypted and never shown: the page shows the account, API host, instance id and expiry.
"""
import hmac
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for

import jobs.core.connection as bp_connection

STATE_KEY = "brightpearl_oauth_state"


def page():
    """The connection as stored, and (in OAuth mode) the Connect button."""
    settings = current_app.config
    found = bp_connection.summary(settings)
    response = current_app.make_response(render_template(
        "logpage/brightpearl.html", connection=found,
        redirect_uri=bp_connection.redirect_uri(settings)))
    if found.mode == "oauth":
        # The Connect form redirects to Brightpearl: CSP form-action must allow that origin.
        origin = _origin(bp_connection.start(settings, "probe"))
        response.headers["Content-Security-Policy"] = current_app.config["LOGPAGE_CSP"].replace(
            "form-action 'self'", f"form-action 'self' {origin}")
    return response


def connect():
    """Start the authorisation: remember a new state, send the admin to Brightpearl."""
    settings = current_app.config
    state = bp_connection.new_state()
    try:
        url = bp_connection.start(settings, state)
    except bp_connection.NotOAuth:
        abort(400, description="Brightpearl is set up as a private app; there is nothing to "
                               "connect here.")
    session[STATE_KEY] = state
    return redirect(url, code=303)


def callback():
    """Brightpearl's redirect back: check the state, trade the code, show the connection."""
    expected = session.pop(STATE_KEY, None)
    sent = request.args.get("state", "")
    if not expected or not hmac.compare_digest(str(expected), str(sent)):
        abort(400, description="This approval was not started from this session. Start again "
                               "with Connect on the Brightpearl page.")
    if request.args.get("error"):
        flash(f"Brightpearl did not authorise the app ({request.args['error'][:60]}).", "error")
        return redirect(url_for("logpage.brightpearl"))
    code = request.args.get("code", "")
    if not code:
        abort(400, description="Brightpearl sent no authorisation code.")
    try:
        bp_connection.complete(current_app.config, code,
                               current_app.extensions["pearlbridge_queue"][0])
    except bp_connection.ConnectFailed as exc:
        flash(f"Connecting failed: {exc}", "error")
        return redirect(url_for("logpage.brightpearl"))
    flash("Brightpearl is connected.", "info")
    return redirect(url_for("logpage.brightpearl"))


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
