"""The record-key codec: how a sync log row names its record, and which record a row stands for.

A row's (log_type, record_key) is unique, and every delivery, poll and Re-sync of a record must
land on the same row; so the receivers, the flows, Re-sync and the row links all build and read
keys here and nowhere else.

    log type   key        the record (source, resource, id)           routed (on Re-sync) as
    order      woo-N      Woo order N                                 order.updated
    refund     woo-R      Woo refund R of the order in source_ref     order.updated (the order)
    order      bp-N       Brightpearl order N not from the store      order.modified.order-status
    product    bp-N       Brightpearl product N                       product.modified
    inventory  bp-N       Brightpearl product N (its stock)           product.modified.on-hand-modified
    shipment   gon-N      Brightpearl goods-out note N                goods-out-note.modified.shipped
    shipment   dsn-N      Brightpearl drop-ship note N                drop-ship-note.modified.shipped
"""
import re
from dataclasses import dataclass

WOO, BP, GOODS_OUT, DROP_SHIP = "woo", "bp", "gon", "dsn"
_KEY = re.compile(r"^(woo|bp|gon|dsn)-([0-9]{1,20})$")
_ID = re.compile(r"[0-9]{1,20}")


@dataclass(frozen=True)
class RecordRef:
    """The platform record behind a row, and the topic its Re-sync is routed as."""

    source: str
    resource: str
    resource_id: str
    topic: str


def is_record_id(value):
    """True for a platform record id as the keys take it: 1 to 20 ASCII digits (int or str)."""
    return not isinstance(value, bool) and _ID.fullmatch(str(value)) is not None


def key(prefix, number):
    """The record key for a number under one of the prefixes above, e.g. key(WOO, 95) == 'woo-95'."""
    if not is_record_id(number):
        raise ValueError(f"not a record id: {number!r}")
    return f"{prefix}-{int(number)}"


def woo_order_key(order_id):
    """The Order row's key of a Woo order."""
    return key(WOO, order_id)


def woo_refund_key(refund_id):
    """The Refund row's key of a Woo refund."""
    return key(WOO, refund_id)


def bp_key(bp_id):
    """The key of a Brightpearl product (Product and Inventory rows) or unlinked order."""
    return key(BP, bp_id)


def note_key(resource, note_id):
    """The Shipment row's key of a 'goods-out-note' (gon-N) or a 'drop-ship-note' (dsn-N)."""
    prefix = {resource: prefix for prefix, resource in _NOTES.items()}.get(resource)
    if prefix is None:
        raise ValueError(f"not a note: {resource!r}")
    return key(prefix, note_id)


def parse(record_key):
    """(prefix, number as str) of a record key, or None when it is not one of ours."""
    match = _KEY.match(record_key or "")
    return match.groups() if match else None


_NOTES = {GOODS_OUT: "goods-out-note", DROP_SHIP: "drop-ship-note"}
NOTE_LABELS = {"goods-out-note": "Goods-out note", "drop-ship-note": "Drop-ship note"}
_BP_RECORDS = {
    "order": ("order", "order.modified.order-status"),
    "product": ("product", "product.modified"),
    "inventory": ("product", "product.modified.on-hand-modified"),
}


def record_of(log_type, record_key, source_ref=None):
    """The RecordRef a row stands for, or None when its key says nothing we can re-read."""
    parsed = parse(record_key)
    if parsed is None:
        return None
    prefix, number = parsed
    if prefix == WOO and log_type == "refund":
        # A refund row is keyed by the Woo refund; its order (source_ref) is what is re-read.
        if not (source_ref or "").isdigit():
            return None
        return RecordRef("woocommerce", "order", source_ref, "order.updated")
    if prefix == WOO and log_type == "order":
        return RecordRef("woocommerce", "order", number, "order.updated")
    if prefix == BP and log_type in _BP_RECORDS:
        resource, topic = _BP_RECORDS[log_type]
        return RecordRef("brightpearl", resource, number, topic)
    if prefix in _NOTES and log_type == "shipment":
        resource = _NOTES[prefix]
        return RecordRef("brightpearl", resource, number, f"{resource}.modified.shipped")
    return None


def row_record(row):
    """The RecordRef of a sync log row (see record_of)."""
    return record_of(row.log_type, row.record_key, row.source_ref)
