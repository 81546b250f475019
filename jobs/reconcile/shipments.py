"""Shipped goods-out and drop-ship notes against the Woo orders' tracking and status: pure.

A note's tracking number is on the Woo order when the Shipment Tracking extension's items
carry it, or the fallback's `_tracking_number` meta does; the fallback keeps only the latest
number in meta, so earlier ones are looked for in the order's notes (read for those orders).
"""
from jobs.reconcile.findings import Finding
from jobs.reconcile.orders import woo_date
from jobs.shipments import mapping as sm
from models.record_keys import NOTE_LABELS, note_key

SHIPPED_STATUSES = ("SPS", "ASS")


def needs_note_texts(woo_order, shipped_numbers):
    """True when only the order notes can tell whether every number was written (fallback)."""
    return len([n for n in shipped_numbers if n]) > 1 and not any(
        m.get("key") == "_wc_shipment_tracking_items" for m in woo_order.get("meta_data") or [])


def on_order(woo_order, number, note_text=""):
    """True when the Woo order carries the tracking number (extension, meta, or a note)."""
    return sm.tracking_on_order(woo_order, number) or bool(note_text and number in note_text)


def compare_shipments(pairs, notes, settings, note_texts=None):
    """Findings for (Woo order, Brightpearl order) pairs whose order shipped something.

    notes maps Brightpearl order id → [(kind, note id, note)]; note_texts maps Woo order id →
    the text of its order notes (only where needs_note_texts said so).
    """
    findings = []
    for woo_order, bp_order in pairs:
        shipped = sorted(((kind, note_id, note) for kind, note_id, note
                          in notes.get(bp_order.id, []) if sm.is_shipped(note)),
                         key=lambda n: int(n[1]))
        if not shipped:
            continue
        number_of = woo_order.get("number") or woo_order["id"]
        text = (note_texts or {}).get(woo_order["id"], "")
        for kind, note_id, note in shipped:
            number = sm.tracking_number(note)
            if number and not on_order(woo_order, number, text):
                findings.append(_finding(
                    "shipment_tracking", kind, note_id, woo_order, bp_order,
                    f"{NOTE_LABELS[kind]} {note_id} shipped with tracking {number}; Woo order "
                    f"#{number_of} does not show it", "no such tracking number",
                    f"{NOTE_LABELS[kind].lower()} {note_id} shipped, tracking {number}",
                    tracking_number=number))
        complete = sm.progress(woo_order, {}, bp_order.shipping_status)
        if sm.should_complete(settings, woo_order, complete):
            kind, note_id, _ = shipped[-1]
            findings.append(_finding(
                "shipment_completion", kind, note_id, woo_order, bp_order,
                f"Woo order #{number_of} shipped in full but is {woo_order.get('status')}",
                f"status {woo_order.get('status')}",
                f"sales order #{bp_order.id} all shipped ({len(shipped)} note(s))"))
    return findings


def _finding(kind, note_kind, note_id, woo_order, bp_order, title, woo_says, bp_says, **facts):
    return Finding(kind, note_key(note_kind, note_id), title, woo_says, bp_says,
                   dict(facts, note_kind=note_kind, note_id=int(note_id),
                        woo_order_id=woo_order["id"], bp_order_id=bp_order.id,
                        number=str(woo_order.get("number") or "")), woo_date(woo_order))
