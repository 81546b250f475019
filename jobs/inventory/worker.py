"""The stock worker job: goods movements → pending changes → writes, then the sweep's steps.

One run at a time (the lock helper's guard, renewed while the run lives, checked before each
pass and taken over at once when its holder died): a single consumer keeps reads coalesced and
writes ordered, so an older availability read can never overwrite a newer quantity in the
store. Each run is bounded in time; the poller's tick (and every on-hand webhook) enqueues the
next one, coalesced.
"""
import logging
import time

from connectors.errors import TransientError
from jobs.core import clients
from jobs.core.context import job_database, job_redis
from jobs.core.flowkit import flow_state
from jobs.core.locks import Lock, lock_seconds
from jobs.core.queues import BULK, enqueue_once
from jobs.inventory.changes import note_changes, postpone, settle, take_changes
from jobs.inventory.movements import advance_cursor, scan_movements
from jobs.inventory.sweep import checked_through, next_step, sweep_active
from jobs.inventory.sync import sync_products
from models.stock import POLL

log = logging.getLogger(__name__)
FLOW, JOB_ID, FUNC = "inventory", "inventory-stock", "jobs.inventory.worker.run_stock_work"
GUARD_KEY = "pearlbridge:inventory:stock-worker"
SCAN_KEY = "pearlbridge:inventory:movement-scan"
OVERLAP_KEY = "pearlbridge:inventory:movement-overlap"
OVERLAP_EVERY_MS = 60_000
RUN_SECONDS = 60.0
TAKE = 1000  # products per pass: 5 availability reads, ≤ 10 full Woo batches


def enqueue_stock_work(connection):
    """Enqueue the stock worker on the bulk queue (coalesced: at most one waits)."""
    return enqueue_once(connection, FUNC, (), JOB_ID, name=BULK,
                        description="inventory: write changed stock")


def run_stock_work(run_seconds=RUN_SECONDS):
    """The job: do pending stock work for up to run_seconds; returns a summary in words."""
    with job_database():
        redis = job_redis()
        guard = Lock(redis, GUARD_KEY, lock_seconds())
        if not guard.acquire():
            return "another stock run is working; it picks this change up"
        try:
            return _run(redis, guard, time.monotonic() + run_seconds)
        finally:
            guard.release()


def _run(redis, guard, deadline):
    flow = flow_state(FLOW)
    if not flow.enabled:
        return "inventory flow is off"
    if flow.problem:
        return f"inventory settings invalid: {flow.problem}"
    bp, woo = clients.brightpearl(redis_connection=redis), clients.woocommerce(redis_connection=redis)
    summary = {"noted": 0, "written": 0, "settled": 0, "retry": 0, "swept": 0}
    scanned, more = None, False
    if redis.set(SCAN_KEY, b"1", nx=True, px=int(flow.settings["delta_seconds"] * 1000)):
        scanned, more = _scan(bp, redis, summary)
    while time.monotonic() < deadline:
        guard.check()  # a run that lost its guard stops before writing what it read
        advance_cursor(scanned)
        if _changes(bp, woo, flow, summary):
            continue
        if more:  # a long backlog of movements: the next pages, now that these are written
            scanned, more = _scan(bp, redis, summary, resume_from=scanned)
            continue
        if not _sweep(bp, woo, flow, summary):
            break
    advance_cursor(scanned)
    summary.pop("stuck", None)
    return ", ".join(f"{k} {v}" for k, v in summary.items())


def _scan(bp, redis, summary, resume_from=None):
    # More movements than pages of one scan share resume_from's instant: read them all at once.
    pages = 100 * (1 + summary.get("stuck", 0))
    overlap = resume_from is None and bool(redis.set(OVERLAP_KEY, b"1", nx=True,
                                                     px=OVERLAP_EVERY_MS))
    noted, scanned, more = scan_movements(bp.with_priority("bulk"), redis, max_pages=pages,
                                          resume_from=resume_from, overlap=overlap)
    summary["stuck"] = summary.get("stuck", 0) + 1 if (more and scanned == resume_from) else 0
    summary["noted"] += noted
    return scanned, more


def _changes(bp, woo, flow, summary):
    """One pass over pending changes; False when none are due."""
    changes = take_changes(TAKE)
    if not changes:
        return False
    triggers = {c.bp_product_id: c.trigger for c in changes}
    urgent = set(triggers.values()) - {POLL}
    client = bp if urgent else bp.with_priority("bulk")
    try:
        result = sync_products(client, woo, flow, triggers)
    except TransientError as exc:
        log.warning("stock pass postponed: %s", exc)
        postpone(changes, exc)
        summary["retry"] += len(changes)
        return False  # a platform is struggling: leave the rest for the next run
    settle([c for c in changes if c.bp_product_id in result.settled])
    postpone([c for c in changes if c.bp_product_id in result.retry],
             next(iter(result.retry.values()), "retry"))
    summary["written"] += result.written
    summary["settled"] += len(result.settled)
    summary["retry"] += len(result.retry)
    return True


def _sweep(bp, woo, flow, summary):
    """One step of a running sweep; False when no sweep is running."""
    if not sweep_active():
        return False
    bulk = bp.with_priority("bulk")
    ids = next_step(bulk, flow.settings)
    if not ids:
        return sweep_active()  # a catalog page was read, or the sweep just finished
    try:
        result = sync_products(bulk, woo, flow, {pid: "sweep" for pid in ids})
    except TransientError as exc:
        log.warning("stock sweep step postponed: %s", exc)
        return False
    if result.retry:
        note_changes(list(result.retry), POLL)
    checked_through(ids[-1])
    summary["swept"] += len(ids)
    summary["written"] += result.written
    return True
