"""The inbox sweep: enqueue stored events that never reached the queue, or whose job is gone.

Every few seconds (the poller's leader) it:
1. checks Redis's boot marker, a key set once per Redis life: when it is missing, Redis
   restarted empty (or was flushed) and every unprocessed event is enqueued at once;
2. repairs the queue (jobs.core.repair): retries overdue in `scheduled` (no scheduler running)
   and jobs `started` by dead workers are queued;
3. enqueues each record with unprocessed events whose job is not in hand — never enqueued (Redis
   was down at intake), failed after its retries, or lost — and, as a backstop, any enqueued
   longer ago than requeue_seconds.
"""
import logging
import uuid
from datetime import timedelta

from jobs.core.queues import enqueue_record, record_job_id
from jobs.core.repair import in_hand, repair_queues
from models.base import utcnow
from models.events import Event
from models.logs import PENDING, QUEUE_DOWN, QUEUED, SyncLog

log = logging.getLogger(__name__)
SWEEP_LIMIT = 2000
BOOT_KEY = "pearlbridge:redis-boot"


def redis_was_reset(connection):
    """True the first time this is asked of a Redis life (the marker was missing), else False."""
    return bool(connection.set(BOOT_KEY, uuid.uuid4().hex, nx=True))


def sweep_inbox(connection, grace_seconds=10, requeue_seconds=600, limit=SWEEP_LIMIT):
    """Enqueue the records whose unprocessed events no job will take; returns records enqueued.

    grace_seconds leaves the receiver and the job time to do their part. Coalesced job ids make a
    second enqueue of a job still waiting a no-op. Raises QueueUnavailable while Redis is down.
    """
    reset = redis_was_reset(connection)
    if reset:
        log.warning("Redis has no boot marker (restarted empty or flushed): every unprocessed "
                    "event is enqueued again now")
    repair_queues(connection)
    now = utcnow()
    received = Event.received_at < now - timedelta(seconds=0 if reset else grace_seconds)
    due = (Event.select(Event.id, Event.source, Event.resource, Event.resource_id,
                        Event.enqueued_at, Event.log_id)
           .where(Event.processed_at.is_null() & received).order_by(Event.id).limit(limit))
    records = {}
    for event_id, source, resource, resource_id, enqueued_at, log_id in due.tuples():
        records.setdefault((source, resource, resource_id), []).append(
            (event_id, enqueued_at, log_id))
    jids = {key: record_job_id(*key) for key in records}
    alive = in_hand(connection, [j for jid in jids.values() for j in (jid, jid + "-again")])
    long_ago = now - timedelta(seconds=requeue_seconds)
    count = 0
    for key, events in records.items():
        waiting = jids[key] in alive or jids[key] + "-again" in alive
        recent = all(e[1] is not None and e[1] >= long_ago for e in events)
        if waiting and (recent or reset):
            continue
        enqueue_record(connection, *key)
        _enqueued(events)
        count += 1
    return count


def _enqueued(events):
    Event.update(enqueued_at=utcnow()).where(Event.id.in_([e[0] for e in events])).execute()
    log_ids = [e[2] for e in events if e[2]]
    if log_ids:
        SyncLog.update(pending_reason=QUEUED).where(
            SyncLog.id.in_(log_ids) & (SyncLog.status == PENDING)
            & (SyncLog.pending_reason == QUEUE_DOWN)).execute()
