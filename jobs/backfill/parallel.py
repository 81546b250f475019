"""A few records at once, results in order: so a backfill's pace is set by the budget's bulk
share, not by the platforms' latency, while its cursor still only ever moves past records
that are done (every earlier one included).
"""
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from jobs.core import clients
from jobs.reconcile.run import Tally
from models.db import connection


class ThreadClients:
    """A bulk-priority Brightpearl client and a Woo client per thread (a requests.Session is
    not shared between threads); every Brightpearl call of every thread is counted."""

    def __init__(self, bp=None, woo=None):
        self._given, self._local, self._lock = (bp, woo), threading.local(), threading.Lock()
        self.tallies = []

    def get(self):
        """(bp, woo) for the calling thread."""
        if not hasattr(self._local, "bp"):
            bp, woo = self._given
            bp = bp or clients.brightpearl("bulk")
            bp.counter = Tally(bp.counter)
            with self._lock:
                self.tallies.append(bp.counter)
            self._local.bp, self._local.woo = bp, woo or clients.woocommerce()
        return self._local.bp, self._local.woo

    @property
    def calls(self):
        """Brightpearl calls made so far, every thread."""
        return sum(t.calls for t in self.tallies)


def in_order(units, handle, threads=1, should_stop=lambda: False):
    """handle(unit) for each unit, up to `threads` at once; yields results in units' order.

    Stops taking units once should_stop() says so and lets the ones running finish; an error
    in one ends it. Results not yielded by then are lost to the cursor, not to the platforms:
    the next run meets those records again and finds them done (no calls).
    """
    if threads <= 1:
        for unit in units:
            if should_stop():
                return
            yield handle(unit)
        return
    pool, pending = ThreadPoolExecutor(threads, thread_name_prefix="backfill"), deque()

    def in_connection(unit):
        with connection():
            return handle(unit)

    try:
        for unit in units:
            if should_stop():
                break
            pending.append(pool.submit(in_connection, unit))
            while pending and (pending[0].done() or len(pending) >= 2 * threads):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # Interrupted (or failed): nothing new starts, and what runs finishes its record.
        pool.shutdown(wait=True, cancel_futures=True)
