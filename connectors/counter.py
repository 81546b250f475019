"""Counts of every API call, per platform, endpoint template and outcome (ok / transient /
permanent / throttled): in memory for one process, or in a Redis hash shared by all of them."""
import threading
from collections import defaultdict

OUTCOMES = ("ok", "transient", "permanent", "throttled")
DEFAULT_KEY = "pearlbridge:api-calls"
_SEP = "|"


class CallCounter:
    """One counter shared by both clients; with a raw Redis client the counts are shared."""

    def __init__(self, redis=None, key=DEFAULT_KEY):
        self.redis, self.key = redis, key
        self._local = defaultdict(int)
        self._lock = threading.Lock()

    def record(self, platform, endpoint, outcome):
        """Count one call to endpoint ("GET /order-service/order/{ids}") with its outcome."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        field = _SEP.join((platform, endpoint, outcome))
        if self.redis is not None:
            try:
                self.redis.hincrby(self.key, field, 1)
                return
            except Exception:  # noqa: BLE001 - counting must never fail a sync; keep it locally
                pass
        with self._lock:
            self._local[field] += 1

    def counts(self):
        """{platform: {endpoint: {outcome: n}}} for every call recorded so far."""
        if self.redis is not None:
            merged = read_counts(self.redis, self.key)
        else:
            merged = {}
        with self._lock:
            local = dict(self._local)
        for field, value in local.items():
            _add(merged, field, value)
        return merged

    def reset(self):
        """Forget every count (benchmarks start from zero)."""
        if self.redis is not None:
            self.redis.delete(self.key)
        with self._lock:
            self._local.clear()


def read_counts(redis, key=DEFAULT_KEY):
    """The shared counts in Redis as {platform: {endpoint: {outcome: n}}}."""
    counts = {}
    for field, value in redis.hgetall(key).items():
        _add(counts, field.decode() if isinstance(field, bytes) else field, int(value))
    return counts


def totals(counts):
    """Sum nested counts into {platform: {outcome: n}} for a one-line summary."""
    summary = {}
    for platform, endpoints in counts.items():
        per = summary.setdefault(platform, dict.fromkeys(OUTCOMES, 0))
        for outcomes in endpoints.values():
            for outcome, value in outcomes.items():
                per[outcome] = per.get(outcome, 0) + value
    return summary


def _add(counts, field, value):
    platform, rest = field.split(_SEP, 1)
    endpoint, outcome = rest.rsplit(_SEP, 1)
    bucket = counts.setdefault(platform, {}).setdefault(endpoint, {})
    bucket[outcome] = bucket.get(outcome, 0) + value
