"""Composition root: create_app(config=None) -> Flask; app = create_app()."""

from flask import Flask, jsonify, request
from peewee import DatabaseError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings_module
import cli
import logconfig
import logpage
import webhook
from jobs.core.queues import Breaker, redis_client
from models.db import bind, db
from webhook.health import blueprint as health_blueprint
from webhook.metrics import blueprint as metrics_blueprint


def create_app(config=None):
    """Build the web app from the environment, overridden by the config mapping."""
    settings = settings_module.require(settings_module.from_env(overrides=config))
    logconfig.setup(settings)
    webhook.mask_logs()
    app = Flask(__name__)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["WEBHOOK_MAX_BYTES"]
    bind(settings["DATABASE_URL"])
    app.extensions["pearlbridge_queue"] = (redis_client(settings["REDIS_URL"]), Breaker())
    hops = settings["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    webhook.init_app(app)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(metrics_blueprint)
    logpage.init_app(app)
    cli.init_app(app)
    _json_errors(app)
    return app


def _json_errors(app):
    @app.errorhandler(DatabaseError)
    def database_unavailable(exc):
        # Brightpearl retries a 503 (quality of service 1); nothing was stored or enqueued.
        app.logger.error("database unavailable: %s", type(exc).__name__)
        # Each thread keeps its connection between requests (no reconnect per webhook); a
        # broken one is dropped here so the next request connects afresh.
        if not db.is_closed():
            db.close()
        response = jsonify(message="database unavailable, try again")
        response.status_code = 503
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc):
        response = jsonify(message=exc.description)
        response.status_code = exc.code
        return response

    @app.errorhandler(Exception)
    def unexpected_error(exc):
        # In place of Flask's own log line, which names the path: a Brightpearl callback's
        # path carries its secret. The answer names nothing either.
        app.logger.error("unexpected error on %s %s", request.method,
                         webhook.mask_path(request.path), exc_info=exc)
        response = jsonify(message="internal error")
        response.status_code = 500
        return response


def __getattr__(name):
    # `app = create_app()`, built on first use (gunicorn's wsgi:app, flask --app wsgi) rather
    # than at import, so tests can import create_app without a configured environment.
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)
