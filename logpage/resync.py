"""Re-sync, Retry all failed and settings releases: back to Pending (queued) and onto the queue.

Each requeued row gets an attempt (trigger manual or retry) and a synthetic inbox event
(topic "manual.resync"), because the dispatcher acts on a record's unprocessed events: without
one it would find nothing to do. The event is committed before the enqueue, marked enqueued
only after it; if Redis is down it stays in the inbox for the poller's sweep, so nothing is lost.
"""
import uuid
from dataclasses import dataclass

from jobs.core.queues import QueueUnavailable, enqueue_record
from models.base import utcnow
from models.db import write_transaction
from models.events import RESYNC_TOPIC, Event
from models.logs import FAILED, PENDING, QUEUED, WAITING_FOR_SETTINGS, SyncAttempt, SyncLog
from models.record_keys import row_record

BATCH = 500


@dataclass
class Requeued:
    """What a requeue did: rows set Pending, records enqueued, and whether Redis was down."""

    rows: int = 0
    enqueued: int = 0
    queue_down: bool = False
    unknown: int = 0


def resync_row(row, connection, trigger="manual", who="staff"):
    """Set one row Pending (queued) and enqueue its record; the row stays the same row."""
    return _requeue([row], connection, trigger, f"Re-sync requested by {who}")


def resync_rows(rows, connection, trigger, message, refs=None):
    """Requeue several rows at once. refs ({row id: RecordRef}) sends a row's event to another
    record and topic than its own Re-sync (work no flow's re-sync does, e.g. a repair); the
    row still records the attempt and the outcome."""
    return _requeue(rows, connection, trigger, message, refs=refs)


def retry_all_failed(log_type, connection, who="staff"):
    """Requeue every Failed row of log_type, in batches; returns the totals."""
    query = SyncLog.select().where((SyncLog.log_type == log_type) & (SyncLog.status == FAILED))
    return _requeue_query(query, connection, "retry", f"Retry all failed, by {who}",
                          only_status=FAILED)


def release_waiting(log_type, connection, flow_name, who="staff"):
    """Requeue the rows of log_type held as waiting for settings (after a settings save)."""
    query = SyncLog.select().where(
        (SyncLog.log_type == log_type) & (SyncLog.status == PENDING)
        & SyncLog.pending_reason.startswith(WAITING_FOR_SETTINGS))
    return _requeue_query(query, connection, "retry",
                          f"Released: settings of {flow_name} saved by {who}")


def _requeue_query(query, connection, trigger, message, only_status=None):
    total, last_id = Requeued(), 0
    while True:
        rows = list(query.where(SyncLog.id > last_id).order_by(SyncLog.id).limit(BATCH))
        if not rows:
            return total
        last_id = rows[-1].id
        part = _requeue(rows, connection, trigger, message, only_status,
                        queue_down=total.queue_down)
        total.rows += part.rows
        total.enqueued += part.enqueued
        total.unknown += part.unknown
        total.queue_down = total.queue_down or part.queue_down


def _requeue(rows, connection, trigger, message, only_status=None, queue_down=False,
             refs=None):
    result, now, records = Requeued(queue_down=queue_down), utcnow(), {}
    with write_transaction():
        for row in rows:
            ref = (refs or {}).get(row.id) or row_record(row)
            if ref is None:
                result.unknown += 1
                continue
            update = SyncLog.update(status=PENDING, pending_reason=QUEUED).where(
                SyncLog.id == row.id)
            if only_status:
                # Another process may have moved the row on since it was read.
                update = update.where(SyncLog.status == only_status)
            if not update.execute():
                continue
            SyncAttempt.create(log=row.id, at=now, trigger=trigger, outcome="queued",
                               message=message)
            event = Event.create(
                source=ref.source, resource=ref.resource,
                # A Re-sync is routed by its row's record; a row sent elsewhere, by its topic.
                topic=ref.topic if row.id in (refs or {}) else RESYNC_TOPIC,
                resource_id=ref.resource_id,
                # The prefix tells the attempt history manual from retry (jobs.core.registry).
                dedupe_key=f"{trigger}:{row.id}:{uuid.uuid4().hex}",
                payload="{}", received_at=now, log=row.id)
            records.setdefault((ref.source, ref.resource, ref.resource_id), []).append(event.id)
            row.status, row.pending_reason = PENDING, QUEUED
            result.rows += 1
    for (source, resource, resource_id), event_ids in records.items():
        if result.queue_down:
            continue
        try:
            enqueue_record(connection, source, resource, resource_id)
        except QueueUnavailable:
            # The events stay unenqueued in the inbox: the poller's sweep enqueues them later.
            result.queue_down = True
            continue
        Event.update(enqueued_at=utcnow()).where(Event.id.in_(event_ids)).execute()
        result.enqueued += 1
    return result
