"""Leader election on Redis: one poller works, others stand by and take over when it dies."""
import uuid

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class LeaderLock:
    """A Redis key held with a random token and an expiry, renewed while its holder lives."""

    def __init__(self, connection, key, ttl_seconds=15):
        self.connection, self.key = connection, key
        self.ttl_ms = int(ttl_seconds * 1000)
        self.token = uuid.uuid4().hex.encode()
        self._renew = connection.register_script(_RENEW)
        self._release = connection.register_script(_RELEASE)

    def acquire_or_renew(self):
        """Become or stay the leader; True while this process holds the lock."""
        if self._renew(keys=[self.key], args=[self.token, self.ttl_ms]):
            return True
        return bool(self.connection.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def release(self):
        """Give the lock up at once (on shutdown) so a standby takes over without waiting."""
        self._release(keys=[self.key], args=[self.token])

    def holder(self):
        """The token of the current leader, or None."""
        return self.connection.get(self.key)
