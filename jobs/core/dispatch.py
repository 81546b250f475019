"""The dispatcher job: routes a record's unprocessed inbox events to the flow that handles them."""
from itertools import groupby

from jobs.core.context import job_database
from jobs.core.locks import exclusive
from connectors.errors import TransientError
from jobs.core.queues import fail_permanently, record_job_id
from jobs.core.registry import RESYNC_TOPIC, handler_for, load_flows, resync_handler_for
from models.base import utcnow
from models.events import Event
from models.logs import SyncAttempt, SyncLog


def process_record(source, resource, resource_id):
    """Handle every unprocessed event of one record, oldest first, grouped by topic.

    A flow handler returns its outcome in words; an exception (a transient failure) leaves the
    events unprocessed and propagates, so RQ retries the job and the inbox sweep backs it up.
    """
    load_flows()
    with _one_run_per_record(source, resource, resource_id), job_database():
        events = list(
            Event.select()
            .where(
                (Event.source == source)
                & (Event.resource == resource)
                & (Event.resource_id == str(resource_id))
                & Event.processed_at.is_null()
            )
            .order_by(Event.topic, Event.id)
        )
        outcomes = []
        for topic, group in groupby(events, key=lambda e: e.topic):
            group = list(group)
            handler = _handler(source, topic, group)
            if handler is None:
                outcome = f"ignored: no flow handles {topic}"
                _note_unhandled(group, outcome)
            else:
                try:
                    outcome = handler(source=source, resource=resource,
                                      resource_id=resource_id, events=group)
                except TransientError:
                    raise  # the events stay unprocessed: RQ retries, the sweep backs it up
                except Exception as exc:
                    # Not worth retrying by itself: the row says Failed; Re-sync runs it again.
                    _mark_processed(group, f"failed: {type(exc).__name__}: {exc}")
                    fail_permanently()
                    raise
            _mark_processed(group, outcome)
            outcomes.append(outcome)
        return "; ".join(outcomes) or "nothing to process"


def _one_run_per_record(source, resource, resource_id):
    # The "-again" slot lets a second job wait while the first runs; it must not run beside it,
    # or both could create the same order: the second waits, and is retried if it waits long.
    return exclusive(f"pearlbridge:lock:{record_job_id(source, resource, resource_id)}")


def _handler(source, topic, events):
    if topic != RESYNC_TOPIC:
        return handler_for(source, topic)
    # A Re-sync names its log row; the row's type says which flow owns the record.
    log_ids = [e.log_id for e in events if e.log_id]
    row = SyncLog.get_or_none(SyncLog.id == log_ids[-1]) if log_ids else None
    return resync_handler_for(source, row.log_type) if row else None


def _mark_processed(events, outcome):
    Event.update(processed_at=utcnow(), outcome=outcome[:255]).where(
        Event.id.in_([e.id for e in events])
    ).execute()


def _note_unhandled(events, outcome):
    # Never Synced: the row stays Pending and says plainly that nothing acts on it yet.
    for log_id in {e.log_id for e in events if e.log_id}:
        SyncLog.update(pending_reason=outcome[:255]).where(
            (SyncLog.id == log_id) & (SyncLog.status == "pending")
        ).execute()
        SyncAttempt.create(log=log_id, trigger="webhook", outcome="ignored", message=outcome)
