"""Woo → Brightpearl status changes other than cancellation, end to end: a Woo admin status
change → order.updated webhook → receiver → RQ → Brightpearl status PUT through the map, and
Brightpearl's order-status echo recognised, not bounced back."""
import pytest
from marshmallow import ValidationError

from models.flow_settings import load_settings
from models.logs import SyncLog
from tests.orders.flows import STATUS_SETTINGS, enable_order_flows
from tests.orders.test_status_and_refunds_e2e import messages, synced_order, woo_status

PUSHING = dict(STATUS_SETTINGS, woo_status_map={"on-hold": "4", "processing": "5",
                                                "shipped": "6", "completed": "7"})


def bp_status(platforms, bp_id):
    return platforms.bp("GET", f"/order-service/order/{bp_id}")[0]["orderStatus"]["orderStatusId"]


def woo_change(platforms, work, order, status):
    platforms.woo_control(f"orders/{order['id']}/status", {"status": status})
    platforms.settle(work)
    return SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")


def status_puts(platforms):
    routes = platforms.bp_control("requests", method="GET")["routes"]
    return sum(r["count"] for r in routes if r["method"] == "PUT" and r["route"].endswith("/status"))


def test_on_hold_and_back_reach_brightpearl_and_the_echo_stops_there(platforms, work):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(status=PUSHING)
    assert bp_status(platforms, bp_id) == 2
    row = woo_change(platforms, work, order, "on-hold")
    assert bp_status(platforms, bp_id) == 4
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    assert f"Brightpearl order #{bp_id} status 2 → 4 (Woo status processing → on-hold)" \
        in messages(row)
    # Brightpearl's order-status callback for 4 (unmapped Brightpearl → Woo) is the echo.
    assert any("Brightpearl status 4 is what Woo status on-hold maps to; nothing written back"
               in m for m in messages(row)), messages(row)
    assert woo_status(platforms, order["id"]) == "on-hold"
    woo_change(platforms, work, order, "processing")
    assert bp_status(platforms, bp_id) == 5
    assert woo_status(platforms, order["id"]) == "processing"


def test_a_plugins_status_is_sent_too(platforms, work):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(status=PUSHING)
    platforms.woo_control("order-statuses", {"slug": "shipped", "label": "Shipped"})
    row = woo_change(platforms, work, order, "shipped")
    assert bp_status(platforms, bp_id) == 6
    assert woo_status(platforms, order["id"]) == "shipped"  # 6 → completed is not written back
    assert row.status == "synced"


def test_completed_by_staff_moves_brightpearl_once(platforms, work):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(status=PUSHING)
    woo_change(platforms, work, order, "completed")
    assert bp_status(platforms, bp_id) == 7
    puts = status_puts(platforms)
    assert puts == 1
    # A later unrelated update of the order (a note, a refund…) sends nothing again.
    platforms.woo_control(f"orders/{order['id']}/refund", {"amount": "1.00", "reason": "x"})
    platforms.settle(work)
    assert status_puts(platforms) == puts


def test_an_unmapped_status_change_sends_nothing_and_leaves_the_row_alone(platforms, work):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(status={k: v for k, v in STATUS_SETTINGS.items()
                               if k != "woo_status_map"})  # the default map is empty
    before = len(messages(SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")))
    row = woo_change(platforms, work, order, "on-hold")
    assert bp_status(platforms, bp_id) == 2 and status_puts(platforms) == 0
    assert row.status == "synced"
    assert not any("Woo status processing → on-hold" in m for m in messages(row)[before:])


def test_cancellations_and_refunds_are_not_taken_by_the_map():
    with pytest.raises(ValidationError) as raised:
        load_settings("order_status", {"woo_status_map": {"cancelled": "8"}})
    assert "woo_status_map" in raised.value.messages
    with pytest.raises(ValidationError):
        load_settings("order_status", {"woo_status_map": {"on-hold": "On hold"}})
