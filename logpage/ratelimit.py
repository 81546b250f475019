"""Failed sign-in limits: 5 failures per username and address per 15 minutes.

Counted in Redis (shared by every web process, expiring by itself). While Redis is down the
count falls back to this process's memory: weaker than shared, but never unlimited.
"""
import hashlib
import logging
import threading
import time

import redis

log = logging.getLogger(__name__)
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
_PREFIX = "pearlbridge:login-failures:"


class LoginLimiter:
    """Counts failed sign-ins per (username, address) in a fixed window."""

    def __init__(self, connection, max_failures=MAX_FAILURES, window=WINDOW_SECONDS):
        self.connection, self.max_failures, self.window = connection, max_failures, window
        self._local, self._lock = {}, threading.Lock()

    def _key(self, username, address):
        # Hashed: usernames typed at the login form are not stored in Redis as they are.
        digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
        return _PREFIX + digest[:40]

    def retry_after(self, username, address):
        """Seconds until another attempt is allowed, or 0 when one is allowed now."""
        key = self._key(username, address)
        try:
            count = int(self.connection.get(key) or 0)
            if count < self.max_failures:
                return 0
            return max(int(self.connection.ttl(key)), 1)
        except redis.RedisError:
            return self._local_retry_after(key)

    def failed(self, username, address):
        """Count one failed attempt."""
        key = self._key(username, address)
        try:
            pipe = self.connection.pipeline()
            # The window starts at the first failure and is not extended by later ones.
            pipe.set(key, 0, ex=self.window, nx=True)
            pipe.incr(key)
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("login limiter: Redis unavailable, counting in memory (%s)", exc)
            with self._lock:
                count, started = self._local.get(key, (0, time.monotonic()))
                if time.monotonic() - started > self.window:
                    count, started = 0, time.monotonic()
                self._local[key] = (count + 1, started)

    def succeeded(self, username, address):
        """Forget the failures of a user who signed in."""
        key = self._key(username, address)
        with self._lock:
            self._local.pop(key, None)
        try:
            self.connection.delete(key)
        except redis.RedisError:
            pass

    def _local_retry_after(self, key):
        with self._lock:
            count, started = self._local.get(key, (0, 0.0))
        left = self.window - (time.monotonic() - started)
        return int(left) + 1 if count >= self.max_failures and left > 0 else 0
