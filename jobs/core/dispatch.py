"""The dispatcher job: hands a record's unprocessed inbox events to the flows that handle them."""
import logconfig
from jobs.core.context import job_database
from jobs.core.flowkit import transient_reason
from jobs.core.locks import Busy, exclusive
from jobs.core.queues import fail_permanently, record_job_id
from jobs.core.registry import handler_for, load_flows
from models.base import utcnow
from models.events import RESYNC_TOPIC, Event
from models.logs import PENDING, SyncAttempt, SyncLog
from models.record_keys import row_record

WAITING_FOR_PREVIOUS = "waiting for the previous run of this record to finish"


def process_record(source, resource, resource_id):
    """Handle every unprocessed event of one record: each handler once, with all its events.

    A burst (order.created + order.updated, a Re-sync on top) is one call of one handler, so the
    record is read from its platform once. A handler that fails transiently (a platform or the
    infrastructure) leaves its events unprocessed for RQ's retry and the inbox sweep; the
    record's other handlers still run first.
    """
    load_flows()
    with logconfig.record_context(f"{source}/{resource}/{resource_id}"):
        try:
            with _one_run_per_record(source, resource, resource_id):
                return _process(source, resource, resource_id)
        except Busy:
            # Said on the rows, so a waiting record never reads "queued" with no attempt.
            _note_waiting(source, resource, resource_id)
            raise


def _process(source, resource, resource_id):
    with job_database():
        events = list(_unprocessed(source, resource, resource_id).order_by(Event.id))
        outcomes, transient, bug = [], None, None
        for handler, group in _by_handler(source, events):
            if handler is None:
                outcome = f"ignored: no flow handles {group[0].topic}"
                _note_unhandled(group, outcome)
                _mark_processed(group, outcome)
                outcomes.append(outcome)
                continue
            try:
                outcome = handler(source=source, resource=resource, resource_id=resource_id,
                                  events=group)
            except Exception as exc:  # noqa: BLE001 - settled below, raised once the rest ran
                if transient_reason(exc) is not None:
                    # A platform or the infrastructure: the events stay for the retry.
                    transient = transient or exc
                    continue
                # Not worth retrying by itself: the row says Failed; Re-sync runs it again.
                _mark_processed(group, f"failed: {type(exc).__name__}: {exc}")
                bug = bug or exc
                continue
            _mark_processed(group, outcome)
            outcomes.append(outcome)
        if transient is not None:
            raise transient  # RQ retries the job: only the unprocessed events run again
        if bug is not None:
            fail_permanently()
            raise bug
        return "; ".join(outcomes) or "nothing to process"


def _unprocessed(source, resource, resource_id):
    return Event.select().where(
        (Event.source == source) & (Event.resource == resource)
        & (Event.resource_id == str(resource_id)) & Event.processed_at.is_null())


def _by_handler(source, events):
    """[(handler or None, its events oldest first)] in the order each handler's first event came."""
    groups = {}
    for event in events:
        handler = handler_for(source, _routed_topic(event))
        groups.setdefault(handler or ("unhandled", event.topic), []).append(event)
    return [(None if isinstance(key, tuple) else key, group) for key, group in groups.items()]


def _routed_topic(event):
    # A Re-sync names its log row; the row's key says which record it is and how it is routed.
    if event.topic != RESYNC_TOPIC:
        return event.topic
    row = SyncLog.get_or_none(SyncLog.id == event.log_id) if event.log_id else None
    ref = row_record(row) if row else None
    return ref.topic if ref else event.topic


def _one_run_per_record(source, resource, resource_id):
    # The "-again" slot lets a second job wait while the first runs; it must not run beside it,
    # or both could create the same order: it waits briefly, then RQ retries it. A holder that
    # died is taken over at once (jobs.core.locks).
    return exclusive(f"pearlbridge:lock:{record_job_id(source, resource, resource_id)}",
                     busy=WAITING_FOR_PREVIOUS)


def _note_waiting(source, resource, resource_id):
    with job_database():
        log_ids = _unprocessed(source, resource, resource_id).select(Event.log_id)
        SyncLog.update(pending_reason=WAITING_FOR_PREVIOUS).where(
            SyncLog.id.in_(log_ids) & (SyncLog.status == PENDING)).execute()


def _mark_processed(events, outcome):
    Event.update(processed_at=utcnow(), outcome=outcome[:255]).where(
        Event.id.in_([e.id for e in events])
    ).execute()


def _note_unhandled(events, outcome):
    # Never Synced: the row stays Pending and says plainly that nothing acts on it yet.
    for log_id in {e.log_id for e in events if e.log_id}:
        SyncLog.update(pending_reason=outcome[:255]).where(
            (SyncLog.id == log_id) & (SyncLog.status == PENDING)
        ).execute()
        SyncAttempt.create(log=log_id, trigger="webhook", outcome="ignored", message=outcome)
