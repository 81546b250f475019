"""Sign-in and sign-out for staff, and the guard that keeps every other staff page private.

A session names its user, the user's session version when it was issued and when that was.
Every request checks all three against the database and the clock, so sign-out, a password
change, `flask users sign-out` or `disable` end copied cookies too, and no session outlives
SESSION_LIFETIME_HOURS however busy it is.
"""
import time
from urllib.parse import urlsplit

from flask import (
    current_app, flash, g, redirect, render_template, request, session, url_for,
)

from logpage.csrf import rotate
from models.base import utcnow
from models.users import User, authenticate, revoke_sessions

# Endpoints reachable without a session: the form itself and the stylesheet it uses.
PUBLIC_ENDPOINTS = frozenset({"logpage.login", "logpage.static"})


def safe_next(target, default=None):
    """target when it is a path on this site, else default (the Sync Logs page).

    No open redirects: browsers drop tabs and newlines from URLs (so "/\\t/evil.example"
    becomes "//evil.example") and a newline cannot go in a Location header, so any control
    character or space rejects the target.
    """
    fallback = default or url_for("logpage.logs")
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ch <= " " or ch == "\x7f" for ch in target)):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def _session_user():
    """The user the session belongs to, while it is current; None otherwise."""
    user_id, version, since = (session.get(k) for k in ("user_id", "version", "since"))
    if not isinstance(user_id, int) or not isinstance(since, (int, float)):
        return None
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if not 0 <= time.time() - since < lifetime:
        return None
    user = User.get_or_none(User.id == user_id)
    if user is None or user.disabled or user.session_version != version:
        return None
    return user


def require_login():
    """Before every staff request: load the signed-in user or send the visitor to sign in."""
    g.user = _session_user() if "user_id" in session else None
    if g.user is None and "user_id" in session:
        session.clear()  # revoked or expired: nothing of it is kept
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        # After sign-in a GET comes back to where it was; a POST is not replayed.
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("logpage.login", next=safe_next(target) if target else None))
    return None


def login():
    """Show the sign-in form, or check the posted name and password."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if g.user is not None:
            return redirect(next_url)
        return render_template("logpage/login.html", next=next_url)
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    limiter = current_app.extensions["pearlbridge_login_limiter"]
    address = request.remote_addr or "unknown"
    # Counted before the password is checked, in one step: parallel tries cannot slip past.
    wait = limiter.attempt(username, address)
    if wait:
        minutes = max(1, round(wait / 60))
        flash(f"Too many failed sign-ins for this name. Try again in about {minutes} "
              f"minute{'s' if minutes != 1 else ''}.", "error")
        return render_template("logpage/login.html", next=next_url, username=username), 429
    user = authenticate(username, password)
    if user is None:
        flash("Wrong name or password.", "error")
        return render_template("logpage/login.html", next=next_url, username=username), 401
    limiter.succeeded(username, address)
    # A fresh session on sign-in: nothing set before it (a planted id or token) carries over.
    session.clear()
    session.permanent = True
    session.update(user_id=user.id, version=user.session_version, since=int(time.time()))
    rotate()
    User.update(last_login_at=utcnow()).where(User.id == user.id).execute()
    return redirect(next_url)


def logout():
    """Sign out (POST only): ends every session of this user, copied cookies included."""
    revoke_sessions(g.user.id)
    session.clear()
    flash("Signed out (on every device).", "info")
    return redirect(url_for("logpage.login"))
