"""The poller leader's heartbeat in Redis: written on every tick, read by the Health page,
/metrics and the alert that fires when it goes quiet."""
import os
import socket
import time

KEY = "pearlbridge:poller:heartbeat"
# Kept long after the poller stops, so "silent since" can still be told.
TTL_SECONDS = 7 * 24 * 3600


def identity():
    """Who this process is, as shown on the Health page (host:pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(redis, who, now=None):
    """Record that the leader who ticked at now (epoch seconds)."""
    now = time.time() if now is None else now
    pipe = redis.pipeline(transaction=False)
    pipe.hset(KEY, mapping={"at": repr(now), "who": who})
    pipe.expire(KEY, TTL_SECONDS)
    pipe.execute()


def last_beat(redis):
    """(epoch seconds, who) of the last tick, or (None, None) when none is recorded."""
    values = redis.hgetall(KEY)
    if not values:
        return None, None
    at = values.get(b"at") or values.get("at")
    who = values.get(b"who") or values.get("who") or b""
    return float(at), who.decode() if isinstance(who, bytes) else who
