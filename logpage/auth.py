"""Sign-in and sign-out for staff, and the guard that keeps every other staff page private."""
from urllib.parse import urlsplit

from flask import (
    current_app, flash, g, redirect, render_template, request, session, url_for,
)

from logpage.csrf import rotate
from models.base import utcnow
from models.users import User

# Endpoints reachable without a session: the form itself and the stylesheet it uses.
PUBLIC_ENDPOINTS = frozenset({"logpage.login", "logpage.static"})


def safe_next(target):
    """target when it is a path on this site, else the Sync Logs page (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("logpage.logs")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("logpage.logs")
    return target


def require_login():
    """Before every staff request: load the signed-in user or send the visitor to sign in."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is not None:
        g.user = User.get_or_none(User.id == user_id)
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        session.pop("user_id", None)
        # After sign-in a GET comes back to where it was; a POST is not replayed.
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("logpage.login", next=target))
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
    wait = limiter.retry_after(username, address)
    if wait:
        minutes = max(1, round(wait / 60))
        flash(f"Too many failed sign-ins for this name. Try again in about {minutes} "
              f"minute{'s' if minutes != 1 else ''}.", "error")
        return render_template("logpage/login.html", next=next_url, username=username), 429
    user = User.get_or_none(User.username == username) if username else None
    if user is None or not user.check_password(password):
        limiter.failed(username, address)
        flash("Wrong name or password.", "error")
        return render_template("logpage/login.html", next=next_url, username=username), 401
    limiter.succeeded(username, address)
    # A fresh session on sign-in: nothing set before it (a planted id or token) carries over.
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    rotate()
    User.update(last_login_at=utcnow()).where(User.id == user.id).execute()
    return redirect(next_url)


def logout():
    """Sign out (POST only, so a link elsewhere cannot sign staff out)."""
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("logpage.login"))
