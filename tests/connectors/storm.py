"""A storm worker (importable by spawned processes): threads hammering Brightpearl GETs
through one client with the shared Redis budget, reporting what reached the callers."""
import threading
import time

import redis

from connectors.brightpearl import BrightpearlClient
from connectors.errors import ThrottledError


def hammer(settings, redis_url, seconds, threads, priorities=("interactive", "bulk")):
    """Run threads workers for seconds; returns {"ok", "throttled", "errors", "grants"}."""
    connection = redis.Redis.from_url(redis_url)
    client = BrightpearlClient.from_config(settings, redis=connection)
    result = {"ok": 0, "throttled": 0, "errors": [], "grants": []}
    lock, stop_at = threading.Lock(), time.monotonic() + seconds
    acquire = client.budget.acquire

    def recording_acquire(*args, **kwargs):
        # Grant times on Redis's clock (ms), the same for every process.
        ticket = acquire(*args, **kwargs)
        with lock:
            result["grants"].append(ticket.granted_at_ms)
        return ticket

    client.budget.acquire = recording_acquire

    def worker(index):
        view = client.with_priority(priorities[index % len(priorities)])
        while time.monotonic() < stop_at:
            try:
                view.get_warehouses()
                outcome = "ok"
            except ThrottledError:
                outcome = "throttled"
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                with lock:
                    result["errors"].append(repr(exc))
                continue
            with lock:
                result[outcome] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return result


def hammer_into(queue, *args):
    """hammer() for a child process: the result goes into queue."""
    queue.put(hammer(*args))
