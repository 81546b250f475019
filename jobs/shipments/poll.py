"""The shipments flow's backstop: notes whose webhook never came, found by polling.

Brightpearl does not guarantee a callback for every event, so this job looks at sales orders
created or edited since its cursor (updatedOn stays null until an order's first edit) and at
goods-out notes created in the last NOTE_LOOK_BACK (goods-out-search's confirmed columns are
only goodsOutNoteId and createdOn, and shipping a note need not touch its order), keeps the
ones of orders linked to Woo orders, and syncs every shipped note the flow has not written yet.
The cursor advances only when every note in the window synced; a failure keeps the window for
the next run (the row shows the failure). Left to the webhook: a drop-ship note shipped on an
order not edited since the cursor, and a goods-out note shipped more than NOTE_LOOK_BACK after
it was created on such an order.
"""
from datetime import datetime, timedelta, timezone

from connectors.bp_search import period
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
NOTE_LOOK_BACK = timedelta(days=7)
CHUNK = 200
NOTE_CHUNK = 500


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
        notes = {}
        for start in range(0, len(order_ids), CHUNK):
            notes.update(_shipped_notes(bp, order_ids[start:start + CHUNK]))
        notes.update(_recent_goods_out(bp, min(since, started - NOTE_LOOK_BACK)))
        synced = failed = 0
        for (kind, note_id), note in sorted(notes.items()):
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
    """Ids of sales orders created or edited since `since`."""
    return {int(r["orderId"]) for r in bp.search_changed("/order-service/order-search", since,
                                                         "orderId", orderTypeId=1)}


def _recent_goods_out(bp, since):
    """{(kind, id): note} of shipped goods-out notes created since `since` whose order is
    linked and whose tracking was never written (a shipped note cannot change any more)."""
    ids = [int(r["goodsOutNoteId"]) for r in bp.search_goods_out_notes(
        columns=("goodsOutNoteId",), createdOn=period(since))]
    written = _written_keys(sm.GOODS_OUT, ids)
    ids = [i for i in ids if note_key(sm.GOODS_OUT, i) not in written]
    found = {}
    for start in range(0, len(ids), NOTE_CHUNK):
        notes = bp.get_goods_out_notes(note_ids=ids[start:start + NOTE_CHUNK])
        linked = _linked({int(n["orderId"]) for n in notes.values() if n.get("orderId")})
        found.update({(sm.GOODS_OUT, int(i)): n for i, n in notes.items()
                      if sm.is_shipped(n) and n.get("orderId") in linked})
    return found


def _written_keys(kind, note_ids):
    keys = [note_key(kind, i) for i in note_ids]
    found = set()
    for start in range(0, len(keys), 500):
        found |= {k for (k,) in ShipmentTracking.select(ShipmentTracking.note_key).where(
            ShipmentTracking.note_key.in_(keys[start:start + 500])).tuples()}
    return found


def _linked(order_ids):
    found = set()
    ids = sorted(order_ids)
    for start in range(0, len(ids), 500):
        found |= {bp for (bp,) in OrderLink.select(OrderLink.bp_order_id).where(
            OrderLink.bp_order_id.in_(ids[start:start + 500])).tuples()}
    return found


def _shipped_notes(bp, order_ids):
    """{(kind, id): note} of the shipped goods-out and drop-ship notes of order_ids."""
    found = {}
    for kind, read in ((sm.GOODS_OUT, bp.get_goods_out_notes),
                       (sm.DROP_SHIP, bp.get_drop_ship_notes)):
        found.update({(kind, int(note_id)): note for note_id, note in
                      read(order_ids=order_ids).items() if sm.is_shipped(note)})
    return found


def _already_written(kind, note_id, note):
    record = ShipmentTracking.get_or_none(ShipmentTracking.note_key == note_key(kind, note_id))
    return record is not None and record.tracking_number == sm.tracking_number(note)
