"""Running a backfill: unit after unit, the cursor saved after each, on the bulk share.

The same run serves the terminal (`flask backfill`, with a progress bar, stopped with Ctrl-C)
and the Flows page (a bulk-queue job that works a few minutes, then queues its next part).
Interrupted anywhere, it resumes from its cursor; one runner at a time per backfill.
"""
import json
import time

from connectors.errors import TransientError
from jobs.backfill.catalog import ProductsBackfill, StockBackfill
from jobs.backfill.orders import OrdersBackfill
from jobs.backfill.parallel import ThreadClients, in_order
from jobs.core.context import job_database, job_redis
from jobs.core.locks import exclusive
from jobs.core.queues import BULK, enqueue_once
from models.backfill import DONE, FAILED, PAUSED, RUNNING, Backfill
from models.base import utcnow

KINDS = {"orders": OrdersBackfill, "products": ProductsBackfill, "stock": StockBackfill}
JOB_SECONDS = 240  # a job's part; the job timeout is 600 s
LOCK_SECONDS = 300  # renewed while held (jobs.core.locks); a dead runner's is taken over at once


def run_backfill(backfill_id, seconds=None, progress=None, stop=None, bp=None, woo=None):
    """Work the backfill until done, seconds pass, or stop() says so; the Backfill row.

    bp / woo replace the clients the run makes (one pair per thread): given, it runs on one.
    """
    backfill = Backfill.get_by_id(backfill_id)
    if backfill.finished:
        return backfill
    with exclusive(f"pearlbridge:backfill:{backfill.id}", seconds=LOCK_SECONDS, wait=5) as lock:
        pair = ThreadClients(bp, woo)
        kind = KINDS[backfill.kind](backfill, pair.get)
        blocker = kind.blocker()
        if blocker:
            return _save(backfill, status=FAILED, message=f"cannot run: {blocker}",
                         finished_at=utcnow())
        _save(backfill, status=RUNNING, message="")
        began, counted = time.monotonic(), 0
        deadline = began + seconds if seconds else None

        stopped = []

        def should_stop():
            if (deadline and time.monotonic() > deadline) or (stop and stop()):
                stopped.append(True)
            return bool(stopped)

        threads = 1 if bp is not None else getattr(kind, "threads", 1)
        try:
            for counts, cursor in in_order(kind.units(), kind.handle, threads, should_stop):
                backfill.done += sum(counts.values())
                for name in ("created", "skipped", "failed"):
                    setattr(backfill, name, getattr(backfill, name) + counts.get(name, 0))
                backfill.cursor_json = json.dumps(cursor, sort_keys=True)
                backfill.bp_calls += pair.calls - counted
                counted = pair.calls
                _save(backfill)
                lock.check()  # a runner that lost its lock stops before the next unit
                if progress:
                    progress(backfill)
            if stopped:
                return backfill
            _save(backfill, status=DONE, finished_at=utcnow(), total=backfill.total or 0,
                  message=f"{backfill.created} created, {backfill.skipped} already there or "
                          f"skipped, {backfill.failed} failed")
            if progress:
                progress(backfill)
            return backfill
        except TransientError as exc:
            _save(backfill, message=f"waiting, will carry on: {exc}")
            raise
        finally:
            backfill.bp_calls += pair.calls - counted
            backfill.busy_seconds += int(round(time.monotonic() - began))
            _save(backfill)


def _save(backfill, **changes):
    for name, value in changes.items():
        setattr(backfill, name, value)
    backfill.updated_at = utcnow()
    backfill.save()
    return backfill


def pause(backfill_id):
    """Mark a backfill interrupted (it resumes from its cursor when run again)."""
    Backfill.update(status=PAUSED, updated_at=utcnow()).where(
        (Backfill.id == backfill_id) & (Backfill.status == RUNNING)).execute()


def enqueue_backfill(connection, backfill_id):
    """Queue the backfill's next part on the bulk queue (coalesced per backfill)."""
    return enqueue_once(connection, "jobs.backfill.run.backfill_job", (backfill_id,),
                        f"backfill-{backfill_id}", name=BULK,
                        description=f"backfill #{backfill_id}")


def backfill_job(backfill_id):
    """The queued part of a backfill; queues the next part until it is done."""
    with job_database():
        backfill = run_backfill(backfill_id, seconds=JOB_SECONDS)
        if not backfill.finished:
            enqueue_backfill(job_redis(), backfill_id)
        return f"backfill #{backfill.id}: {backfill.done} of {backfill.total} ({backfill.status})"
