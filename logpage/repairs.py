"""What Repair does for each kind of discrepancy: forget the memory the platform contradicts,
then re-sync the record's Sync Logs row through the one queue (logpage.resync).

Most kinds are repaired by the record's own flow (the order, refund, note, product or stock
row's re-sync). A status (pushed from the Brightpearl order, not re-read from the Woo one), a
duplicate or a total that differs needs other work, so its event names the discrepancy and the
reconciliation's repair handler does it (jobs/reconcile/repair.py).
"""
from logpage.resync import resync_rows
from models import repairs as forget
from models.base import utcnow
from models.logs import log_row
from models.record_keys import NOTE_LABELS, RecordRef
from models.reconcile import Discrepancy

# Kinds whose repair the reconciliation's own handler does, and the topic it listens to.
OWN_REPAIR = ("order_duplicated", "order_total", "order_status", "refund_amount")
REPAIR_TOPIC = "reconcile.repair"


def record_row(discrepancy):
    """The Sync Logs row of the discrepancy's record, created Pending when it has none yet."""
    facts = discrepancy.facts
    if discrepancy.log_type in ("order", "refund"):
        info = (f"Woo order #{facts.get('number') or facts['woo_order_id']}"
                if discrepancy.log_type == "order" else
                f"Woo refund #{facts['woo_refund_id']} of order #{facts.get('number')}")
        source_ref = str(facts["woo_order_id"])
    elif discrepancy.log_type == "shipment":
        info = f"{NOTE_LABELS[facts['note_kind']]} {facts['note_id']}"
        source_ref = str(facts["note_id"])
    else:
        info = facts.get("sku") or f"Brightpearl product {facts['bp_product_id']}"
        source_ref = str(facts["bp_product_id"])
    return log_row(discrepancy.log_type, discrepancy.record_key, info, source_ref)


def repair_ref(discrepancy):
    """The record and topic the repair's event goes to when it is not the row's own Re-sync."""
    if discrepancy.kind in OWN_REPAIR:
        return RecordRef("pearlbridge", "discrepancy", str(discrepancy.id), REPAIR_TOPIC)
    return None


def forget_stale(discrepancy):
    """Drop the memory that would make the re-sync skip the work (guarded by the run's facts)."""
    facts, kind = discrepancy.facts, discrepancy.kind
    if facts.get("woo_order_id") and facts.get("bp_order_id"):
        forget.adopt_order_link(facts["woo_order_id"], facts["bp_order_id"])
    if kind == "order_missing" and not facts.get("linked_order_exists"):
        forget.forget_missing_order(facts["woo_order_id"], facts.get("linked_bp_order_id"))
    elif kind == "payment_missing":
        forget.forget_order_payment(facts["bp_order_id"])
    elif kind == "refund_missing":
        forget.forget_refund(facts["woo_refund_id"])
    elif kind == "shipment_tracking":
        forget.forget_tracking(discrepancy.record_key, facts["tracking_number"])
    elif kind == "stock":
        forget.forget_stock_written(facts["sku"])
    elif kind == "product_missing":
        forget.forget_woo_product(facts["bp_product_id"], facts.get("bp_group_id"),
                                  facts.get("group_gone"))
    elif kind == "product_fields":
        forget.forget_product_write(facts["bp_product_id"], facts.get("bp_group_id"))


def repair(discrepancies, connection, who, trigger="manual"):
    """Repair each open discrepancy; (rows requeued, queue down?, {discrepancy id: row id})."""
    rows, refs, row_of = [], {}, {}
    for discrepancy in discrepancies:
        row = record_row(discrepancy)
        forget_stale(discrepancy)
        if repair_ref(discrepancy):
            refs[row.id] = repair_ref(discrepancy)
        rows.append(row)
        row_of[discrepancy.id] = row.id
    label = "Repair" if trigger == "manual" else "Repair all"
    result = resync_rows(rows, connection, trigger, f"{label} (reconciliation), by {who}",
                         refs)
    for discrepancy_id, row_id in row_of.items():
        Discrepancy.update(repaired_at=utcnow(), repaired_by=who, repair_log_id=row_id).where(
            Discrepancy.id == discrepancy_id).execute()
    return result, row_of
