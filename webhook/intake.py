"""The intake path shared by both receivers: record durably, then enqueue after commit."""
import logging
from dataclasses import dataclass, field
from datetime import datetime

from peewee import IntegrityError, fn

from jobs.queues import QueueUnavailable, enqueue_record
from models.base import utcnow
from models.db import db, write_transaction
from models.events import Event
from models.logs import QUEUED, SyncLog
from webhook.routing import Ignore

log = logging.getLogger(__name__)
STALE = "stale: a newer change of this record was already received"
_CHUNK = 500


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


@dataclass
class IntakeResult:
    """What happened to a delivery's drafts: counts, for the answer and the logs."""

    accepted: int = 0
    duplicates: int = 0
    ignored: int = 0
    stale: int = 0
    enqueued: int = 0
    queue_down: bool = False
    reasons: list = field(default_factory=list)

    def summary(self):
        """The short JSON answer given to the platform."""
        return {k: v for k, v in vars(self).items() if k != "reasons" and v} or {"accepted": 0}


def accept(drafts, redis_connection, breaker):
    """Store drafts in one transaction, then enqueue one job per changed record."""
    result = IntakeResult()
    with write_transaction():
        known = _known_keys([d.dedupe_key for d in drafts])
        to_enqueue = {}
        for draft in drafts:
            if draft.dedupe_key in known:
                result.duplicates += 1
                continue
            known.add(draft.dedupe_key)
            event = _store(draft, result)
            if event is not None and event.processed_at is None:
                to_enqueue.setdefault((draft.source, draft.resource, draft.resource_id), []).append(
                    event.id)
    _enqueue_after_commit(to_enqueue, redis_connection, breaker, result)
    return result


def _known_keys(keys):
    known = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        known.update(k for (k,) in Event.select(Event.dedupe_key)
                     .where(Event.dedupe_key.in_(chunk)).tuples())
    return known


def _store(draft, result):
    if isinstance(draft.route, Ignore):
        outcome, counter = draft.route.reason, "ignored"
    elif draft.modified_at is not None and _is_stale(draft):
        outcome, counter = STALE, "stale"
    else:
        outcome, counter = None, "accepted"
    try:
        with db.atomic():
            log_row = _touch_log(draft.route) if counter == "accepted" and draft.route.log_type else None
            event = Event.create(
                source=draft.source, topic=draft.topic, resource=draft.resource,
                resource_id=draft.resource_id, dedupe_key=draft.dedupe_key,
                payload=draft.payload, modified_at=draft.modified_at, log=log_row,
                processed_at=utcnow() if outcome else None, outcome=outcome,
            )
    except IntegrityError:
        # A concurrent delivery of the same change won the race: this one is the replay.
        result.duplicates += 1
        return None
    setattr(result, counter, getattr(result, counter) + 1)
    return event


def _is_stale(draft):
    newest = (Event.select(fn.MAX(Event.modified_at))
              .where((Event.source == draft.source) & (Event.resource == draft.resource)
                     & (Event.resource_id == draft.resource_id))
              .scalar())
    return newest is not None and draft.modified_at < newest


def _touch_log(route):
    now = utcnow()
    changes = {"status": "pending", "pending_reason": QUEUED, "updated_at": now}
    if route.amount is not None:
        changes.update(amount=route.amount, currency=route.currency)
    where = (SyncLog.log_type == route.log_type) & (SyncLog.record_key == route.record_key)
    if SyncLog.update(**changes).where(where).execute():
        return SyncLog.get(where)
    try:
        with db.atomic():
            return SyncLog.create(log_type=route.log_type, record_key=route.record_key,
                                  info=route.info, source_ref=route.source_ref, **changes)
    except IntegrityError:
        SyncLog.update(**changes).where(where).execute()
        return SyncLog.get(where)


def _enqueue_after_commit(to_enqueue, connection, breaker, result):
    enqueued_ids = []
    for (source, resource, resource_id), event_ids in to_enqueue.items():
        if not breaker.allows():
            result.queue_down = True
            break
        try:
            enqueue_record(connection, source, resource, resource_id)
        except QueueUnavailable as exc:
            # The events stay not-enqueued in the inbox; the sweep enqueues them later.
            log.warning("queue unavailable, %d record(s) left for the inbox sweep: %s",
                        len(to_enqueue), exc)
            breaker.tripped()
            result.queue_down = True
            break
        enqueued_ids.extend(event_ids)
        result.enqueued += 1
    for start in range(0, len(enqueued_ids), _CHUNK):
        Event.update(enqueued_at=utcnow()).where(
            Event.id.in_(enqueued_ids[start:start + _CHUNK])).execute()
