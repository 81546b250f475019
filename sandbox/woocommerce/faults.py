"""Injected faults (errors, latency, timeouts) and the per-route request counts benchmarks read."""
import random
import re
import threading
import time
from collections import Counter

from flask import Response

from .errors import WooError, respond

_CRITICAL = ("<p>There has been a critical error on this website.</p><p><a href=\"https://wordpress.org/"
             "documentation/article/faq-troubleshooting/\">Learn more about troubleshooting WordPress.</a></p>")


class Faults:
    """Rules {route regex, method, error_rate, status, latency_ms, timeout_seconds, count}."""

    def __init__(self, seed=0):
        self._rules, self._lock, self._rng = [], threading.Lock(), random.Random(seed)

    def add(self, spec):
        """Validate and add a rule; returns it as stored."""
        try:
            rule = {"route": re.compile(spec.get("route", ".*")), "method": (spec.get("method") or "").upper(),
                    "error_rate": float(spec.get("error_rate", 1.0 if spec.get("status") else 0.0)),
                    "status": int(spec.get("status", 500)), "latency_ms": spec.get("latency_ms", 0),
                    "timeout_seconds": spec.get("timeout_seconds"), "count": spec.get("count"),
                    "retry_after": str(spec.get("retry_after", 1))}
        except (re.error, TypeError, ValueError) as exc:
            raise WooError(400, "sandbox_invalid_fault", str(exc)) from None
        with self._lock:
            self._rules.append(rule)
        return self.describe(rule)

    def clear(self):
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def list(self):
        """The active rules, JSON-friendly."""
        with self._lock:
            return [self.describe(rule) for rule in self._rules]

    @staticmethod
    def describe(rule):
        """A rule as the control API shows it."""
        return dict(rule, route=rule["route"].pattern)

    def apply(self, path, method):
        """Sleep for matching latency; return an error response if a rule fires, else None."""
        with self._lock:
            rule = next((r for r in self._rules if r["route"].search(path)
                         and (not r["method"] or r["method"] == method)), None)
            if rule is None:
                return None
            fires = self._rng.random() < rule["error_rate"] or rule["timeout_seconds"] is not None
            if rule["count"] is not None and (fires or not rule["error_rate"]):
                rule["count"] -= 1
                if rule["count"] <= 0:
                    self._rules.remove(rule)
            latency = rule["latency_ms"]
            delay = self._rng.uniform(*latency) if isinstance(latency, list) else float(latency or 0)
        time.sleep(delay / 1000)
        if rule["timeout_seconds"] is not None:
            time.sleep(float(rule["timeout_seconds"]))  # the host gives up on a hung PHP worker
            return _html(504, "Gateway Timeout")
        return _error(rule) if fires else None


def _error(rule):
    status = rule["status"]
    if status == 429:
        return Response("Too Many Requests", 429, {"Retry-After": rule["retry_after"]}, content_type="text/plain")
    if status == 500:
        return respond({"code": "internal_server_error", "message": _CRITICAL, "data": {"status": 500},
                        "additional_errors": []}, 500)
    if status >= 500:
        return _html(status, {502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Server Error"))
    return respond({"code": "sandbox_fault", "message": "Injected fault.", "data": {"status": status}}, status)


def _html(status, title):
    page = f"<html><head><title>{status} {title}</title></head><body><h1>{title}</h1></body></html>"
    return Response(page, status, content_type="text/html")


class RequestLog:
    """How many API calls each (method, route template) received."""

    def __init__(self):
        self._counts, self._lock = Counter(), threading.Lock()

    def record(self, method, rule):
        """Count one request; rule is the Flask rule or None when no route matched."""
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) if rule is not None else "(no route)"
        with self._lock:
            self._counts[f"{method} {template}"] += 1

    def snapshot(self):
        """{"counts": {"GET /wp-json/…": n}, "total": n}."""
        with self._lock:
            return {"counts": dict(self._counts), "total": sum(self._counts.values())}

    def reset(self):
        """Forget all counts."""
        with self._lock:
            self._counts.clear()
