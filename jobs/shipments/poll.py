"""The shipments flow's backstop: notes whose webhook never came, found by polling.

Brightpearl does not guarantee a callback for every event, so this job looks at sales orders
(and goods-out notes) modified since its cursor, keeps the ones linked to Woo orders, and syncs
every shipped note the flow has not written yet. The cursor advances only when every note in
the window synced; a failure keeps the window for the next run (the row shows the failure).
"""
from datetime import datetime, timedelta, timezone

from connectors.bp_search import period
from connectors.errors import PermanentError
from jobs.core import clients
from jobs.shipments import mapping as sm
from models.record_keys import note_key
from jobs.core.context import job_database
from jobs.core.flowkit import ready_settings
from jobs.shipments.handlers import FLOW, sync_note
from models.links import OrderLink, read_cursor, write_cursor
from models.logs import FAILED, SyncLog
from models.shipments import ShipmentTracking

CURSOR = "shipments.reconcile"
OVERLAP = timedelta(minutes=10)
FIRST_LOOK_BACK = timedelta(days=7)
CHUNK = 200


def reconcile():
    """Job: sync shipped notes of recently modified linked orders not yet written; a summary."""
    with job_database():
        if ready_settings(FLOW) is None:
            return "shipments flow off or waiting for settings: cursor kept"
        started = datetime.now(timezone.utc)
        cursor = read_cursor(CURSOR)
        since = (datetime.fromisoformat(cursor) if cursor else started - FIRST_LOOK_BACK) - OVERLAP
        bp = clients.brightpearl("bulk")
        order_ids = sorted(_linked(_changed_orders(bp, since)))
        synced = failed = 0
        for start in range(0, len(order_ids), CHUNK):
            for kind, note_id, note in _shipped_notes(bp, order_ids[start:start + CHUNK]):
                if _already_written(kind, note_id, note):
                    continue
                sync_note(kind, note_id, "poll", priority="bulk")
                status = SyncLog.get(SyncLog.log_type == "shipment",
                                     SyncLog.record_key == note_key(kind, note_id)).status
                failed += status == FAILED
                synced += status != FAILED
        if not failed:
            write_cursor(CURSOR, started.isoformat())
        return (f"reconciled {len(order_ids)} linked order(s): {synced} note(s) synced, "
                f"{failed} failed" + ("; cursor kept" if failed else ""))


def _changed_orders(bp, since):
    """Ids of sales orders, and of orders with goods-out notes, modified since `since`."""
    window = period(since)
    ids = {int(r["orderId"]) for r in bp.search_orders(columns=("orderId",), orderTypeId=1,
                                                        updatedOn=window)}
    try:
        ids |= {int(r["orderId"]) for r in bp.search_goods_out_notes(
            columns=("goodsOutNoteId", "orderId"), updatedOn=window) if r.get("orderId")}
    except PermanentError:
        pass  # goods-out-search's updatedOn filter is unconfirmed; the order search covers it
    return ids


def _linked(order_ids):
    found = set()
    ids = sorted(order_ids)
    for start in range(0, len(ids), 500):
        found |= {bp for (bp,) in OrderLink.select(OrderLink.bp_order_id).where(
            OrderLink.bp_order_id.in_(ids[start:start + 500])).tuples()}
    return found


def _shipped_notes(bp, order_ids):
    for kind, read in ((sm.GOODS_OUT, bp.get_goods_out_notes),
                       (sm.DROP_SHIP, bp.get_drop_ship_notes)):
        for note_id, note in sorted(read(order_ids=order_ids).items(), key=lambda n: int(n[0])):
            if sm.is_shipped(note):
                yield kind, int(note_id), note


def _already_written(kind, note_id, note):
    record = ShipmentTracking.get_or_none(ShipmentTracking.note_key == note_key(kind, note_id))
    return record is not None and record.tracking_number == sm.tracking_number(note)
