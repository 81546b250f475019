"""What RQ's scheduler and workers would have done had they lived, done by the inbox sweep.

- A job overdue in `scheduled` (a retry whose time has passed) means no scheduler is running:
  it goes to its queue now.
- A job `started` by a worker that stopped beating will never finish: it is queued again.
- Whether a job is in hand at all: waiting in a queue or the schedule, or started by a worker
  that is alive. Anything else (finished, failed after its retries, unknown to a Redis that lost
  its data) is not, and the sweep enqueues its record again.
"""
import logging
import time
from datetime import datetime, timezone

from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry

from jobs.core.liveness import worker_dead
from jobs.core.queues import QUEUE_NAMES, get_queue

log = logging.getLogger(__name__)
# RQ's scheduler moves due jobs every second; this late, it is not running.
OVERDUE_SECONDS = 10
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
        requeued += _requeue_abandoned(connection, queue)
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


def in_hand(connection, job_ids):
    """The job ids among job_ids that will run without help: waiting, or started by a live worker."""
    job_ids = list(job_ids)
    with connection.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hmget(Job.key_for(job_id), "status", "worker_name")
        states = pipe.execute()
    now, alive = datetime.now(timezone.utc), set()
    for job_id, (status, worker) in zip(job_ids, states):
        status = status.decode() if status else None
        if status in _WAITING or (status == JobStatus.STARTED.value and not worker_dead(
                connection, worker.decode() if worker else "", now)):
            alive.add(job_id)
    return alive
