"""The intake path shared by both receivers: record durably, then enqueue after commit."""
import logging
from dataclasses import dataclass, field
from datetime import datetime

from jobs.core.queues import QueueUnavailable, enqueue_record
from models.base import utcnow
from models.db import db, write_transaction
from models.events import Event, insert_body, insert_event, prior_changes
from models.logs import PENDING, QUEUE_DOWN, QUEUED, SyncLog, touch_failed, touch_pending
from webhook.routing import Failed, Ignore

log = logging.getLogger(__name__)
STALE = "stale: a newer change of this record was already received"
# Drafts per transaction: a 10,000-id callback is stored in bounded steps, not one long lock.
CHUNK = 500


@dataclass
class Draft:
    """One change about to enter the inbox."""

    source: str
    topic: str
    resource: str
    resource_id: str
    dedupe_key: str
    payload: str
    route: object
    modified_at: datetime | None = None
    # True for the events of one ID set: their common payload is stored once (event_body).
    shared_payload: bool = False


@dataclass
class IntakeResult:
    """What happened to a delivery's drafts: counts, for the answer and the logs."""

    accepted: int = 0
    duplicates: int = 0
    ignored: int = 0
    failed: int = 0
    stale: int = 0
    enqueued: int = 0
    queue_down: bool = False
    reasons: list = field(default_factory=list)

    def summary(self):
        """The short JSON answer given to the platform."""
        return {k: v for k, v in vars(self).items() if k != "reasons" and v} or {"accepted": 0}


def accept(drafts, redis_connection, breaker):
    """Store drafts in transactions of CHUNK, each followed by one job per changed record.

    Routable events are stored already marked enqueued, so the common path commits once; if
    the enqueue then fails the mark is taken back, and if the process dies in between, the
    sweep re-enqueues events left unprocessed for INBOX_REQUEUE_SECONDS. A delivery cut short
    between chunks was not answered 200: its replay stores the rest (the rest are duplicates).
    """
    result, now, shared = IntakeResult(), utcnow(), {}
    for start in range(0, len(drafts), CHUNK):
        to_enqueue = {}
        with write_transaction():
            for draft in drafts[start:start + CHUNK]:
                event_id = _store(draft, now, result, shared)
                if event_id is not None:
                    key = (draft.source, draft.resource, draft.resource_id)
                    to_enqueue.setdefault(key, []).append(event_id)
        _enqueue_after_commit(to_enqueue, redis_connection, breaker, result)
    return result


def _outcome(draft, newest):
    """(outcome stored on the event or None when it needs a job, the result counter)."""
    if isinstance(draft.route, Ignore):
        return draft.route.reason, "ignored"
    if isinstance(draft.route, Failed):
        return draft.route.outcome, "failed"
    if draft.modified_at is not None and newest is not None and draft.modified_at < newest:
        return STALE, "stale"
    return None, "accepted"


def _store(draft, now, result, shared):
    """Insert one draft (a duplicate changes nothing); returns its id when it needs a job."""
    database = db.obj
    newest, seen = prior_changes(database, draft.source, draft.resource, draft.resource_id,
                                 draft.dedupe_key)
    if seen:
        result.duplicates += 1
        return None
    outcome, counter = _outcome(draft, newest)
    route = draft.route
    log_id = None
    if isinstance(route, Failed) and route.row is not None:
        row = route.row
        log_id = touch_failed(database, row.log_type, row.record_key, row.info, row.source_ref,
                              now, route.reason)
    elif outcome is None and route.log_type:
        log_id = touch_pending(database, route.log_type, route.record_key, route.info,
                               route.source_ref, now, route.amount, route.currency)
    payload, body_id = draft.payload, None
    if draft.shared_payload:
        # Stored with the first event of the set that is new, so replays add nothing.
        if "body_id" not in shared:
            shared["body_id"] = insert_body(database, draft.payload, now)
        payload, body_id = "", shared["body_id"]
    event_id = insert_event(
        database, source=draft.source, topic=draft.topic, resource=draft.resource,
        resource_id=draft.resource_id, dedupe_key=draft.dedupe_key, payload=payload,
        modified_at=draft.modified_at, received_at=now, enqueued_at=None if outcome else now,
        processed_at=now if outcome else None, outcome=outcome, log_id=log_id,
        body_id=body_id)
    if event_id is None:
        # A concurrent delivery of the same change committed first: this one is the replay.
        result.duplicates += 1
        return None
    setattr(result, counter, getattr(result, counter) + 1)
    return None if outcome else event_id


def _enqueue_after_commit(to_enqueue, connection, breaker, result):
    not_enqueued = []
    for (source, resource, resource_id), event_ids in to_enqueue.items():
        if result.queue_down or not breaker.allows():
            result.queue_down = True
            not_enqueued.extend(event_ids)
            continue
        try:
            enqueue_record(connection, source, resource, resource_id)
            result.enqueued += 1
        except QueueUnavailable as exc:
            # The events stay in the inbox, marked not enqueued; the sweep enqueues them later.
            log.warning("queue unavailable, records left for the inbox sweep: %s", exc)
            breaker.tripped()
            result.queue_down = True
            not_enqueued.extend(event_ids)
    for start in range(0, len(not_enqueued), CHUNK):
        chunk = not_enqueued[start:start + CHUNK]
        Event.update(enqueued_at=None).where(Event.id.in_(chunk)).execute()
        # The rows say why they wait, not "queued" for a job that does not exist.
        SyncLog.update(pending_reason=QUEUE_DOWN).where(
            SyncLog.id.in_(Event.select(Event.log_id).where(Event.id.in_(chunk)))
            & (SyncLog.status == PENDING) & (SyncLog.pending_reason == QUEUED)).execute()
