"""The shipments flow (Brightpearl → Woo): a shipped goods-out or drop-ship note becomes the
tracking number and carrier on its Woo order, which is completed once every line has shipped.

One log row per note (gon-N / dsn-N, type Shipment). The note is re-read from Brightpearl
whatever the webhook said; what was written is remembered per note (ShipmentTracking) and also
checked on the Woo order itself, so the same tracking is never written twice.
"""
import json

from jobs.core import clients
from jobs.shipments import mapping as sm
from jobs.core.flowkit import Synced, require_complete, run_record
from jobs.core.outcomes import Skipped, WaitingForSettings
from jobs.core.locks import exclusive
from jobs.core.queues import BULK, enqueue_once
from jobs.core.registry import every, handles, trigger_of
from models.base import upsert, utcnow
from models.links import OrderLink
from models.logs import log_row
from models.record_keys import NOTE_LABELS, note_key
from models.shipments import ShipmentTracking

FLOW = "shipments"


def note_row(kind, note_id):
    """The note's log row (gon-N / dsn-N), created Pending when the note was never seen."""
    return log_row("shipment", note_key(kind, note_id), f"{NOTE_LABELS[kind]} {note_id}",
                   str(note_id))


def sync_note(kind, note_id, trigger="webhook", priority="interactive"):
    """Sync one goods-out or drop-ship note to its Woo order; returns the outcome in words."""
    row = note_row(kind, note_id)
    # A note's follow-up job may start while the first still runs: one at a time per note.
    with exclusive(f"pearlbridge:shipments:{note_key(kind, note_id)}",
                   busy="waiting for the previous run of this note to finish"):
        def work(settings, attempt):
            require_complete(FLOW, settings)
            return NoteSync(kind, int(note_id), clients.brightpearl(priority)).run(settings,
                                                                                  attempt)

        return run_record(row, FLOW, trigger, work)


class NoteSync:
    """One note: read it and its order, then write tracking and completion only when needed."""

    def __init__(self, kind, note_id, bp=None, woo=None):
        self.kind, self.note_id = kind, note_id
        self.key = note_key(kind, note_id)
        self.bp, self.woo = bp or clients.brightpearl(), woo or clients.woocommerce()

    def run(self, settings, attempt):
        """Do the work; returns a Synced or raises Skipped (not shipped, not a store order)."""
        label = f"{NOTE_LABELS[self.kind]} {self.note_id}"
        note = self._read(self.note_id)
        if note is None:
            raise Skipped(f"{label} is no longer in Brightpearl")
        if not sm.is_shipped(note):
            raise Skipped(f"{label} is not shipped yet")
        order_id = int(note.get("orderId") or 0)
        link = OrderLink.get_or_none(OrderLink.bp_order_id == order_id) if order_id else None
        if link is None:
            raise Skipped(f"not a store order: Brightpearl order {order_id or '-'} is not "
                          f"linked to a Woo order")
        woo_id = link.woo_order_id
        sales_order = self.bp.get_sales_order(order_id)
        woo_order = self.woo.get_order(woo_id)
        notes = self._notes_of(order_id, note)
        progress = sm.progress(woo_order, sm.shipped_lines(notes, sales_order),
                               sales_order.get("shippingStatusCode"))
        number = sm.tracking_number(note)
        record = ShipmentTracking.get_or_none(ShipmentTracking.note_key == self.key)
        done = [self._tracking(settings, attempt, note, number, record, woo_order, order_id)]
        completed = False
        if sm.should_complete(settings, woo_order, progress):
            self.woo.update_order_status(woo_id, "completed")
            completed = True
            done.append("order completed")
        self._remember(order_id, woo_id, completed)
        info = sm.info(self.kind, self.note_id, woo_order)
        return Synced(f"{info}: {'; '.join(done)}; {progress.words()}", target_ref=str(woo_id),
                      row_changes={"tracking": number, "info": info[:255]})

    def _tracking(self, settings, attempt, note, number, record, woo_order, order_id):
        if not number:
            return "shipped without a tracking number"
        previous = record.tracking_number if record is not None else None
        if previous == number:
            return f"tracking {number} unchanged; nothing written"
        replaced = self._take_back(record, woo_order) if previous else ""
        if sm.tracking_on_order(woo_order, number):
            self._save(order_id, woo_order["id"], number, record and record.provider, None, None)
            return f"tracking {number} already on the order; nothing written{replaced}"
        carrier = sm.provider(note, self._methods(note, settings), settings)
        shipped = sm.shipped_on(note)
        result = self.woo.add_tracking(woo_order["id"], number, provider=carrier,
                                       date_shipped=shipped,
                                       notify_customer=settings["customer_visible_note"],
                                       replaces=previous)
        attempt.note(request=json.dumps({"order": woo_order["id"], "tracking_number": number,
                                         "provider": carrier, "date_shipped": str(shipped)}),
                     response=json.dumps(result.__dict__))
        self._save(order_id, woo_order["id"], number, carrier, result.method,
                   result.tracking_id or (str(result.note_id) if result.note_id else None))
        how = "with the Shipment Tracking extension" if result.method == "extension" \
            else "as an order note and order meta"
        changed = f"tracking changed {previous} → {number}: " if previous else ""
        return f"{changed}tracking {number}{f' ({carrier})' if carrier else ''} written {how}" \
            + replaced

    def _take_back(self, record, woo_order):
        """Remove the tracking written for the note's earlier number: a corrected number
        replaces the first item, never sits beside it."""
        previous = record.tracking_number
        ref = record.woo_tracking_ref or sm.tracking_id_on_order(woo_order, previous)
        if not ref:
            return f"; {previous} replaced"  # its order meta is overwritten by the new number
        method = record.method or ("note" if str(ref).isdigit() else "extension")
        if self.woo.remove_tracking(woo_order["id"], method, ref):
            return f"; {previous} removed"
        return f"; {previous} was no longer on the order"

    def _methods(self, note, settings):
        method = sm.shipping_method_id(note)
        if method is None or str(method) in settings["tracking_providers"]:
            return []
        return self.bp.get_shipping_methods()

    def _read(self, note_id):
        read = self.bp.get_goods_out_notes if self.kind == sm.GOODS_OUT \
            else self.bp.get_drop_ship_notes
        return read(note_ids=[note_id]).get(str(note_id))

    def _notes_of(self, order_id, note):
        notes = list(self.bp.get_goods_out_notes(order_ids=[order_id]).values())
        notes += list(self.bp.get_drop_ship_notes(order_ids=[order_id]).values())
        return notes if any(n is note or n == note for n in notes) else notes + [note]

    def _save(self, order_id, woo_id, number, carrier, method, ref):
        fields = {"bp_order_id": order_id, "woo_order_id": woo_id, "tracking_number": number,
                  "provider": carrier, "method": method, "woo_tracking_ref": ref,
                  "updated_at": utcnow()}
        upsert(ShipmentTracking, "note_key", note_key=self.key, **fields)

    def _remember(self, order_id, woo_id, completed):
        # Notes without tracking are remembered too: the reconciliation poll then skips them.
        upsert(ShipmentTracking, "note_key", note_key=self.key, bp_order_id=order_id,
               woo_order_id=woo_id)
        if completed:
            ShipmentTracking.update(completed_order=True, updated_at=utcnow()).where(
                ShipmentTracking.note_key == self.key).execute()
            # The Woo status this run wrote: its order.updated is not a change to send back.
            OrderLink.update(woo_status="completed").where(
                OrderLink.woo_order_id == woo_id).execute()


@handles("brightpearl", "goods-out-note.")
def on_note_event(source, resource, resource_id, events):
    """Dispatcher handler: goods-out / drop-ship note events (and Re-sync) → sync the note."""
    return sync_note(resource, resource_id, trigger_of(events[-1]))


handles("brightpearl", "drop-ship-note.")(on_note_event)


@every("shipments-reconcile", 900)
def schedule_reconcile(settings, redis_connection):
    """Poller: queue the reconciliation of notes and orders changed since the cursor."""
    enqueue_once(redis_connection, "jobs.shipments.poll.reconcile", (), "shipments-reconcile",
                 name=BULK, description="shipments: reconcile notes since the cursor")
