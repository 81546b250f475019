"""Counts of API calls per (method, route template), including how many were throttled."""
import threading


class RequestLog:
    """What benchmarks read to count the API calls a run made."""

    def __init__(self):
        self._lock, self._counts = threading.Lock(), {}

    def record(self, method, route, status, throttled):
        """Count one answered request."""
        with self._lock:
            entry = self._counts.setdefault((method, route), {"count": 0, "throttled": 0, "statuses": {}})
            entry["count"] += 1
            entry["throttled"] += int(throttled)
            entry["statuses"][str(status)] = entry["statuses"].get(str(status), 0) + 1

    def snapshot(self):
        """Totals and one row per (method, route), busiest first."""
        with self._lock:
            routes = [dict(method=m, route=r, **{k: (dict(v) if isinstance(v, dict) else v) for k, v in e.items()})
                      for (m, r), e in self._counts.items()]
        routes.sort(key=lambda r: (-r["count"], r["route"], r["method"]))
        return {"total": sum(r["count"] for r in routes),
                "throttled": sum(r["throttled"] for r in routes), "routes": routes}

    def clear(self):
        """Start counting from zero."""
        with self._lock:
            self._counts = {}
