"""Sign-in limits: 5 tries per username and address per 15 minutes, a success clears them.

Every try is counted before its password is checked, in one Redis transaction that also
answers whether it is allowed, so parallel tries cannot get more password checks than the
limit. Counted in Redis (shared by every web process, expiring by itself); while Redis is
down the count falls back to this process's memory: weaker than shared, but never unlimited.
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
    """Counts sign-in tries per (username, address) in a fixed window."""

    def __init__(self, connection, max_failures=MAX_FAILURES, window=WINDOW_SECONDS):
        self.connection, self.max_failures, self.window = connection, max_failures, window
        self._local, self._lock = {}, threading.Lock()

    def _key(self, username, address):
        # Hashed: usernames typed at the login form are not stored in Redis as they are.
        digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
        return _PREFIX + digest[:40]

    def attempt(self, username, address):
        """Count one try; 0 when it may go ahead, else the seconds until one may."""
        key = self._key(username, address)
        try:
            pipe = self.connection.pipeline()  # MULTI/EXEC: one atomic step
            # The window starts at the first try and is not extended by later ones.
            pipe.set(key, 0, ex=self.window, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, count, ttl = pipe.execute()
        except redis.RedisError as exc:
            log.warning("login limiter: Redis unavailable, counting in memory (%s)", exc)
            return self._local_attempt(key)
        return 0 if count <= self.max_failures else max(int(ttl), 1)

    def succeeded(self, username, address):
        """Forget the tries of a user who signed in."""
        key = self._key(username, address)
        with self._lock:
            self._local.pop(key, None)
        try:
            self.connection.delete(key)
        except redis.RedisError:
            pass

    def _local_attempt(self, key):
        with self._lock:
            now = time.monotonic()
            count, started = self._local.get(key, (0, now))
            if now - started > self.window:
                count, started = 0, now
            if len(self._local) > 10_000:  # many names tried while Redis is down
                self._local = {k: v for k, v in self._local.items()
                               if now - v[1] <= self.window}
            self._local[key] = (count + 1, started)
        left = self.window - (now - started)
        return 0 if count + 1 <= self.max_failures else int(left) + 1
