"""Request throttling: N requests per period per pool, answered with 503 beyond (§2, H-THR)."""
import threading
import time

THROTTLED_BODY = {
    "response": "You have sent too many requests. Please wait before sending another request"}


class Throttle:
    """Counts requests per pool in periods that start with the first request after the last one.

    A period of window_seconds opens on the first request and closes window_seconds later, so
    brightpearl-next-throttle-period counts down like the recorded 41–57 s values do; once a
    pool has used its rate, every request is refused until the period ends (H-THR).
    """

    def __init__(self, rate_per_minute=200, window_seconds=60):
        self._lock = threading.Lock()
        self.rate, self.window = int(rate_per_minute), float(window_seconds)
        self._periods = {}

    def configure(self, rate_per_minute=None, window_seconds=None):
        """Change the rate and/or window; running periods are dropped."""
        with self._lock:
            if rate_per_minute is not None:
                self.rate = int(rate_per_minute)
            if window_seconds is not None:
                self.window = float(window_seconds)
            self._periods.clear()

    def hit(self, pool):
        """Count one request; returns (allowed, remaining, next_period_ms)."""
        with self._lock:
            now = time.monotonic()
            period = self._current(pool, now)
            next_ms = max(0, int((period[0] + self.window - now) * 1000))
            if period[1] >= self.rate:
                return False, 0, next_ms
            period[1] += 1
            return True, self.rate - period[1], next_ms

    def exhaust(self, pools):
        """Use up the budget of every pool given (and those already counting) right now."""
        with self._lock:
            now = time.monotonic()
            for pool in set(pools) | set(self._periods):
                self._periods[pool] = [now, self.rate]

    def snapshot(self):
        """The configuration and each pool's used count and milliseconds left."""
        with self._lock:
            now = time.monotonic()
            pools = {}
            for pool, (start, used) in self._periods.items():
                if now - start < self.window:
                    pools["/".join(pool)] = {"used": used,
                                             "nextPeriodMs": int((start + self.window - now) * 1000)}
            return {"rate_per_minute": self.rate, "window_seconds": self.window, "pools": pools}

    def _current(self, pool, now):
        period = self._periods.get(pool)
        if period is None or now - period[0] >= self.window:
            period = self._periods[pool] = [now, 0]
        return period
