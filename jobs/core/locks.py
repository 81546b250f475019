"""One holder at a time, across every worker: Redis locks around work that must not overlap."""
from contextlib import contextmanager

from redis.exceptions import LockError, RedisError

from connectors.errors import TransientError
from jobs.core.context import job_redis
from jobs.core.queues import JOB_TIMEOUT


@contextmanager
def exclusive(name, seconds=JOB_TIMEOUT, wait=None):
    """Hold a Redis lock for the block (yielded, so a long holder can extend it); TransientError
    (so RQ retries) if it stays taken for wait seconds (default: half its lifetime)."""
    lock = job_redis().lock(name, timeout=seconds,
                            blocking_timeout=seconds / 2 if wait is None else wait)
    try:
        acquired = lock.acquire()
    except RedisError as exc:
        raise TransientError(f"the queue's Redis is unavailable: {exc}") from exc
    if not acquired:
        raise TransientError("another sync of the same records is still running")
    try:
        yield lock
    finally:
        try:
            lock.release()
        except LockError:
            pass  # expired meanwhile: the next holder already has it
