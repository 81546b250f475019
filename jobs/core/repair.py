"""What RQ's scheduler and workers would have done had they lived, done by the inbox sweep.

- A job overdue in `scheduled` (a retry whose time has passed) means no scheduler is running:
  it goes to its queue now.
- A job `started` by a worker that stopped beating will never finish: it is queued again.
- A job a worker took from its queue but died before starting sits in RQ's intermediate list,
  still `queued`: after STUCK_SECONDS it is put back on its queue.
- Whether a job is in hand at all: waiting in a queue or the schedule, or started by a worker
  that is alive. Anything else (finished, failed after its retries, unknown to a Redis that lost
  its data) is not, and the sweep enqueues its record again.
"""
import functools
import logging
import time
from datetime import datetime, timezone

from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.intermediate_queue import IntermediateQueue
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry

from jobs.core.liveness import worker_dead
from jobs.core.queues import QUEUE_NAMES, get_queue, listed_ids, lost

log = logging.getLogger(__name__)
# RQ's scheduler moves due jobs every second; this late, it is not running.
OVERDUE_SECONDS = 10
# A worker starts what it took within milliseconds; this long in between, it died there.
STUCK_SECONDS = 10
_WAITING = {JobStatus.QUEUED.value, JobStatus.DEFERRED.value, JobStatus.SCHEDULED.value}


def repair_queues(connection, queue_names=QUEUE_NAMES):
    """Queue overdue scheduled jobs and jobs started by dead workers; returns (moved, requeued)."""
    moved = requeued = 0
    for name in queue_names:
        queue = get_queue(connection, name)
        scheduled = ScheduledJobRegistry(queue=queue)
        for job_id in scheduled.get_jobs_to_schedule(int(time.time() - OVERDUE_SECONDS)):
            try:
                scheduled.requeue(job_id)  # ZREM first: a scheduler waking up meanwhile wins
                moved += 1
            except (InvalidJobOperation, NoSuchJobError):
                continue
        requeued += _requeue_abandoned(connection, queue) + _requeue_taken(connection, queue)
    if moved or requeued:
        log.warning("queue repaired: %d overdue retries queued (no scheduler running), "
                    "%d jobs of dead workers queued again", moved, requeued)
    return moved, requeued


def _requeue_abandoned(connection, queue):
    started = StartedJobRegistry(queue=queue)
    count, now = 0, datetime.now(timezone.utc)
    for job_id, execution_id in started.get_job_and_execution_ids(cleanup=False):
        status, worker = connection.hmget(Job.key_for(job_id), "status", "worker_name")
        if status is not None and status.decode() == JobStatus.STARTED.value and not worker_dead(
                connection, worker.decode() if worker else "", now):
            continue
        if not connection.zrem(started.key, f"{job_id}:{execution_id}"):
            continue  # its worker (or another sweep) settled it meanwhile
        if status is not None and status.decode() == JobStatus.STARTED.value:
            try:
                queue.enqueue_job(Job.fetch(job_id, connection=connection))
                count += 1
            except NoSuchJobError:
                pass
    return count


def _requeue_taken(connection, queue):
    taken, count = IntermediateQueue(queue.key, connection), 0
    for job_id in taken.get_job_ids():
        if connection.hget(Job.key_for(job_id), "status") != JobStatus.QUEUED.value.encode():
            continue  # started (the started registry knows it) or gone (RQ's cleanup)
        if taken.set_first_seen(job_id):
            continue  # first seen now: a worker may be starting it this very moment
        first = taken.get_first_seen(job_id)
        if first is None or (datetime.now(timezone.utc) - first).total_seconds() < STUCK_SECONDS:
            continue
        if connection.lrem(taken.key, 1, job_id):  # whoever removes it puts it back
            connection.delete(taken.get_first_seen_key(job_id))
            try:
                queue.enqueue_job(Job.fetch(job_id, connection=connection), at_front=True)
                count += 1
            except NoSuchJobError:
                pass
    return count


def in_hand(connection, job_ids):
    """The job ids among job_ids that will run without help: waiting (and really in a queue
    list), or started by a live worker."""
    job_ids = list(job_ids)
    with connection.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hmget(Job.key_for(job_id), "status", "worker_name", "enqueued_at", "origin")
        states = pipe.execute()
    now, alive = datetime.now(timezone.utc), set()
    listed = functools.cache(lambda: listed_ids(connection))  # read once, only if needed
    for job_id, (status, worker, enqueued_at, origin) in zip(job_ids, states):
        status = status.decode() if status else None
        if status == JobStatus.QUEUED.value and enqueued_at and origin and lost(
                connection, job_id, enqueued_at.decode(), origin.decode(), listed):
            continue  # taken by a worker that died: enqueue_once puts it back
        if status in _WAITING or (status == JobStatus.STARTED.value and not worker_dead(
                connection, worker.decode() if worker else "", now)):
            alive.add(job_id)
    return alive
