"""A corrected tracking number, end to end: Brightpearl staff change a shipped note's reference,
its goods-out-note.modified callback reaches the real receiver, and RQ replaces the Woo order's
tracking (extension item, or note + meta) instead of adding a second one."""
from demo.flows import DEMO_SETTINGS
from models.flows import save_flow
from models.logs import SyncLog
from tests.orders.flows import enable_order_flows
from tests.orders.test_orders_e2e import checkout
from tests.platforms import platforms  # noqa: F401 - the wired fixture, not the shipments one
from models.links import OrderLink


def shipped_order(platforms, work, reference="RM100000001GB"):
    """A Woo order synced to Brightpearl and shipped there; (Woo order, goods-out note id)."""
    enable_order_flows()
    save_flow("shipments", "test", enabled=True, settings=DEMO_SETTINGS["shipments"])
    order = checkout(platforms)
    platforms.settle(work)
    bp_id = OrderLink.get(OrderLink.woo_order_id == order["id"]).bp_order_id
    note = platforms.bp_control(f"orders/{bp_id}/ship",
                                {"reference": reference, "shippingMethodId": 49})
    platforms.settle(work)
    return order, note["goodsOutNoteId"]


def trackings(platforms, order_id):
    import requests
    from tests.platforms import WOO_AUTH

    answer = requests.get(f"{platforms.woo_url}/wp-json/wc-shipment-tracking/v3/orders/"
                          f"{order_id}/shipment-trackings", auth=WOO_AUTH, timeout=10)
    return [t["tracking_number"] for t in answer.json()]


def correct(platforms, work, note_id, reference):
    platforms.bp_control(f"goods-out-notes/{note_id}/reference", {"reference": reference})
    platforms.settle(work)
    return SyncLog.get(SyncLog.log_type == "shipment", SyncLog.record_key == f"gon-{note_id}")


def test_changed_tracking_replaces_the_extension_item(platforms, work):
    order, note_id = shipped_order(platforms, work)
    assert trackings(platforms, order["id"]) == ["RM100000001GB"]
    row = correct(platforms, work, note_id, "RM100000002GB")
    assert trackings(platforms, order["id"]) == ["RM100000002GB"]
    assert row.status == "synced" and row.tracking == "RM100000002GB"
    assert any("tracking changed RM100000001GB → RM100000002GB" in a.message
               and "RM100000001GB removed" in a.message for a in row.attempts), \
        [a.message for a in row.attempts]
    # Delivered again (or polled): nothing more is written.
    correct(platforms, work, note_id, "RM100000002GB")
    assert trackings(platforms, order["id"]) == ["RM100000002GB"]


def test_changed_tracking_replaces_the_note_and_meta_without_the_extension(platforms, work):
    platforms.woo_control("tracking-extension", {"enabled": False})
    order, note_id = shipped_order(platforms, work, reference="TT000000001GB")
    row = correct(platforms, work, note_id, "TT000000002GB")
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    woo_order = platforms.woo("GET", f"/orders/{order['id']}")
    meta = {m["key"]: m["value"] for m in woo_order["meta_data"]}
    assert meta["_tracking_number"] == "TT000000002GB"
    notes = [n["note"] for n in platforms.woo("GET", f"/orders/{order['id']}/notes")]
    tracking_notes = [n for n in notes if "tracking number" in n]
    assert len(tracking_notes) == 1, notes
    assert "TT000000002GB" in tracking_notes[0] and "replaces TT000000001GB" in tracking_notes[0]
