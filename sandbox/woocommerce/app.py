"""The WooCommerce emulator's app factory: routes, auth, faults and request counting wired together."""
import secrets

from flask import Flask, request

from . import batch, categories, control, drift, orders, products, refunds, tracking, webhooks
from .auth import authenticate, permission_error
from .context import EXTENSION
from .delivery import Dispatcher
from .errors import WooError, no_route, respond
from .faults import Faults, RequestLog
from .store import DEFAULT_TIMEZONE, State


class Emulator:
    """One emulated store: its state, webhook dispatcher, faults, request counts and keys."""

    def __init__(self, consumer_key, consumer_secret, state, site_url, delivery):
        self.consumer_key, self.consumer_secret, self.state = consumer_key, consumer_secret, state
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self._learned_url = None
        self.salt = secrets.token_hex(16)  # stands in for the WordPress auth salt of wp_hash()
        self.dispatcher = Dispatcher(self, **delivery)
        self.faults, self.requests = Faults(), RequestLog()

    def learn(self, host_url):
        """Remember the URL the store is reached at, for _links and X-WC-Webhook-Source."""
        self._learned_url = self._learned_url or host_url

    def source_url(self):
        """home_url('/'): the site URL with a trailing slash (§1.1)."""
        return self.site_url or self._learned_url or "http://localhost/"


def create_app(consumer_key="ck_sandbox", consumer_secret="cs_sandbox", tracking_extension=True,
               state_path=None, *, delivery_delay=0.2, delivery_timeout=60.0, max_failures=5,
               site_url=None, utc_offset_hours=None, timezone=DEFAULT_TIMEZONE):
    """A Flask app emulating a WooCommerce store's REST API, webhooks and Shipment Tracking."""
    app = Flask(__name__)
    state = State(state_path, utc_offset_hours, tracking_extension, timezone)
    emulator = Emulator(consumer_key, consumer_secret, state, site_url,
                        {"delay": delivery_delay, "timeout": delivery_timeout, "max_failures": max_failures})
    app.extensions[EXTENSION] = emulator
    for module in (batch, categories, products, orders, refunds, tracking, webhooks, control,
                   drift):
        app.register_blueprint(module.bp)

    @app.before_request
    def _gate():
        if not request.path.startswith("/wp-json/"):
            return None
        emulator.learn(request.host_url)
        emulator.requests.record(request.method, request.url_rule)
        fault = emulator.faults.apply(request.path, request.method)
        if fault is not None:
            return fault
        authenticated = authenticate(emulator.consumer_key, emulator.consumer_secret)
        if request.path.startswith(tracking.PREFIX + "/") and not state.settings["tracking_extension"]:
            raise no_route()  # the extension's routes are not registered
        if request.url_rule is not None and not authenticated and request.endpoint != "woo_tracking.providers":
            raise permission_error()
        return None

    @app.errorhandler(WooError)
    def _woo_error(error):
        return error.to_response()

    @app.errorhandler(404)
    @app.errorhandler(405)
    def _no_route(_error):
        return no_route().to_response()

    @app.errorhandler(Exception)
    def _crash(error):
        if hasattr(error, "code") and hasattr(error, "get_response"):
            return error  # other HTTP errors keep Werkzeug's answer
        app.logger.exception("emulator error")
        return respond({"code": "internal_server_error", "message": "There has been a critical error on "
                        "this website.", "data": {"status": 500}, "additional_errors": []}, 500)

    return app
