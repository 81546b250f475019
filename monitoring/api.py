"""API calls as the clients counted them, and the shared Brightpearl budget, read from Redis."""
from dataclasses import dataclass

from connectors.counter import OUTCOMES, read_counts, recent_counts
from connectors.ratelimit import RedisBudget


@dataclass
class Budget:
    """Brightpearl requests granted in the current window, of how many allowed."""

    used: int
    rate: int
    window_seconds: float

    @property
    def remaining(self):
        """Requests still allowed in the current window."""
        return max(0, self.rate - self.used)


def budget(settings, redis_connection):
    """The shared budget of the configured Brightpearl account."""
    rate = int(settings.get("BRIGHTPEARL_RATE_PER_MINUTE") or 190)
    window = float(settings.get("BRIGHTPEARL_BUDGET_WINDOW_SECONDS") or 60)
    limiter = RedisBudget(redis_connection, settings["BRIGHTPEARL_ACCOUNT"], rate=rate,
                          window_seconds=window)
    return Budget(int(limiter.used()), rate, window)


def call_rows(counts):
    """[(platform, route, {outcome: n}, total)] sorted by platform, then busiest route first."""
    rows = []
    for platform, routes in counts.items():
        for route, outcomes in routes.items():
            full = {outcome: outcomes.get(outcome, 0) for outcome in OUTCOMES}
            rows.append((platform, route, full, sum(full.values())))
    return sorted(rows, key=lambda r: (r[0], -r[3], r[1]))


def calls_last_hour(redis_connection):
    """Rows of call_rows() for the last hour."""
    return call_rows(recent_counts(redis_connection, 3600))


def calls_total(redis_connection):
    """Rows of call_rows() since the counters began."""
    return call_rows(read_counts(redis_connection))
