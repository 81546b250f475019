"""Pending stock changes: noted by webhooks and goods movements, taken in batches, settled.

One row per product, whatever the number of notifications (a burst for one SKU is one read).
A row leaves only when its quantity was written or found unchanged; a transient failure keeps
it, with a growing wait, and keeps the goods-movement cursor from passing it.
"""
from datetime import timedelta

from peewee import EXCLUDED, SQL, fn

from models.base import utcnow
from models.stock import PRIORITY, WEBHOOK, StockChange

# Waits after consecutive transient failures (Woo down, budget spent): seconds.
BACKOFF = (5, 15, 60, 300, 900)


def note_changes(product_ids, trigger=WEBHOOK, movement_on=None, now=None):
    """Record that these products' stock may have changed (coalesced per product).

    A webhook raises a polled row's priority; movement_on (one time, or {product id: time})
    keeps the earliest movement time, so the cursor waits for the oldest outstanding change.
    Returns how many products were noted.
    """
    now = now or utcnow()
    ids = sorted({int(p) for p in product_ids})
    moments = movement_on if isinstance(movement_on, dict) else {}
    for start in range(0, len(ids), 500):
        rows = [{"bp_product_id": pid, "noted_at": now, "priority": PRIORITY[trigger],
                 "trigger": trigger,
                 "movement_on": moments.get(pid) if moments else movement_on}
                for pid in ids[start:start + 500]]
        (StockChange.insert_many(rows)
         .on_conflict(conflict_target=[StockChange.bp_product_id], update={
             StockChange.noted_at: EXCLUDED.noted_at,
             StockChange.priority: _SMALLER_PRIORITY,
             StockChange.trigger: _URGENT_TRIGGER,
             StockChange.movement_on: _EARLIER_MOVEMENT,
             StockChange.not_before: None,
         }).execute())
    return len(ids)


# Upsert expressions written once in SQL that SQLite and PostgreSQL both accept.
_SMALLER_PRIORITY = SQL("CASE WHEN excluded.priority < stock_change.priority "
                        "THEN excluded.priority ELSE stock_change.priority END")
_URGENT_TRIGGER = SQL("CASE WHEN excluded.priority < stock_change.priority "
                      "THEN excluded.trigger ELSE stock_change.trigger END")
_EARLIER_MOVEMENT = SQL("CASE WHEN stock_change.movement_on IS NULL THEN excluded.movement_on "
                        "WHEN excluded.movement_on IS NULL THEN stock_change.movement_on "
                        "WHEN excluded.movement_on < stock_change.movement_on "
                        "THEN excluded.movement_on ELSE stock_change.movement_on END")


def take_changes(limit, now=None):
    """The next pending changes due now, most urgent first (webhook, then poll), oldest first."""
    now = now or utcnow()
    return list(StockChange.select()
                .where(StockChange.not_before.is_null() | (StockChange.not_before <= now))
                .order_by(StockChange.priority, StockChange.noted_at,
                          StockChange.bp_product_id)
                .limit(limit))


def settle(changes):
    """Remove changes that are done, unless the product was noted again since they were taken."""
    for change in changes:
        StockChange.delete().where(
            (StockChange.bp_product_id == change.bp_product_id)
            & (StockChange.noted_at <= change.noted_at)).execute()


def postpone(changes, error, now=None):
    """Keep changes for a later try after a transient failure, waiting longer each time."""
    now = now or utcnow()
    for change in changes:
        attempts = (change.attempts or 0) + 1
        wait = BACKOFF[min(attempts, len(BACKOFF)) - 1]
        StockChange.update(attempts=attempts, not_before=now + timedelta(seconds=wait),
                           last_error=str(error)[:500]).where(
            StockChange.bp_product_id == change.bp_product_id).execute()


def oldest_outstanding_movement():
    """The earliest goods-movement time of a change not yet settled, or None."""
    return StockChange.select(fn.MIN(StockChange.movement_on)).scalar()


def next_cursor(current, scanned_up_to, outstanding):
    """Where the goods-movement cursor may go: never past an outstanding change, never back.

    current: the stored cursor; scanned_up_to: the latest movement time read (None if none);
    outstanding: the earliest movement time still waiting to be written (None if none).
    """
    candidate = scanned_up_to if scanned_up_to is not None else current
    if outstanding is not None and (candidate is None or outstanding < candidate):
        candidate = outstanding
    if current is not None and (candidate is None or candidate < current):
        return current
    return candidate

