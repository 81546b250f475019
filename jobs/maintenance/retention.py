"""The retention prune: empty old payloads, delete old processed events and attempts, cap each
log row's attempt history. Log rows themselves are kept: they are the record. Inbox events are
pruned whichever connection they belong to (a switched-away store's age like the rest).

Every step works in batches of `batch_rows`, each its own short write transaction with a pause
after it, so webhooks arriving meanwhile wait for the write lock a few milliseconds at most.
"""
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import fn

from models.db import write_transaction
from models.events import Event, EventBody
from models.links import read_cursor, write_cursor
from models.logs import LOG_TYPES, SyncAttempt, SyncLog

# Events go before payloads are emptied, so no payload is emptied just to be deleted.
STEPS = ("events deleted", "shared bodies deleted", "payloads emptied", "attempts deleted",
         "attempts over the cap")
PAYLOAD_CURSOR, CAP_CURSOR = "retention-payloads", "retention-cap"
# Rows touched while a capping pass ran are looked at again by the next one.
CAP_OVERLAP = timedelta(minutes=5)
CAP_ROWS_PER_BATCH = 50


@dataclass(frozen=True)
class Rules:
    """How long things are kept (0 keeps them forever) and how the prune paces itself."""

    payload_days: float = 7
    event_days: float = 30
    attempt_days: float = 90
    attempts_per_row: int = 50
    batch_rows: int = 500
    pause_seconds: float = 0.02

    @classmethod
    def from_settings(cls, settings):
        """The rules from the RETENTION_* settings."""
        return cls(float(settings["RETENTION_PAYLOAD_DAYS"]),
                   float(settings["RETENTION_EVENT_DAYS"]),
                   float(settings["RETENTION_ATTEMPT_DAYS"]),
                   int(settings["RETENTION_ATTEMPTS_PER_ROW"]),
                   max(1, int(settings["RETENTION_BATCH_ROWS"])),
                   max(0.0, float(settings["RETENTION_PAUSE_SECONDS"])))

    def cutoff(self, days, now):
        """The time before which rows of a rule kept `days` go; None when the rule is off."""
        return now - timedelta(days=days) if days and days > 0 else None


def plan(rules, now):
    """What prune() would do now, step by step (counts only; nothing changes)."""
    payloads, events, attempts = (rules.cutoff(d, now) for d in (
        rules.payload_days, rules.event_days, rules.attempt_days))
    counts = dict.fromkeys(STEPS, 0)
    if events:
        counts[STEPS[0]] = _old_events(events).count()
        counts[STEPS[1]] = _old_bodies(events).count()
    if payloads:
        counts[STEPS[2]] = _untrimmed(payloads).where(
            Event.processed_at >= (events or datetime.min)).count()
    if attempts:
        counts[STEPS[3]] = SyncAttempt.select().where(SyncAttempt.at < attempts).count()
    if rules.attempts_per_row > 0:
        per_row = (SyncAttempt.select(fn.COUNT(SyncAttempt.id).alias("n"))
                   .where(SyncAttempt.at >= (attempts or datetime.min))
                   .group_by(SyncAttempt.log)
                   .having(fn.COUNT(SyncAttempt.id) > rules.attempts_per_row))
        counts[STEPS[4]] = sum(n - rules.attempts_per_row for (n,) in per_row.tuples())
    return counts


def prune(rules, now, deadline=None, pause=time.sleep, after_batch=lambda: None):
    """Apply every rule in bounded batches until done or past deadline (monotonic seconds);
    after_batch runs after each batch, outside its transaction (the SQLite checkpoint)."""
    done = dict.fromkeys(STEPS, 0)
    steps = zip(STEPS, (_delete_events, _delete_bodies, _trim_payloads, _delete_attempts,
                        _cap_attempts))
    for name, step in steps:
        for count in step(rules, now):
            done[name] += count
            if count:
                after_batch()
                pause(rules.pause_seconds)
            if deadline is not None and time.monotonic() > deadline:
                return done
    return done


def _untrimmed(cutoff):
    after = read_cursor(PAYLOAD_CURSOR)
    query = Event.select_everywhere().where(
        Event.processed_at.is_null(False) & (Event.processed_at < cutoff) & (Event.payload != ""))
    return query.where(Event.processed_at > datetime.fromisoformat(after)) if after else query


def _trim_payloads(rules, now):
    cutoff = rules.cutoff(rules.payload_days, now)
    if cutoff is None:
        return
    while True:
        after = read_cursor(PAYLOAD_CURSOR)
        window = Event.select_everywhere(Event.processed_at).where(
            Event.processed_at.is_null(False) & (Event.processed_at < cutoff))
        if after:
            window = window.where(Event.processed_at > datetime.fromisoformat(after))
        # The batch ends at the batch_rows-th oldest time; rows sharing it join the batch.
        last = window.order_by(Event.processed_at).offset(rules.batch_rows - 1).limit(1).scalar()
        last = Event.processed_at.python_value(last) if last is not None else cutoff
        with write_transaction():
            bounded = (Event.processed_at <= last) & (Event.processed_at < cutoff) \
                & (Event.payload != "")
            if after:
                bounded &= Event.processed_at > datetime.fromisoformat(after)
            count = Event.update_everywhere(payload="").where(bounded).execute()
            write_cursor(PAYLOAD_CURSOR, min(last, cutoff).isoformat())
        yield count
        if last >= cutoff:
            return


def _old_events(cutoff):
    return Event.select_everywhere(Event.id).where(Event.processed_at.is_null(False)
                                        & (Event.processed_at < cutoff))


def _delete_events(rules, now):
    cutoff = rules.cutoff(rules.event_days, now)
    if cutoff is not None:
        yield from _delete_in_batches(Event, _old_events(cutoff).order_by(Event.processed_at),
                                      rules.batch_rows)


def _old_bodies(cutoff):
    # A Brightpearl ID set's shared body goes with its events: received before the events'
    # cutoff, and no unprocessed event (which the prune never deletes) still points to it.
    waiting = Event.select_everywhere(Event.id).where(Event.processed_at.is_null()
                                           & (Event.body_id == EventBody.id))
    return EventBody.select(EventBody.id).where((EventBody.received_at < cutoff)
                                                & ~fn.EXISTS(waiting))


def _delete_bodies(rules, now):
    cutoff = rules.cutoff(rules.event_days, now)
    if cutoff is not None:
        yield from _delete_in_batches(EventBody, _old_bodies(cutoff).order_by(EventBody.id),
                                      rules.batch_rows)


def _delete_attempts(rules, now):
    cutoff = rules.cutoff(rules.attempt_days, now)
    if cutoff is not None:
        oldest = SyncAttempt.select(SyncAttempt.id).where(SyncAttempt.at < cutoff) \
            .order_by(SyncAttempt.at)
        yield from _delete_in_batches(SyncAttempt, oldest, rules.batch_rows)


def _delete_in_batches(model, ids, batch_rows):
    """Delete the rows whose ids the query selects, batch_rows per transaction (one statement
    each: the ids never travel through Python)."""
    while True:
        with write_transaction():
            count = _delete(model).where(model.id.in_(ids.limit(batch_rows))).execute()
        yield count
        if count < batch_rows:
            return


def _delete(model):
    # Old inbox events go whichever connection (store) they came from.
    return model.delete_everywhere() if hasattr(model, "delete_everywhere") else model.delete()


def _cap_attempts(rules, now):
    """Rows whose history grew past the cap since the last pass keep their newest attempts."""
    keep = rules.attempts_per_row
    if keep <= 0:
        return
    mark = read_cursor(CAP_CURSOR)
    since = datetime.fromisoformat(mark) - CAP_OVERLAP if mark else datetime.min
    for log_type in LOG_TYPES:
        candidates = (SyncLog.select(SyncLog.id).where(
            (SyncLog.log_type == log_type) & (SyncLog.updated_at >= since)
            & (SyncLog.attempt_count > keep)).order_by(SyncLog.id).tuples())
        row_ids = [i for (i,) in candidates]
        for start in range(0, len(row_ids), CAP_ROWS_PER_BATCH):
            with write_transaction():
                count = sum(_cap_row(row_id, keep)
                            for row_id in row_ids[start:start + CAP_ROWS_PER_BATCH])
            yield count
    write_cursor(CAP_CURSOR, now.isoformat())


def _cap_row(row_id, keep):
    newest = (SyncAttempt.select(SyncAttempt.id).where(SyncAttempt.log == row_id)
              .order_by(SyncAttempt.at.desc(), SyncAttempt.id.desc()).limit(keep))
    return SyncAttempt.delete().where((SyncAttempt.log == row_id)
                                      & SyncAttempt.id.not_in(newest)).execute()
