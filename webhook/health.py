"""GET /healthz: can this process reach its database and Redis?"""
import redis
from flask import Blueprint, current_app, jsonify
from peewee import DatabaseError

from models.db import db

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    """JSON with the database and Redis status; 200 when both answer, else 503."""
    checks = {"database": _check_database(), "redis": _check_redis()}
    healthy = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if healthy else "degraded", **checks)
    response.status_code = 200 if healthy else 503
    return response


def _check_database():
    try:
        with db.connection_context():
            db.execute_sql("SELECT 1")
        return "ok"
    except DatabaseError as exc:
        return f"unavailable: {type(exc).__name__}"


def _check_redis():
    connection = current_app.extensions["pearlbridge_queue"][0]
    try:
        connection.ping()
        return "ok"
    except redis.RedisError as exc:
        return f"unavailable: {type(exc).__name__}"
