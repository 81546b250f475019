"""The shared Brightpearl budget: one Redis-backed limiter per account, used by every process.

Brightpearl allows 200 requests per rolling minute per account and answers 503 beyond (§2).
Every process spends from one sliding log in Redis (a sorted set of request times, updated by
an atomic Lua script on Redis's own clock), so the whole service stays under `rate` per
`window`. Part of the budget is held back for interactive (webhook-driven) work so bulk sweeps
cannot starve it. The platform's own headers correct us when it knows better (another app
spending the shared pool), and a throttling 503 pauses every process for the period it named.
"""
import uuid
from dataclasses import dataclass

from config import bulk_limit
from connectors.errors import ThrottledError
from connectors.transport import Clock, jitter

PRIORITIES = ("interactive", "bulk")
REMAINING = "brightpearl-requests-remaining"
NEXT_PERIOD = "brightpearl-next-throttle-period"

# KEYS: log, platform, blocked. ARGV: window_ms, limit, member, keep.
# Returns {granted, wait_ms, now_ms}.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, limit, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
if blocked > now then return {0, blocked - now, now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
if used >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], used - limit, used - limit, 'WITHSCORES')
  return {0, math.max(1, tonumber(oldest[2]) + window - now), now}
end
local p = redis.call('HMGET', KEYS[2], 'remaining', 'reset_at', 'observed_at')
if p[1] and tonumber(p[2]) > now then
  local since = redis.call('ZCOUNT', KEYS[1], p[3], '+inf')
  if tonumber(p[1]) - since <= keep then return {0, math.max(1, tonumber(p[2]) - now), now} end
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window * 2)
return {1, 0, now}
"""

# KEYS: log, platform. ARGV: remaining, next_ms, observed_at_ms, window_ms.
# Keeps whichever observation leaves fewer requests available now (the platform may know of
# spending we don't); an observation whose period has ended is replaced.
_OBSERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local remaining, reset_at, observed = tonumber(ARGV[1]), now + tonumber(ARGV[2]), ARGV[3]
local p = redis.call('HMGET', KEYS[2], 'remaining', 'reset_at', 'observed_at')
if p[1] and tonumber(p[2]) > now then
  local old = tonumber(p[1]) - redis.call('ZCOUNT', KEYS[1], p[3], '+inf')
  local new = remaining - redis.call('ZCOUNT', KEYS[1], observed, '+inf')
  if new >= old then return 0 end
end
redis.call('HSET', KEYS[2], 'remaining', remaining, 'reset_at', reset_at, 'observed_at', observed)
redis.call('PEXPIRE', KEYS[2], math.max(tonumber(ARGV[2]), tonumber(ARGV[4])) + 1000)
return 1
"""

# KEYS: blocked, platform. ARGV: wait_ms. Every process pauses until the platform's period ends.
_BLOCK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untl = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untl > current then redis.call('SET', KEYS[1], untl, 'PX', tonumber(ARGV[1]) + 1000) end
redis.call('HSET', KEYS[2], 'remaining', 0, 'reset_at', untl, 'observed_at', now)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[1]) + 1000)
return untl
"""


@dataclass
class Ticket:
    """Permission for one request, with the budget's clock time (ms) when it was granted."""

    granted_at_ms: int
    priority: str


class RedisBudget:
    """A per-account rate limiter shared by every process through one raw Redis client."""

    def __init__(self, redis, account, *, rate=190, window_seconds=60.0, interactive_share=0.15,
                 max_wait_seconds=120.0, headroom=0, prefix="pearlbridge:bp-budget", clock=None):
        if rate < 1:
            raise ValueError("rate must be at least 1")
        self.redis, self.account = redis, account
        self.rate, self.window_ms = int(rate), int(float(window_seconds) * 1000)
        # Interactive work may spend the whole budget; bulk work stops short of the reserve.
        self.reserve = self.rate - bulk_limit(self.rate, interactive_share)
        self.max_wait_seconds, self.headroom = float(max_wait_seconds), int(headroom)
        base = f"{prefix}:{account}"
        self.keys = {"log": f"{base}:log", "platform": f"{base}:platform",
                     "blocked": f"{base}:blocked"}
        self.clock = clock or Clock()
        self._acquire = redis.register_script(_ACQUIRE)
        self._observe = redis.register_script(_OBSERVE)
        self._block = redis.register_script(_BLOCK)

    def limit_for(self, priority):
        """How many requests per window priority may spend."""
        if priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}, not {priority!r}")
        return self.rate if priority == "interactive" else self.rate - self.reserve

    def deadline(self):
        """The monotonic time after which a caller stops waiting and sees ThrottledError."""
        return self.clock.now() + self.max_wait_seconds

    def acquire(self, priority="interactive", deadline=None):
        """Wait until one request may be sent; ThrottledError if that is past the deadline."""
        deadline = self.deadline() if deadline is None else deadline
        limit = self.limit_for(priority)
        keep = self.headroom + (0 if priority == "interactive" else self.reserve)
        keys = [self.keys["log"], self.keys["platform"], self.keys["blocked"]]
        while True:
            granted, wait_ms, now_ms = self._acquire(
                keys=keys, args=[self.window_ms, limit, uuid.uuid4().hex, keep])
            if granted:
                return Ticket(int(now_ms), priority)
            self.wait(int(wait_ms) / 1000.0, deadline)

    def observe(self, ticket, headers):
        """Correct the budget from a response's requests-remaining / next-throttle-period."""
        remaining, next_ms = _header_int(headers, REMAINING), _header_int(headers, NEXT_PERIOD)
        if ticket is None or remaining is None or next_ms is None:
            return False
        return bool(self._observe(keys=[self.keys["log"], self.keys["platform"]],
                                  args=[remaining, next_ms, ticket.granted_at_ms, self.window_ms]))

    def penalize(self, wait_seconds):
        """The platform throttled us: pause every process for wait_seconds."""
        self._block(keys=[self.keys["blocked"], self.keys["platform"]],
                    args=[max(1, int(wait_seconds * 1000))])

    def wait(self, seconds, deadline):
        """Sleep seconds (+ jitter), or raise ThrottledError when that would pass the deadline."""
        if self.clock.now() + seconds > deadline:
            raise ThrottledError(
                "Brightpearl's request budget is used up for now; it will be tried again",
                wait_seconds=round(seconds, 3), platform="brightpearl",
                detail=f"waited the maximum {self.max_wait_seconds:g}s; "
                       f"next request possible in {seconds:.1f}s")
        self.clock.sleep(jitter(seconds, spread=0.05, floor=0.005))

    def used(self):
        """Requests granted in the current window (for status pages and tests)."""
        now_ms = _redis_ms(self.redis)
        return self.redis.zcount(self.keys["log"], now_ms - self.window_ms, "+inf")

    def reset(self):
        """Forget every recorded request and observation (tests, benchmarks)."""
        self.redis.delete(*self.keys.values())


class NoBudget:
    """No shared pacing (no Redis given): throttling 503s are still waited out in-process."""

    max_wait_seconds = 120.0

    def __init__(self, max_wait_seconds=120.0, clock=None):
        self.max_wait_seconds, self.clock = float(max_wait_seconds), clock or Clock()

    def deadline(self):
        """The monotonic time after which a caller stops waiting."""
        return self.clock.now() + self.max_wait_seconds

    def acquire(self, priority="interactive", deadline=None):
        """Always granted at once."""
        return None

    def observe(self, ticket, headers):
        """Nothing to correct."""
        return False

    def penalize(self, wait_seconds):
        """Nothing shared to pause; the caller waits itself."""

    wait = RedisBudget.wait


def _header_int(headers, name):
    value = headers.get(name) if headers is not None else None
    try:
        return int(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _redis_ms(redis):
    seconds, micros = redis.time()
    return int(seconds) * 1000 + int(micros) // 1000
