"""The one lock helper: one holder at a time across every process (a record's run, a customer's
contact, a shipment note, the product run, the stock worker, the poller's leader).

A lock is a Redis key naming its holder (`job:<RQ job id>` or `proc:`, with host and pid) and a
random part. It lives `seconds` — sized from the work it guards, longer than the longest budget
wait (lock_seconds) — and a heartbeat thread renews it while held (redis-py `Lock.reacquire`),
so a live holder never loses it to a slow call. Release is owner-checked. A waiter that finds it
taken asks whether the holder is still alive — its pid is gone on this machine, RQ no longer has
its job as started (or the job's worker stopped beating), or it has not renewed the lock for
STALE_SECONDS — and takes a dead holder's lock over at once, not after the expiry.
"""
import logging
import os
import threading
import time
import uuid
from contextlib import contextmanager

from redis.exceptions import LockError, LockNotOwnedError, RedisError
from rq import get_current_job

from connectors.errors import TransientError
from jobs.core.context import job_redis, settings
from jobs.core.liveness import HOST, job_over, process_alive

log = logging.getLogger(__name__)
RENEW_SECONDS = 2.0
STALE_SECONDS = 15.0  # a holder that has not renewed for this long is dead (or frozen)
POLL_SECONDS = 0.1
_held = threading.local()


class Busy(TransientError):
    """The lock is held by a live holder; the work is tried again later."""


class LockLost(TransientError):
    """A lock this run held passed to another holder (or vanished): stop before writing more."""


def lock_seconds(config=None):
    """A lock's life without renewal: the longest budget wait, two calls' timeouts, a margin."""
    config = config or settings()
    return (float(config["BRIGHTPEARL_MAX_WAIT_SECONDS"])
            + 2 * float(config["HTTP_TIMEOUT_SECONDS"]) + 30)


def holder_id():
    """Who is asking: the RQ job being run (or this process), with host and pid."""
    job = get_current_job()
    return f"{'job:' + job.id if job else 'proc:'}@{HOST}/{os.getpid()}"


class Lock:
    """A named lock held by this process: acquire (taking over a dead holder's), renewed by a
    heartbeat thread while held, check between steps, owner-checked release."""

    def __init__(self, connection, name, seconds, holder=None):
        self.connection, self.name, self.seconds = connection, name, float(seconds)
        self.token = f"{holder or holder_id()}#{int(self.seconds * 1000)}#{uuid.uuid4().hex}"
        self._lock = connection.lock(name, timeout=self.seconds, thread_local=False)
        self._stop, self._thread = threading.Event(), None
        self.lost, self._renewed_at = False, 0.0

    def acquire(self, wait=0.0):
        """Take the lock within wait seconds; True when held (and renewed from now on)."""
        deadline = time.monotonic() + wait
        while True:
            if self._lock.acquire(blocking=False, token=self.token):
                self._start_renewing()
                return True
            if not self._take_over_if_dead() and time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)

    def check(self):
        """Raise LockLost unless this process still holds the lock (call before a write)."""
        if self.lost or not (self.connection.get(self.name) == self._lock.local.token
                             or self._retake()):
            self.lost = True
            raise LockLost(f"lost its lock {self.name} to another run; it will be tried again")

    def release(self):
        """Stop renewing and release, only if still ours (a lost lock is logged, not raised)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=RENEW_SECONDS)
        stack = getattr(_held, "locks", [])
        if self in stack:
            stack.remove(self)
        try:
            self._lock.release()
        except LockNotOwnedError:
            log.warning("lock %s had passed to another holder before its release", self.name)
        except LockError:
            pass  # never acquired
        except RedisError as exc:
            log.warning("could not release lock %s (it expires by itself): %s", self.name, exc)

    def _start_renewing(self):
        if self._thread is not None:  # held before and lost: the old renewer is told to stop
            self._stop.set()
            self._thread.join(timeout=RENEW_SECONDS)
        self._renewed_at, self.lost = time.monotonic(), False
        _held.locks = [lock for lock in getattr(_held, "locks", []) if lock is not self] + [self]
        self._stop.clear()
        self._thread = threading.Thread(target=self._renew_loop, daemon=True,
                                        name=f"renew {self.name}")
        self._thread.start()

    def _renew_loop(self):
        every = min(RENEW_SECONDS, self.seconds / 3)
        while not self._stop.wait(every):
            try:
                self._lock.reacquire()
                self._renewed_at = time.monotonic()
            except LockNotOwnedError:
                if not self._retake():
                    self.lost = True
                    log.warning("lock %s was taken by another holder", self.name)
                    return
            except RedisError:
                if time.monotonic() - self._renewed_at > self.seconds:
                    self.lost = True  # unreachable for longer than the lock lives
                    return

    def _retake(self):
        # Gone entirely (Redis restarted empty): ours again if nobody took it meanwhile.
        token = self._lock.local.token
        if token is None or not self.connection.set(self.name, token, nx=True,
                                                    px=int(self.seconds * 1000)):
            return False
        self._renewed_at = time.monotonic()
        return True

    def _take_over_if_dead(self):
        """Release a dead holder's lock; True when the lock may be free now."""
        with self.connection.pipeline() as pipe:
            current, pttl = pipe.get(self.name).pttl(self.name).execute()
        if current is None:
            return True
        if not holder_dead(self.connection, current.decode(), pttl):
            return False
        stale = self.connection.lock(self.name, thread_local=False)
        stale.local.token = current
        try:
            stale.release()
            log.warning("took over lock %s from a dead holder (%s)", self.name, current.decode())
        except LockNotOwnedError:
            pass  # it changed hands meanwhile
        return True


def holder_dead(connection, token, pttl_ms):
    """Whether the holder named in a lock's token is gone (see the module's docstring)."""
    holder, ttl_ms, _ = (token.rsplit("#", 2) + ["", ""])[:3]
    if ttl_ms.isdigit() and pttl_ms >= 0 and int(ttl_ms) - pttl_ms > STALE_SECONDS * 1000:
        return True  # its heartbeat stopped renewing it
    who, _, place = holder.rpartition("@")
    host, _, pid = place.partition("/")
    alive = process_alive(host, pid)
    if alive is not None:
        return not alive  # on this machine the process table knows best
    if who.startswith("job:"):
        job_id, mine = who[4:], get_current_job()
        # RQ runs one job id at a time: a lock left by this very job is from an earlier run.
        return (mine is not None and mine.id == job_id) or job_over(connection, job_id)
    return False


def check_held():
    """Raise LockLost if a lock this thread holds is no longer its own (call before a write)."""
    for lock in list(getattr(_held, "locks", [])):
        lock.check()


@contextmanager
def exclusive(name, seconds=None, wait=2.0, busy=None, connection=None):
    """Hold lock name for the block; Busy (a TransientError: RQ retries) if a live holder keeps
    it for wait seconds. seconds defaults to lock_seconds()."""
    lock = Lock(connection or job_redis(), name, seconds or lock_seconds())
    if not lock.acquire(wait):
        raise Busy(busy or "another run of the same records is still running")
    try:
        yield lock
    finally:
        lock.release()
