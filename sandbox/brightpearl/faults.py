"""Injected faults for the API: latency, error answers and slow (timed-out) answers by route."""
import json
import random
import re
import threading
import time

from flask import Response

_DEFAULT_BODIES = {
    500: {"errors": [{"code": "CMNU-003", "message": "Internal server error"}]},
    503: {"response": "Service Temporarily Unavailable"},
}


class Faults:
    """Rules matched by regex on the path (and optionally the method), applied in order."""

    def __init__(self, seed=None):
        self._lock, self._rules, self._ids = threading.Lock(), [], 0
        self._random = random.Random(seed)

    def add(self, spec):
        """Add a rule from the control API's body; returns it (ValueError when invalid)."""
        re.compile(spec.get("route", ".*"))
        latency = spec.get("latency_ms", 0)
        if isinstance(latency, (list, tuple)) and len(latency) != 2:
            raise ValueError("latency_ms is a number or [min, max]")
        with self._lock:
            self._ids += 1
            rule = {"id": self._ids, "route": spec.get("route", ".*"),
                    "method": (spec.get("method") or "").upper() or None,
                    "error_rate": float(spec.get("error_rate", 1.0 if "status" in spec else 0.0)),
                    "status": int(spec.get("status", 500)), "body": spec.get("body"),
                    "latency_ms": latency, "timeout_seconds": float(spec.get("timeout_seconds") or 0),
                    "count": spec.get("count"), "fired": 0}
            self._rules.append(rule)
            return dict(rule)

    def clear(self):
        """Remove every rule."""
        with self._lock:
            self._rules = []

    def list(self):
        """The current rules."""
        with self._lock:
            return [dict(r) for r in self._rules]

    def apply(self, method, path):
        """Sleep for matching latency; returns (error response or None, delay after answering)."""
        sleep, delay, failure = 0.0, 0.0, None
        with self._lock:
            for rule in list(self._rules):
                if rule["method"] and rule["method"] != method or not re.search(rule["route"], path):
                    continue
                latency = rule["latency_ms"]
                if isinstance(latency, (list, tuple)):
                    latency = self._random.uniform(*latency)
                sleep += float(latency or 0) / 1000
                fails = failure is None and rule["error_rate"] > 0 and self._random.random() < rule["error_rate"]
                if fails:
                    failure = self._response(rule)
                delay += rule["timeout_seconds"]
                if fails or rule["error_rate"] == 0:
                    rule["fired"] += 1
                    if rule["count"] is not None and rule["fired"] >= int(rule["count"]):
                        self._rules.remove(rule)
        if sleep:
            time.sleep(sleep)
        return failure, delay

    @staticmethod
    def _response(rule):
        body = rule["body"] if rule["body"] is not None else _DEFAULT_BODIES.get(
            rule["status"], _DEFAULT_BODIES[500])
        if isinstance(body, str):
            return Response(body, status=rule["status"], mimetype="text/html")
        return Response(json.dumps(body), status=rule["status"], mimetype="application/json")
