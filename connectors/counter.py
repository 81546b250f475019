"""Counts of every API call, per platform, endpoint template and outcome (ok / transient /
permanent / throttled): in memory for one process, or in Redis shared by all of them — a hash
of totals since the start, and one hash per five minutes (kept two hours) for recent rates."""
import threading
import time
from collections import defaultdict

OUTCOMES = ("ok", "transient", "permanent", "throttled")
DEFAULT_KEY = "pearlbridge:api-calls"
BUCKET_SECONDS = 300
BUCKET_TTL_SECONDS = 2 * 3600
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
                # One round trip: the total and the current five-minute bucket.
                bucket = bucket_key(self.key, time.time())
                pipe = self.redis.pipeline(transaction=False)
                pipe.hincrby(self.key, field, 1)
                pipe.hincrby(bucket, field, 1)
                pipe.expire(bucket, BUCKET_TTL_SECONDS)
                pipe.execute()
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
            buckets = list(self.redis.scan_iter(match=f"{self.key}:*", count=500))
            self.redis.delete(self.key, *buckets)
        with self._lock:
            self._local.clear()


def read_counts(redis, key=DEFAULT_KEY):
    """The shared counts in Redis as {platform: {endpoint: {outcome: n}}}."""
    counts = {}
    for field, value in redis.hgetall(key).items():
        _add(counts, field.decode() if isinstance(field, bytes) else field, int(value))
    return counts


def bucket_key(key, at):
    """The Redis hash counting the five minutes that contain the epoch time at."""
    return f"{key}:{int(at // BUCKET_SECONDS)}"


def recent_counts(redis, seconds=3600, key=DEFAULT_KEY, now=None):
    """Counts of the last `seconds` (to the five minutes), as {platform: {endpoint: {outcome}}}."""
    now = time.time() if now is None else now
    first, last = int((now - seconds) // BUCKET_SECONDS) + 1, int(now // BUCKET_SECONDS)
    pipe = redis.pipeline(transaction=False)
    for bucket in range(first, last + 1):
        pipe.hgetall(f"{key}:{bucket}")
    counts = {}
    for fields in pipe.execute():
        for field, value in fields.items():
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
