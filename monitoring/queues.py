"""The queues as Redis holds them: depth and oldest job per queue, failed jobs, workers."""
from dataclasses import dataclass
from datetime import datetime, timezone

from rq import Worker
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from jobs.core.queues import QUEUE_NAMES, get_queue


@dataclass
class QueueFacts:
    """One queue: jobs waiting, the age of the oldest, failed and scheduled jobs."""

    name: str
    depth: int
    oldest_age: float | None
    failed: int
    scheduled: int


def queue_facts(redis, now=None):
    """Facts for every queue the worker listens to (a few Redis reads each)."""
    now = now or datetime.now(timezone.utc)
    found = []
    for name in QUEUE_NAMES:
        queue = get_queue(redis, name)
        depth = redis.llen(queue.key)
        first = redis.lindex(queue.key, 0) if depth else None
        found.append(QueueFacts(
            name=name, depth=depth,
            oldest_age=_age(redis, first.decode(), now) if first else None,
            failed=FailedJobRegistry(queue=queue).count,
            scheduled=ScheduledJobRegistry(queue=queue).count))
    return found


def worker_count(redis):
    """How many RQ workers are registered (alive ones renew their registration)."""
    return Worker.count(connection=redis)


def _age(redis, job_id, now):
    stamp = redis.hget(Job.key_for(job_id), "enqueued_at")
    if not stamp:
        return None
    text = stamp.decode().rstrip("Z")
    enqueued = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    return max(0.0, (now - enqueued).total_seconds())
