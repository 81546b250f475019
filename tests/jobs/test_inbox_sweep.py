"""The inbox sweep finds work no job will take: a Redis that lost its queues, retries overdue
because no scheduler runs, jobs started by a dead worker, jobs failed after their retries."""
from datetime import datetime, timedelta, timezone

import pytest
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from rq.utils import utcformat

from connectors.errors import TransientError
from jobs.core.inbox import sweep_inbox
from jobs.core.queues import INTERACTIVE, get_queue
from models.events import Event
from models.logs import SyncLog
from tests.jobs.test_dispatch import deliver_order

JOB = "woocommerce-order-727"


@pytest.fixture
def queue(redis_connection):
    return get_queue(redis_connection, INTERACTIVE)


@pytest.fixture
def flaky(flow_registry):
    """The order's handler: fails transiently until told otherwise."""
    state = {"fail": True, "ran": 0}

    @flow_registry.handles("woocommerce", "order.")
    def handle(**_):
        state["ran"] += 1
        if state["fail"]:
            raise TransientError("Brightpearl did not answer in time")
        return "handled"

    return state


def runs_when_the_platform_answers(queue, flaky, work):
    """The record's job is back on its queue, and runs to the end."""
    assert queue.job_ids == [JOB]
    flaky["fail"] = False
    work()
    assert Event.get().processed_at is not None


def test_a_redis_that_lost_its_queues_is_swept_at_once(client, work, redis_connection, queue,
                                                       flaky):
    """Jobs lost with Redis waited INBOX_REQUEUE_SECONDS (600 s): the sweep could not tell a
    Redis that lost its queues from one that still had them. The boot marker tells."""
    deliver_order(client)
    assert sweep_inbox(redis_connection) == 0  # the job waits in its queue: in hand
    redis_connection.flushdb()  # Redis restarted empty (it keeps nothing on disk)
    assert sweep_inbox(redis_connection, grace_seconds=10, requeue_seconds=600) == 1
    runs_when_the_platform_answers(queue, flaky, work)


def test_retries_overdue_without_a_scheduler_are_queued(client, work, redis_connection, queue,
                                                        flaky):
    """A dead RQ scheduler left retries in `scheduled` forever; the sweep counted them in hand."""
    deliver_order(client)
    work()  # fails: RQ schedules the retry
    scheduled = ScheduledJobRegistry(queue=queue)
    assert scheduled.get_job_ids() == [JOB]
    sweep_inbox(redis_connection, grace_seconds=0)
    assert queue.job_ids == []  # not due yet: left to the scheduler
    job = Job.fetch(JOB, connection=redis_connection)
    scheduled.schedule(job, datetime.now(timezone.utc) - timedelta(minutes=5))  # no scheduler ran
    sweep_inbox(redis_connection, grace_seconds=0)
    assert queue.job_ids == [JOB] and scheduled.get_job_ids() == []
    flaky["fail"] = False
    work()
    assert Event.get().processed_at is not None and flaky["ran"] == 2


def test_a_job_started_by_a_dead_worker_is_queued_again(client, work, redis_connection, queue,
                                                        flaky):
    """"started" counted as in hand forever, even when the worker running it had died."""
    deliver_order(client)
    job = queue.dequeue_any([queue], None, connection=redis_connection)[0]
    with redis_connection.pipeline() as pipe:  # as a worker does when it starts the job
        job.prepare_for_execution("w1", pipe)
        StartedJobRegistry(queue=queue).add_execution(type("E", (), {
            "composite_key": f"{JOB}:e1"})(), pipe, ttl=600)
        pipe.hset("rq:worker:w1", "last_heartbeat", utcformat(
            datetime.now(timezone.utc) - timedelta(minutes=2)))  # then it stopped beating
        pipe.execute()
    sweep_inbox(redis_connection, grace_seconds=0)
    runs_when_the_platform_answers(queue, flaky, work)


def test_a_live_workers_job_is_left_alone(client, redis_connection, queue, flaky):
    deliver_order(client)
    job = queue.dequeue_any([queue], None, connection=redis_connection)[0]
    with redis_connection.pipeline() as pipe:
        job.prepare_for_execution("w1", pipe)
        pipe.hset("rq:worker:w1", "last_heartbeat", utcformat(datetime.now(timezone.utc)))
        pipe.execute()
    assert sweep_inbox(redis_connection, grace_seconds=0) == 0
    assert queue.job_ids == []


def test_a_job_failed_after_its_retries_leaves_the_work_in_the_inbox(client, work,
                                                                     redis_connection, queue,
                                                                     flaky):
    deliver_order(client)
    work()
    job = Job.fetch(JOB, connection=redis_connection)
    job.retries_left = 0  # as after the last retry
    job.save()
    work(retries_due=True)
    assert FailedJobRegistry(queue=queue).get_job_ids() == [JOB]
    assert Event.get().processed_at is None
    assert SyncLog.get().status == "pending"
    assert sweep_inbox(redis_connection, grace_seconds=0) == 1
    flaky["fail"] = False
    work()
    assert Event.get().processed_at is not None


def as_if_enqueued_ago(redis_connection, seconds):
    redis_connection.hset(Job.key_for(JOB), "enqueued_at", utcformat(
        datetime.now(timezone.utc) - timedelta(seconds=seconds)))


def test_a_job_taken_by_a_worker_that_died_before_starting_it_is_put_back(
        client, work, redis_connection, queue, flaky):
    """RQ pops a job off its list before starting it; a worker killed in between left it
    "queued" in no list, and every later enqueue coalesced with it, forever."""
    deliver_order(client)
    assert redis_connection.lpop(queue.key) == JOB.encode()  # taken; the worker dies here
    assert sweep_inbox(redis_connection, grace_seconds=0) == 0  # just enqueued: in hand
    as_if_enqueued_ago(redis_connection, 60)
    assert sweep_inbox(redis_connection, grace_seconds=0) == 1
    runs_when_the_platform_answers(queue, flaky, work)


def test_a_job_stuck_in_rqs_in_flight_list_is_put_back(client, work, redis_connection, queue,
                                                       flaky):
    """A single-queue RQ worker moves the job to an in-flight list; dead there, it waited for
    RQ's own cleanup (a minute, at a worker's next maintenance)."""
    from jobs.core.repair import repair_queues

    deliver_order(client)
    redis_connection.lmove(queue.key, queue.intermediate_queue_key)
    assert repair_queues(redis_connection) == (0, 0)  # first seen now
    redis_connection.set(queue.intermediate_queue.get_first_seen_key(JOB),
                         (datetime.now(timezone.utc) - timedelta(seconds=30)).timestamp())
    assert repair_queues(redis_connection) == (0, 1)
    runs_when_the_platform_answers(queue, flaky, work)
