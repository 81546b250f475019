"""Order status both ways and refunds as sales credits, end to end against the emulators."""
from models.links import OrderLink
from models.logs import SyncLog
from tests.orders.flows import enable_order_flows
from tests.orders.test_orders_e2e import checkout


def synced_order(platforms, work, **checkout_args):
    enable_order_flows()
    order = checkout(platforms, **checkout_args)
    platforms.settle(work)
    link = OrderLink.get(OrderLink.woo_order_id == order["id"])
    return order, link.bp_order_id


def messages(row):
    return [a.message for a in row.attempts]


def woo_status(platforms, order_id):
    return platforms.woo("GET", f"/orders/{order_id}")["status"]


def test_brightpearl_status_change_reaches_woo(platforms, work):
    order, bp_id = synced_order(platforms, work)
    platforms.bp_control(f"orders/{bp_id}/status", {"orderStatusId": 6})  # Dispatched → completed
    platforms.settle(work)
    assert woo_status(platforms, order["id"]) == "completed"
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "synced"
    assert "Woo status processing → completed (from Brightpearl)" in messages(row)


def test_fully_shipped_completes_the_woo_order(platforms, work):
    order, bp_id = synced_order(platforms, work)
    platforms.bp_control(f"orders/{bp_id}/ship", {"reference": "TRACK123", "shippingMethodId": 49})
    platforms.settle(work)
    assert woo_status(platforms, order["id"]) == "completed"


def test_unmapped_status_without_default_waits_for_settings(platforms, work):
    order, bp_id = synced_order(platforms, work)
    platforms.bp_control(f"orders/{bp_id}/status", {"orderStatusId": 4})
    platforms.settle(work)
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.pending_reason == ("waiting for settings: Brightpearl status `4` has no Woo status "
                                  "mapping and there is no default")
    assert woo_status(platforms, order["id"]) == "processing"


def test_woo_cancellation_of_an_unpaid_order_cancels_in_brightpearl(platforms, work):
    order, bp_id = synced_order(platforms, work, status="on-hold", payment_method="bacs")
    platforms.woo_control(f"orders/{order['id']}/status", {"status": "cancelled"})
    platforms.settle(work)
    bp_order = platforms.bp("GET", f"/order-service/order/{bp_id}")[0]
    assert bp_order["orderStatus"]["orderStatusId"] == 8
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "synced"


def test_woo_cancellation_of_a_paid_order_explains_why_not(platforms, work):
    order, bp_id = synced_order(platforms, work)
    platforms.woo_control(f"orders/{order['id']}/status", {"status": "cancelled"})
    platforms.settle(work)
    bp_order = platforms.bp("GET", f"/order-service/order/{bp_id}")[0]
    assert bp_order["orderStatus"]["orderStatusId"] != 8
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "failed"
    assert "Brightpearl cannot cancel order" in row.failure_reason
    assert "it has payments" in row.failure_reason


def test_two_partial_refunds_are_two_credits_with_payments_and_restock(platforms, work):
    order, bp_id = synced_order(platforms, work)
    platforms.bp_control(f"orders/{bp_id}/ship", {"reference": "TRACK9", "shippingMethodId": 49})
    line = order["line_items"][0]
    platforms.woo_control(f"orders/{order['id']}/refund", {
        "amount": "5.00", "reason": "Late delivery"})
    platforms.settle(work)
    platforms.woo_control(f"orders/{order['id']}/refund", {
        "reason": "Returned one", "api_restock": False,
        "line_items": [{"id": line["id"], "quantity": 1,
                        "refund_total": str(round(float(line["total"]) / line["quantity"], 2)),
                        "refund_tax": [{"id": 1, "refund_total": str(round(
                            float(line["total_tax"]) / line["quantity"], 2))}]}]})
    platforms.settle(work)
    credits = platforms.bp("GET", "/order-service/order-search",
                           params={"orderTypeId": 3})["results"]
    assert len(credits) == 2
    rows = list(SyncLog.select().where(SyncLog.log_type == "refund").order_by(SyncLog.id))
    assert [r.status for r in rows] == ["synced", "synced"], [r.failure_reason for r in rows]
    assert str(rows[0].amount) == "5.00"
    assert any("restocked 1 item" in m for m in messages(rows[1]))
    # Delivered again: no third credit.
    platforms.woo_control(f"orders/{order['id']}/status", {"status": "processing"})
    platforms.settle(work)
    assert len(platforms.bp("GET", "/order-service/order-search",
                            params={"orderTypeId": 3})["results"]) == 2


def test_refund_with_restock_before_shipping_invents_no_stock(platforms, work):
    order, bp_id = synced_order(platforms, work)
    line = order["line_items"][0]
    platforms.woo_control(f"orders/{order['id']}/refund", {
        "reason": "Changed mind", "line_items": [{"id": line["id"], "quantity": 1,
                                                  "refund_total": "1.00"}]})
    platforms.settle(work)
    row = SyncLog.get(SyncLog.log_type == "refund")
    assert row.status == "synced"
    assert any("not restocked: nothing had been shipped" in m for m in messages(row))
    routes = platforms.bp_control("requests", method="GET")["routes"]
    assert not [r for r in routes if r["method"] == "POST" and "goods-in" in r["route"]]


def test_refund_of_an_order_brightpearl_refused_waits_for_the_order(platforms, work):
    from tests.orders.test_orders_e2e import bp_orders  # noqa: F401

    enable_order_flows()
    platforms.bp_control("faults", {"route": "sales-order$", "method": "POST", "status": 400,
                                    "body": {"errors": [{"code": "ORDC-005",
                                                         "message": "Nominal code missing"}]}})
    order = checkout(platforms)
    platforms.settle(work)
    platforms.woo_control(f"orders/{order['id']}/refund", {"amount": "2.00", "reason": "x"})
    platforms.settle(work)
    credits = platforms.bp("GET", "/order-service/order-search", params={"orderTypeId": 3})
    assert credits["results"] == []  # no credit without its order in Brightpearl
    assert SyncLog.get(SyncLog.record_key == f"woo-{order['id']}").status == "failed"


def test_resync_of_a_failed_refund_row_retries_its_order(platforms, work, redis_connection):
    from logpage.resync import resync_row

    order, bp_id = synced_order(platforms, work)
    platforms.bp_control("faults", {"route": "sales-credit$", "method": "POST", "status": 400,
                                    "count": 1, "body": {"errors": [{
                                        "code": "ORDC-099", "message": "Credit refused"}]}})
    platforms.woo_control(f"orders/{order['id']}/refund", {"amount": "3.00", "reason": "Scuffed"})
    platforms.settle(work)
    row = SyncLog.get(SyncLog.log_type == "refund")
    assert row.status == "failed" and "Credit refused" in row.failure_reason
    resync_row(row, redis_connection)
    platforms.settle(work)
    assert SyncLog.get_by_id(row.id).status == "synced"
    assert [a.trigger for a in SyncLog.get_by_id(row.id).attempts][-1] == "manual"
