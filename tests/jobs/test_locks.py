"""The one lock helper: renewed while held, owner-checked, and a dead holder's lock taken over
in seconds — through the dispatcher, as a killed work-horse would leave it."""
import subprocess
import sys
import time

import pytest
from rq.job import Job

from jobs.core import locks
from jobs.core.liveness import HOST
from jobs.core.locks import Busy, Lock, LockLost, exclusive
from models.events import Event
from models.logs import SyncLog
from tests.jobs.test_dispatch import deliver_order

RECORD_LOCK = "pearlbridge:lock:woocommerce-order-727"


def dead_pid():
    """The pid of a process that has just exited on this machine."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def orphan(redis_connection, holder, life_ms=600_000, left_ms=None):
    """A lock left behind by holder, as it would be after its process died."""
    token = f"{holder}#{life_ms}#deadbeef"
    redis_connection.set(RECORD_LOCK, token, px=left_ms or life_ms)
    return token


@pytest.fixture
def handled(client, flow_registry):
    seen = []

    @flow_registry.handles("woocommerce", "order.")
    def handle(source, resource, resource_id, events):
        seen.append(resource_id)
        return "handled"

    deliver_order(client)
    return seen


@pytest.mark.timeout(30)
@pytest.mark.parametrize("holder", ["pid", "job", "silent"])
def test_an_orphaned_record_lock_is_taken_over_in_seconds(handled, work, redis_connection, holder):
    """A killed work-horse left the record's lock for the job timeout (600 s); the next run
    blocked a worker for 300 s. Now: its process is gone (this machine), RQ no longer runs its
    job (another machine), or it stopped renewing the lock — taken over at once."""
    if holder == "pid":
        orphan(redis_connection, f"job:woocommerce-order-727@{HOST}/{dead_pid()}")
    elif holder == "job":
        job = Job.create("builtins.print", id="woocommerce-order-727-old",
                         connection=redis_connection)
        job.set_status("failed")
        job.save()
        orphan(redis_connection, "job:woocommerce-order-727-old@elsewhere/1")
    else:
        orphan(redis_connection, "job:unknown@elsewhere/1", life_ms=600_000, left_ms=500_000)
    started = time.monotonic()
    work()
    assert handled == ["727"] and time.monotonic() - started < 10
    assert Event.get().processed_at is not None
    assert redis_connection.get(RECORD_LOCK) is None  # released after the run


def test_a_live_holder_keeps_the_record_and_the_row_says_why(handled, work, redis_connection,
                                                            monkeypatch):
    monkeypatch.setattr(locks, "POLL_SECONDS", 0.05)
    live = Lock(redis_connection, RECORD_LOCK, 30)
    assert live.acquire()
    try:
        work()
        assert handled == [] and Event.get().processed_at is None
        row = SyncLog.get()
        assert (row.status, row.pending_reason, row.attempt_count) == (
            "pending", "waiting for the previous run of this record to finish", 0)
    finally:
        live.release()
    work(retries_due=True)
    assert handled == ["727"]


def test_renewed_while_held_and_released_only_by_its_owner(redis_connection):
    first = Lock(redis_connection, "t:lock", 0.6)
    assert first.acquire()
    time.sleep(1.2)  # twice its life: the heartbeat renewed it
    assert redis_connection.get("t:lock") is not None
    first.check()
    redis_connection.set("t:lock", b"someone-else")  # taken over while we were frozen
    with pytest.raises(LockLost):
        first.check()
    first.release()
    assert redis_connection.get("t:lock") == b"someone-else"  # not ours: left alone


def test_a_lock_redis_forgot_is_taken_back_by_its_holder(redis_connection):
    held = Lock(redis_connection, "t:lock", 0.6)
    assert held.acquire()
    redis_connection.flushdb()  # Redis restarted empty while the work went on
    time.sleep(0.5)
    assert redis_connection.get("t:lock") is not None and not held.lost
    held.check()
    held.release()


def test_exclusive_says_busy_while_a_live_holder_has_it(settings, redis_connection):
    with exclusive("t:lock", seconds=5, wait=0):
        with pytest.raises(Busy, match="still running"):
            with exclusive("t:lock", seconds=5, wait=0.2):
                pass
    with exclusive("t:lock", seconds=5, wait=0):
        pass


def test_lock_life_is_longer_than_the_longest_budget_wait(settings):
    assert locks.lock_seconds(dict(BRIGHTPEARL_MAX_WAIT_SECONDS=120, HTTP_TIMEOUT_SECONDS=30)) > 120
