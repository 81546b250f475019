"""Staff pages: Sync Logs, Flows and login, on one blueprint guarded by sign-in and CSRF."""
from datetime import timedelta

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from logpage import auth, backfills, connection, export, flows, health, logs, reconcile
from logpage.csrf import check_csrf, csrf_token
from logpage.ratelimit import LoginLimiter
from logpage.redact import redact, redact_cut, secret_values
from models.db import db
from models.flows import stored_reference_data

blueprint = Blueprint("logpage", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/static/logpage")

# No inline script or style anywhere: a payload that slipped past escaping still cannot run.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

_ROUTES = (
    ("/", "index", logs.index, ["GET"]),
    ("/login", "login", auth.login, ["GET", "POST"]),
    ("/logout", "logout", auth.logout, ["POST"]),
    ("/logs", "logs", logs.logs, ["GET"]),
    # Row ids fit the id column (INTEGER on PostgreSQL); larger numbers are simply not found.
    ("/logs/<int(max=2147483647):row_id>", "detail", logs.detail, ["GET"]),
    ("/logs/<int(max=2147483647):row_id>/resync", "resync", logs.resync, ["POST"]),
    ("/logs/retry-failed", "retry_failed", logs.retry_failed, ["GET", "POST"]),
    ("/logs/export.<fmt>", "export", export.export, ["GET"]),
    ("/flows", "flows", flows.flows, ["GET"]),
    ("/flows/backfill", "backfill_start", backfills.start, ["POST"]),
    ("/flows/backfill/<int(max=2147483647):backfill_id>/resume", "backfill_resume",
     backfills.resume, ["POST"]),
    ("/flows/<name>", "flow", flows.flow, ["GET", "POST"]),
    ("/flows/<name>/switch", "toggle", flows.toggle, ["POST"]),
    ("/health", "health", health.health, ["GET"]),
    ("/health/reregister", "health_reregister", health.reregister, ["POST"]),
    ("/reconcile", "reconcile", reconcile.page, ["GET"]),
    ("/reconcile/run", "reconcile_run", reconcile.run_now, ["POST"]),
    ("/reconcile/<int(max=2147483647):discrepancy_id>/repair", "reconcile_repair",
     reconcile.repair_one, ["POST"]),
    ("/reconcile/repair-all", "reconcile_repair_all", reconcile.repair_all, ["POST"]),
    ("/brightpearl", "brightpearl", connection.page, ["GET"]),
    ("/brightpearl/connect", "brightpearl_connect", connection.connect, ["POST"]),
    ("/brightpearl/callback", "brightpearl_callback", connection.callback, ["GET"]),
)
for _rule, _endpoint, _view, _methods in _ROUTES:
    blueprint.add_url_rule(_rule, _endpoint, _view, methods=_methods)


@blueprint.before_request
def _connect_and_guard():
    # Web threads keep their connection between requests (as the receivers do).
    db.connect(reuse_if_open=True)
    redirect_to_login = auth.require_login()
    if redirect_to_login is not None:
        return redirect_to_login
    check_csrf()
    return None


@blueprint.after_request
def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "logpage.static":
        # Staff pages show live data and personal sessions: never from a shared cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@blueprint.errorhandler(HTTPException)
def _http_error(exc):
    # Staff pages answer errors as pages; the app's other paths keep their JSON answers.
    return render_template("logpage/error.html", error=exc), exc.code


def _truthy(value):
    return str(value).lower() in ("1", "true", "yes", "on") if value is not None else False


def init_app(app):
    """Register the staff pages on app, with the session cookie settings they rely on."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_SECURE"] = _truthy(app.config.get("SESSION_COOKIE_SECURE"))
    # Flask's default is 31 days, renewed by every request; a staff session lasts a working
    # day from sign-in (checked on the server too, see auth.require_login), never extended.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        hours=float(app.config.get("SESSION_LIFETIME_HOURS") or 12))
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.extensions["pearlbridge_login_limiter"] = LoginLimiter(
        app.extensions["pearlbridge_queue"][0])
    # Brightpearl's lists as the poller last stored them: the page never waits on Brightpearl.
    app.extensions.setdefault("pearlbridge_reference_data", stored_reference_data)
    app.config["LOGPAGE_CSP"] = CSP
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.filters["when"] = _when
    app.jinja_env.filters["redact"] = _redact
    app.jinja_env.filters["duration"] = _duration
    app.jinja_env.filters["size"] = _size
    app.jinja_env.filters["days"] = lambda d: f"{d:g} days" if d else "never"
    app.jinja_env.filters["redact_cut"] = _redact_cut
    app.register_blueprint(blueprint)
    return app


def _when(value):
    """A UTC timestamp as staff read it (seconds precision)."""
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "—"


def _duration(seconds):
    """Seconds as staff read them: 45 s, 12 min, 3.5 h, 2 days."""
    if seconds is None:
        return "—"
    for limit, unit, size in ((120, "s", 1), (7200, "min", 60), (172800, "h", 3600)):
        if seconds < limit:
            return f"{seconds / size:.0f} {unit}" if unit != "h" else f"{seconds / size:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _size(count):
    """Bytes as staff read them (KB, MB, GB)."""
    if count is None:
        return "unknown"
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return ""


def _redact(text):
    """Template filter: text with secrets removed (see logpage.redact)."""
    return redact(text, secret_values(current_app.config))


def _redact_cut(text, limit):
    """Template filter: the first limit characters of text, secrets removed before the cut."""
    return redact_cut(text, secret_values(current_app.config), limit)
