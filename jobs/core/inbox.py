"""The inbox sweep: enqueue stored events that never reached (or fell out of) the queue."""
from datetime import timedelta

from jobs.core.queues import enqueue_record
from models.base import utcnow
from models.events import Event

SWEEP_LIMIT = 2000


def sweep_inbox(connection, grace_seconds=10, requeue_seconds=600, limit=SWEEP_LIMIT):
    """Enqueue unprocessed events not enqueued (or enqueued long ago); returns records enqueued.

    grace_seconds leaves the receiver time to enqueue what it just stored; requeue_seconds
    catches jobs lost with Redis (it keeps nothing on disk). Coalesced job ids make a second
    enqueue of a job still waiting a no-op. Raises QueueUnavailable while Redis is down.
    """
    now = utcnow()
    due = (
        Event.select(Event.id, Event.source, Event.resource, Event.resource_id)
        .where(
            Event.processed_at.is_null()
            & (Event.received_at < now - timedelta(seconds=grace_seconds))
            & (Event.enqueued_at.is_null()
               | (Event.enqueued_at < now - timedelta(seconds=requeue_seconds)))
        )
        .order_by(Event.id)
        .limit(limit)
    )
    records = {}
    for event_id, source, resource, resource_id in due.tuples():
        records.setdefault((source, resource, resource_id), []).append(event_id)
    for (source, resource, resource_id), event_ids in records.items():
        enqueue_record(connection, source, resource, resource_id)
        Event.update(enqueued_at=utcnow()).where(Event.id.in_(event_ids)).execute()
    return len(records)
