"""The Brightpearl emulator's app factory and the request pipeline every API call goes through."""
import time
import uuid
from dataclasses import dataclass

from flask import Flask, g, request

from . import auth
from .delivery import Dispatcher
from .envelope import ApiError, raw
from .faults import Faults
from .oauth import OAuth
from .requestlog import RequestLog
from .store import State
from .throttle import THROTTLED_BODY, Throttle

INSTANCE_ID = 13  # the installation_instance_id OAuth hands out (VCR shows "13")


@dataclass
class Config:
    """Credentials and identity of the emulated account."""

    account: str
    app_ref: str
    staff_token: str
    account_token: str | None
    dev_ref: str
    oauth_client_id: str
    oauth_client_secret: str | None
    instance_id: int = INSTANCE_ID
    oauth_redirect_uri: str | None = None  # the app's registered redirect; None accepts any


class Emulator:
    """Everything one emulated account holds: config, state, budget, hooks, faults, counters."""

    def __init__(self, config, rate_per_minute, window_seconds, state_path):
        self.config = config
        self.state = State(state_path)
        self.throttle = Throttle(rate_per_minute, window_seconds)
        self.oauth = OAuth(self.state)
        self.events = Dispatcher(self)
        self.faults = Faults()
        self.requests = RequestLog()
        # Whether API-created orders allocate stock depends on account settings (UNCONFIRMED);
        # allocating is the stricter choice: onHand drops without a goods movement.
        self.settings = {"auto_allocate": True}
        self._defaults = (rate_per_minute, window_seconds, dict(self.events.settings))

    def restore_defaults(self):
        """Put the budget, delivery and account settings back to their initial values."""
        rate, window, delivery = self._defaults
        self.throttle.configure(rate, window)
        self.events.settings.update(delivery)
        self.settings["auto_allocate"] = True


def create_app(account="sandbox", app_ref="sandbox_pearlbridge", staff_token="sandbox-staff-token",
               account_token=None, dev_ref="sandbox-dev", oauth_client_id="sandbox-oauth-app",
               oauth_client_secret=None, rate_per_minute=200, window_seconds=60, state_path=None,
               oauth_redirect_uri=None):
    """Build the emulator: the API under /public-api/{account}/, OAuth, and /_sandbox control."""
    from . import (availability, contacts, control, control_staff, credits, drift, goodsin,
                   notes, orders, ordersearch, payments, prices, products, reference, webhooks)
    from .oauth import blueprint as oauth_blueprint

    app = Flask(__name__)
    app.json.sort_keys = False
    app.url_map.strict_slashes = False
    config = Config(account, app_ref, staff_token, account_token, dev_ref, oauth_client_id,
                    oauth_client_secret, oauth_redirect_uri=oauth_redirect_uri)
    emu = app.extensions["brightpearl"] = Emulator(config, rate_per_minute, window_seconds, state_path)
    for module in (reference, products, prices, availability, contacts, orders, ordersearch,
                   credits, payments, notes, goodsin, webhooks):
        app.register_blueprint(module.blueprint, url_prefix="/public-api/<account>")
    app.register_blueprint(oauth_blueprint)
    app.register_blueprint(control.blueprint, url_prefix="/_sandbox")
    app.register_blueprint(control_staff.blueprint, url_prefix="/_sandbox")
    app.register_blueprint(drift.blueprint, url_prefix="/_sandbox")
    app.before_request(lambda: _before(emu))
    app.after_request(lambda response: _after(emu, response))
    app.register_error_handler(ApiError, lambda exc: exc.to_response())
    app.register_error_handler(404, lambda exc: _not_found())
    app.register_error_handler(405, lambda exc: raw(
        {"errors": [{"code": "CMNC-405", "message": "Method not allowed"}]}, 405))
    return app


def _not_found():
    return raw({"errors": [{"code": "CMNC-404", "message": "Resource not found"}]}, 404)


def _before(emu):
    """Throttle, inject faults, authenticate: in that order, so every call costs budget."""
    g.bp_started = time.perf_counter()
    path = request.path
    if path.startswith("/_sandbox"):
        return None
    if path.startswith("/public-api/"):
        account = path.split("/")[2]
        if account != emu.config.account:
            # An unknown account code: the sandbox answers like a missing resource (UNCONFIRMED).
            return _not_found()
        pool = auth.pool_for(emu.config, request.headers)
        allowed, remaining, next_ms = emu.throttle.hit(pool)
        g.bp_throttle = (remaining, next_ms)
        if not allowed:
            g.bp_throttled = True
            return raw(THROTTLED_BODY, 503)
    failure, delay = emu.faults.apply(request.method, path)
    g.bp_delay = delay
    if failure is not None:
        return failure
    if path.startswith("/public-api/"):
        try:
            g.bp_auth = auth.authenticate(emu.config, emu.oauth, request.headers)
        except ApiError as exc:
            return exc.to_response()
    return None


def _after(emu, response):
    """Add the throttle headers, count the call, deliver raised events, persist, delay."""
    if request.path.startswith("/_sandbox"):
        emu.events.flush(response.status_code < 400)
        if request.method != "GET":
            emu.state.save()
        return response
    throttle = g.get("bp_throttle")
    if throttle is not None:
        response.headers["brightpearl-requests-remaining"] = str(throttle[0])
        response.headers["brightpearl-next-throttle-period"] = str(throttle[1])
        response.headers["Brightpearl-Installed-Integration-Instance-Id"] = str(emu.config.instance_id)
        response.headers["Ruid"] = uuid.uuid4().hex
    rule = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    emu.requests.record(request.method, rule, response.status_code, g.get("bp_throttled", False))
    emu.events.flush(response.status_code < 400)
    if request.method != "GET" and response.status_code < 400:
        emu.state.save()
    if g.get("bp_delay"):
        time.sleep(g.bp_delay)
    return response
