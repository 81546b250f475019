"""Brightpearl goods-out / drop-ship notes → what to write on the Woo order: pure, no I/O.

A note's orderRows are keyed by the Brightpearl sales-order row id; the sales order's row
carries externalRef = the Woo line item id (the orders flow writes it). Bundle components
ship on their own rows and count for their bundle's row.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from models.record_keys import NOTE_LABELS

GOODS_OUT, DROP_SHIP = "goods-out-note", "drop-ship-note"
CLOSED_STATUSES = ("completed", "cancelled", "refunded", "failed", "trash")


@dataclass(frozen=True)
class Progress:
    """How much of the Woo order has shipped, over its product lines."""

    shipped_lines: int
    total_lines: int

    @property
    def complete(self):
        """True when every product line has shipped in full."""
        return self.total_lines > 0 and self.shipped_lines >= self.total_lines

    def words(self):
        """'all 3 lines shipped' or 'partial: 2 of 3 lines'."""
        if self.complete:
            return f"all {self.total_lines} line{'s' * (self.total_lines != 1)} shipped"
        return f"partial: {self.shipped_lines} of {self.total_lines} lines"


def is_shipped(note):
    """True when the note has been shipped (status.shipped)."""
    return bool((note.get("status") or {}).get("shipped"))


def tracking_number(note):
    """The note's tracking number: shipping.reference, else a drop-ship SHS event's reference."""
    reference = str((note.get("shipping") or {}).get("reference") or "").strip()
    if reference:
        return reference[:64]
    for event in reversed(note.get("events") or []):
        if event.get("eventCode") == "SHS" and event.get("trackingReference"):
            return str(event["trackingReference"]).strip()[:64]
    return None


def shipping_method_id(note):
    """The note's shipping method id (shipping.shippingMethodId, or the SHS event's), or None."""
    method = (note.get("shipping") or {}).get("shippingMethodId")
    if not method:
        method = next((e.get("shippingMethodId") for e in reversed(note.get("events") or [])
                       if e.get("eventCode") == "SHS" and e.get("shippingMethodId")), None)
    return int(method) if method else None


def provider(note, methods, settings):
    """The carrier to show in Woo: the settings' map, else the Brightpearl method's name."""
    method = shipping_method_id(note)
    if method is None:
        return None
    mapped = settings["tracking_providers"].get(str(method))
    if mapped:
        return mapped
    names = {int(m["id"]): m.get("name") for m in methods or [] if m.get("id") is not None}
    return names.get(method)


def shipped_on(note):
    """The day the note shipped (status.shippedOn, in its own offset), or None."""
    value = (note.get("status") or {}).get("shippedOn")
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()


def line_for_row(sales_order):
    """{sales-order row id: Woo line item id}; bundle components map to their bundle's line."""
    rows = {int(r["id"]): r for r in sales_order.get("rows") or []}
    lines = {}
    for row_id, row in rows.items():
        source = rows.get(int(row.get("parentRowId") or 0)) if row.get("bundleChild") else row
        ref = str((source or {}).get("externalRef") or "")
        if ref.isdigit():
            lines[row_id] = int(ref)
    return lines


def shipped_lines(notes, sales_order):
    """{Woo line item id: True/False} for the lines any shipped note of the order carries.

    A line is shipped when each of its rows seen on shipped notes (one row, or a bundle's
    components) shipped its full quantity; Brightpearl's order-level ASS settles the rest.
    """
    rows = {int(r["id"]): r for r in sales_order.get("rows") or []}
    lines, per_row = line_for_row(sales_order), {}
    for note in notes:
        if not is_shipped(note):
            continue
        for row_id, picks in (note.get("orderRows") or {}).items():
            per_row[int(row_id)] = per_row.get(int(row_id), Decimal(0)) + sum(
                (Decimal(str(p.get("quantity") or 0)) for p in picks), Decimal(0))
    shipped = {}
    for row_id, quantity in per_row.items():
        line = lines.get(row_id)
        if line is not None:
            ordered = Decimal(str((rows.get(row_id) or {}).get("quantity") or 0))
            shipped[line] = shipped.get(line, True) and quantity >= ordered
    return shipped


def progress(woo_order, shipped, bp_shipping_status=None):
    """Progress of the Woo order's product lines; Brightpearl's ASS means all shipped."""
    line_ids = [int(line["id"]) for line in woo_order.get("line_items") or []]
    if bp_shipping_status == "ASS":
        return Progress(len(line_ids), len(line_ids))
    return Progress(sum(1 for line in line_ids if shipped.get(line)), len(line_ids))


def should_complete(settings, woo_order, progress_now):
    """True when the settings complete shipped orders, all lines shipped and it is still open."""
    return bool(settings["complete_when_shipped"] and progress_now.complete
                and woo_order.get("status") not in CLOSED_STATUSES)


def tracking_on_order(woo_order, number):
    """True when the Woo order already carries this tracking number (extension items or meta)."""
    for meta in woo_order.get("meta_data") or []:
        value = meta.get("value")
        if meta.get("key") == "_wc_shipment_tracking_items" and isinstance(value, list):
            if any(str(item.get("tracking_number")) == number for item in value):
                return True
        elif meta.get("key") == "_tracking_number" and str(value) == number:
            return True
    return False


def tracking_id_on_order(woo_order, number):
    """The Shipment Tracking extension's tracking_id of this number on the order, or None."""
    for meta in woo_order.get("meta_data") or []:
        if meta.get("key") == "_wc_shipment_tracking_items" and isinstance(meta.get("value"), list):
            for item in meta["value"]:
                if str(item.get("tracking_number")) == str(number) and item.get("tracking_id"):
                    return str(item["tracking_id"])
    return None


def info(kind, note_id, woo_order):
    """The log row's Info: 'Goods-out note N for Woo order #M'."""
    number = woo_order.get("number") or woo_order.get("id")
    return f"{NOTE_LABELS[kind]} {note_id} for Woo order #{number}"
