"""The full stock sweep: every product's availability against the last quantity written.

Repairs what notifications missed and allocations that moved on-hand without a goods movement.
It runs in steps (catalog refresh pages, then 1000 products at a time) so no single job runs
long; its progress lives in a cursor, so a restarted worker carries on where it stopped.
"""
import json
from datetime import timedelta

from jobs.inventory.catalog import refresh_catalog
from jobs.inventory.times import from_cursor, to_cursor
from models.base import utcnow
from models.links import read_cursor, write_cursor
from models.schemas.inventory import UNTRACKED_IN_STOCK
from models.stock import SWEEP_CURSOR as CURSOR, StockItem

STEP = 1000


def sweep_state():
    """{"started", "catalog_done", "position", "done"} of the latest sweep, or None."""
    raw = read_cursor(CURSOR)
    return json.loads(raw) if raw else None


def _save(state):
    write_cursor(CURSOR, json.dumps(state, sort_keys=True))


def sweep_due(settings, now=None):
    """True when no sweep is running and the last one started sweep_seconds ago or more."""
    state, now = sweep_state(), now or utcnow()
    if state is None:
        return True
    if not state.get("done"):
        return False
    started = from_cursor(state.get("started"))
    return started is None or now - started >= timedelta(seconds=settings["sweep_seconds"])


def start_sweep(now=None):
    """Begin a sweep: the catalog first, then every product from the lowest id."""
    _save({"started": to_cursor(now or utcnow()), "catalog_done": False, "position": 0,
           "done": False})


def sweep_active():
    """True while a started sweep has products left."""
    state = sweep_state()
    return bool(state) and not state.get("done")


def next_step(bp, settings):
    """Do the sweep's next bounded step; the product ids to check now (none while reading the
    catalog, none when finished). Call checked_through() once they are settled."""
    state = sweep_state()
    if not state or state.get("done"):
        return []
    if not state.get("catalog_done"):
        state["catalog_done"] = refresh_catalog(bp)
        _save(state)
        return []
    query = StockItem.select(StockItem.bp_product_id).where(
        StockItem.bp_product_id > int(state.get("position") or 0))
    if settings["untracked"] != UNTRACKED_IN_STOCK:
        query = query.where((StockItem.stock_tracked == True)  # noqa: E712
                            | StockItem.components_json.is_null(False))
    ids = [pid for (pid,) in query.order_by(StockItem.bp_product_id).limit(STEP).tuples()]
    if not ids:
        state["done"] = True
        state["finished"] = to_cursor(utcnow())
        _save(state)
    return ids


def checked_through(product_id):
    """The products up to product_id are settled (or queued for a retry): move past them."""
    state = sweep_state()
    if state and not state.get("done"):
        state["position"] = max(int(state.get("position") or 0), int(product_id))
        _save(state)
