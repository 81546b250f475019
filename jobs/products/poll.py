"""The products flow's polls: products Brightpearl changed since the cursor, and prices.

Brightpearl sends no webhook for price changes and does not guarantee product webhooks, so
both polls run on the poller's schedule (as queued jobs, so the poller itself stays quick).
The product cursor advances only past products that synced, with an overlap window; products
never edited since creation (updatedOn null) are found by their createdOn.
"""
from datetime import datetime, timedelta, timezone

from jobs.core import clients
from jobs.core.context import job_database
from jobs.products.mapping import price_index, unit_price
from jobs.core.flowkit import ready_settings
from jobs.products.handlers import FLOW, sync_products, utc
from models.links import read_cursor, write_cursor
from models.logs import FAILED, PENDING, SyncLog
from models.products import ProductWrite
from models.record_keys import bp_key

CURSOR = "products.updated"
OVERLAP = timedelta(minutes=5)
BEGINNING = datetime(2000, 1, 1, tzinfo=timezone.utc)  # no cursor yet: every product
CHUNK = 100
PRICE_CHUNK = 200


def poll_products():
    """Job: sync products created or edited since the cursor (minus the overlap); a summary."""
    with job_database():
        if ready_settings(FLOW) is None:
            return "products flow off or waiting for settings: cursor kept"
        since = utc(read_cursor(CURSOR)) or BEGINNING
        bp = clients.brightpearl("bulk")
        rows = bp.search_changed("/product-service/product-search", since - OVERLAP,
                                 "productId")
        synced, stopped = 0, None
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            statuses = sync_products([r["productId"] for r in chunk], "poll", priority="bulk")
            cursor, stopped = advance(chunk, statuses)
            if cursor is not None:
                write_cursor(CURSOR, cursor.isoformat())
            synced += len(chunk)
            if stopped:
                break
        return f"{synced} product(s) polled" + (f"; cursor held at {stopped}" if stopped else "")


def advance(rows, statuses):
    """(new cursor or None, the product that holds it back or None) after syncing rows.

    rows are in changedOn order; a Failed product (or one still retrying) keeps the cursor
    before itself, so the next poll reads it again.
    """
    cursor = None
    for row in rows:
        status = statuses.get(int(row["productId"]))
        if status == FAILED or status == PENDING and _retrying(row["productId"]):
            return cursor, row["productId"]
        cursor = utc(row.get("changedOn") or row.get("updatedOn")) or cursor
    return cursor, None


def _retrying(bp_id):
    row = SyncLog.get_or_none((SyncLog.log_type == "product")
                              & (SyncLog.record_key == bp_key(bp_id)))
    return bool(row and (row.pending_reason or "").startswith("retrying"))


def poll_prices():
    """Job: re-sync products whose price on the configured lists changed since the last write."""
    with job_database():
        settings = ready_settings(FLOW)
        if settings is None or "price" not in settings["owned_fields"]:
            return "price poll: products flow off, waiting for settings, or price not owned"
        bp = clients.brightpearl("bulk")
        written = {w.bp_product_id: w for w in ProductWrite.select()}
        changed = []
        ids = sorted(written)
        for start in range(0, len(ids), PRICE_CHUNK):
            changed += changed_prices(bp, ids[start:start + PRICE_CHUNK], written, settings)
        if changed:
            sync_products(changed, "poll", priority="bulk")
        return f"price poll: {len(changed)} of {len(ids)} product(s) changed price"


def changed_prices(bp, ids, written, settings):
    """The ids whose regular or sale price differs from what was last written."""
    prices = {}
    for list_id in {settings["price_list_id"], settings.get("sale_price_list_id")}:
        if list_id:
            for product_id, lists in price_index(bp.get_prices(ids, list_id)).items():
                prices.setdefault(product_id, {}).update(lists)
    changed = []
    for bp_id in ids:
        last = written[bp_id]
        regular = unit_price(prices.get(bp_id), settings["price_list_id"])
        sale = unit_price(prices.get(bp_id), settings.get("sale_price_list_id"))
        sale = sale if sale is not None and regular is not None and sale < regular else None
        if regular is not None and (regular != last.regular_price or sale != last.sale_price):
            changed.append(bp_id)
    return changed
