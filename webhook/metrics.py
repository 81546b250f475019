"""GET /metrics: Prometheus text format, computed per scrape; a bearer token when one is set."""
import hmac

from flask import Blueprint, Response, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from models.db import db
from monitoring.metrics import Collector

blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
def metrics():
    """Every metric, read now; 401 unless the METRICS_TOKEN bearer token matches (when set)."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    if token and not _bearer_matches(request.headers.get("Authorization", ""), token):
        response = jsonify(message="a valid bearer token is required")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    db.connect(reuse_if_open=True)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector(current_app.config, current_app.extensions["pearlbridge_queue"][0]))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def _bearer_matches(header, token):
    scheme, _, sent = header.partition(" ")
    # compare_digest on bytes: constant time whatever the token's characters.
    return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(),
                                                              token.encode())
