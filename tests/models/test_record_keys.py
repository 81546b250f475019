"""The record-key codec: one table of keys, records and Re-sync routes for every log type."""
import pytest

from models.logs import SyncLog
from models.record_keys import (RecordRef, bp_key, note_key, parse, record_of, row_record,
                                woo_order_key, woo_refund_key)


@pytest.mark.parametrize("log_type, key, source_ref, expected", [
    ("order", "woo-727", None, RecordRef("woocommerce", "order", "727", "order.updated")),
    # A refund row is keyed by the refund; its order (source_ref) is what is re-read.
    ("refund", "woo-901", "727", RecordRef("woocommerce", "order", "727", "order.updated")),
    ("refund", "woo-901", None, None),
    ("product", "bp-1001", None,
     RecordRef("brightpearl", "product", "1001", "product.modified")),
    ("inventory", "bp-1001", None,
     RecordRef("brightpearl", "product", "1001", "product.modified.on-hand-modified")),
    ("order", "bp-55", None,
     RecordRef("brightpearl", "order", "55", "order.modified.order-status")),
    ("shipment", "gon-9", None,
     RecordRef("brightpearl", "goods-out-note", "9", "goods-out-note.modified.shipped")),
    ("shipment", "dsn-4", None,
     RecordRef("brightpearl", "drop-ship-note", "4", "drop-ship-note.modified.shipped")),
    ("order", "mystery", None, None),
    ("shipment", "bp-4", None, None),
    ("order", "woo-1-2", None, None),
])
def test_record_of(log_type, key, source_ref, expected):
    assert record_of(log_type, key, source_ref) == expected
    assert row_record(SyncLog(log_type=log_type, record_key=key, source_ref=source_ref)) \
        == expected


def test_keys_round_trip_through_parse():
    assert woo_order_key(95) == "woo-95" and woo_refund_key("96") == "woo-96"
    assert bp_key(1001) == "bp-1001"
    assert note_key("goods-out-note", 7) == "gon-7" and note_key("drop-ship-note", 8) == "dsn-8"
    assert parse("gon-7") == ("gon", "7") and parse("gon-x") is None
    with pytest.raises(ValueError):
        note_key("purchase-order", 1)
    with pytest.raises(ValueError):
        woo_order_key("12; drop table")
