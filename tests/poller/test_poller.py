"""The poller: one leader at a time, a standby takes over, and the inbox sweep runs as leader."""
import os
import subprocess
import sys
import time

import pytest

from jobs.core.queues import INTERACTIVE, get_queue
from models.events import Event
from jobs.core.locks import Lock
from poller.main import LEADER_KEY
from poller.schedule import LastRuns, Schedule, Task


def test_leader_lock_is_exclusive_renewed_and_released(redis_connection):
    first = Lock(redis_connection, "t:leader", 0.6)
    second = Lock(redis_connection, "t:leader", 0.6)
    assert first.acquire() and not second.acquire()
    time.sleep(1.0)  # longer than its life: renewed by its heartbeat while held
    assert not second.acquire() and not first.lost
    first.release()
    assert second.acquire()
    second.release()


def test_schedule_runs_due_tasks_and_survives_a_failing_one():
    now = [0.0]
    ran = []

    def boom():
        raise RuntimeError("boom")

    schedule = Schedule([Task("a", 5, lambda: ran.append("a")), Task("b", 1, boom)],
                        clock=lambda: now[0])
    assert schedule.run_due() == ["a", "b"]
    assert schedule.tasks[1].last_error == "RuntimeError: boom"
    now[0] = 2.0
    assert schedule.run_due() == ["b"] and ran == ["a"]
    assert schedule.seconds_until_next() == pytest.approx(1.0)


def test_a_new_leader_runs_only_what_is_due(redis_connection):
    """Last runs are shared: a poller taking over does not run every task at once (it did)."""
    now = [1000.0]
    ran = []

    def schedule():
        return Schedule([Task("sweep", 5, lambda: ran.append("sweep")),
                         Task("reference-data", 600, lambda: ran.append("reference-data"))],
                        clock=lambda: now[0], last_runs=LastRuns(redis_connection))

    first = schedule()
    first.resume()
    assert first.run_due() == ["sweep", "reference-data"]
    now[0] += 60  # the leader dies a minute later; a standby takes over
    second = schedule()
    second.resume()
    assert second.run_due() == ["sweep"]
    now[0] += 600
    assert second.run_due() == ["sweep", "reference-data"]


def start_poller(settings):
    env = dict(os.environ, **settings, POLLER_LOCK_SECONDS="1", INBOX_SWEEP_SECONDS="0.2",
               INBOX_SWEEP_GRACE_SECONDS="0")
    return subprocess.Popen([sys.executable, "-m", "poller"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_two_pollers_one_leader_and_takeover_after_a_kill(app, settings, redis_connection):
    pollers = [start_poller(settings), start_poller(settings)]
    try:
        assert wait_for(lambda: redis_connection.get(LEADER_KEY) is not None)
        time.sleep(1.5)  # both running for longer than the lock's ttl: still one leader
        token = redis_connection.get(LEADER_KEY)
        assert token is not None
        pollers[0].kill()  # SIGKILL: no chance to release the lock
        pollers[0].wait()
        if not wait_for(lambda: redis_connection.get(LEADER_KEY) not in (None, token), 3):
            # The killed one was the standby; the leader kept its lock. Kill the leader now,
            # with a fresh standby waiting.
            pollers.append(start_poller(settings))
            time.sleep(0.5)
            assert redis_connection.get(LEADER_KEY) == token
            pollers[1].kill()
            pollers[1].wait()
            assert wait_for(lambda: redis_connection.get(LEADER_KEY) not in (None, token), 5)
    finally:
        for poller in pollers:
            if poller.poll() is None:
                poller.terminate()
                poller.wait(timeout=10)


def test_leader_sweeps_the_inbox(app, settings, redis_connection):
    Event.create(source="woocommerce", topic="order.updated", resource="order",
                 resource_id="727", dedupe_key="k1", payload="{}")
    poller = start_poller(settings)
    try:
        assert wait_for(lambda: get_queue(redis_connection, INTERACTIVE).job_ids
                        == ["woocommerce-order-727"])
        assert wait_for(lambda: Event.get().enqueued_at is not None)
    finally:
        poller.terminate()
        assert poller.wait(timeout=10) == 0
    assert redis_connection.get(LEADER_KEY) is None  # released on a clean stop


def test_leader_beats_and_schedules_the_alert_watchdog(app, settings, redis_connection):
    from monitoring.heartbeat import last_beat

    poller = start_poller(dict(settings, ALERT_CHECK_SECONDS="0.5"))
    try:
        assert wait_for(lambda: last_beat(redis_connection)[0] is not None)
        at, who = last_beat(redis_connection)
        assert abs(time.time() - at) < 5 and who.endswith(f":{poller.pid}")
        # The alert check ran and scheduled the worker watchdog.
        assert wait_for(lambda: get_queue(redis_connection, "pearlbridge-bulk")
                        .scheduled_job_registry.count > 0)
    finally:
        poller.terminate()
        assert poller.wait(timeout=10) == 0
