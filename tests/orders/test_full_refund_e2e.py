"""A full refund of an order that never shipped, end to end (docs/REFUNDS.md): Woo refund →
order.updated webhook → receiver → RQ → Brightpearl, under both settings of the refunds flow."""
from logpage.resync import resync_row
from models.logs import SyncLog
from tests.orders.flows import REFUND_SETTINGS, enable_order_flows
from tests.orders.test_status_and_refunds_e2e import messages, synced_order, woo_status

CANCEL = dict(REFUND_SETTINGS, full_refund_unshipped="cancel", cancelled_status_id=8)


def refund_all(platforms, work, order, reason="Out of stock: refunded in full"):
    platforms.woo_control(f"orders/{order['id']}/refund", {"amount": order["total"],
                                                           "reason": reason})
    platforms.settle(work)
    return SyncLog.get(SyncLog.log_type == "refund", SyncLog.source_ref == str(order["id"]))


def bp_order(platforms, bp_id):
    return platforms.bp("GET", f"/order-service/order/{bp_id}")[0]


def payments(platforms, bp_id):
    found = platforms.bp("GET", "/accounting-service/customer-payment-search",
                         params={"orderId": bp_id, "columns": "paymentType,amountPaid"})
    return sorted(tuple(r) for r in found["results"])


def credits(platforms):
    return platforms.bp("GET", "/order-service/order-search", params={"orderTypeId": 3})["results"]


def on_hand(platforms, bp_id):
    rows = bp_order(platforms, bp_id)["orderRows"].values()
    ids = ",".join(str(r["productId"]) for r in rows if r.get("productId"))
    levels = platforms.bp("GET", f"/warehouse-service/product-availability/{ids}")
    return {pid: level["total"]["onHand"] for pid, level in levels.items()}


def test_by_default_a_full_refund_before_shipping_is_a_credit_and_says_the_order_is_open(
        platforms, work):
    order, bp_id = synced_order(platforms, work)
    row = refund_all(platforms, work, order)
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    assert len(credits(platforms)) == 1
    assert any(f"Brightpearl order #{bp_id} stays open with its stock allocated" in m
               for m in messages(row)), messages(row)
    assert bp_order(platforms, bp_id)["orderStatus"]["orderStatusId"] != 8


def test_with_cancel_the_receipt_is_paid_back_and_the_order_cancelled(platforms, work):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(refunds=CANCEL)
    allocated = on_hand(platforms, bp_id)
    row = refund_all(platforms, work, order)
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    words = messages(row)[-1]
    assert f"{order['total']} GBP paid back against Brightpearl order #{bp_id}" in words, words
    assert f"order #{bp_id} cancelled (its stock released)" in words
    assert credits(platforms) == []  # no sales credit
    assert payments(platforms, bp_id) == [("PAYMENT", order["total"] + "00"),
                                          ("RECEIPT", order["total"] + "00")]
    cancelled = bp_order(platforms, bp_id)
    assert cancelled["orderStatus"]["orderStatusId"] == 8
    assert cancelled["orderPaymentStatus"] == "UNPAID"
    assert all(on_hand(platforms, bp_id)[pid] > allocated[pid] for pid in allocated)
    # Brightpearl's cancellation comes back as a status event: the refunded Woo order stays so.
    assert woo_status(platforms, order["id"]) == "refunded"
    order_row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert any("Woo order is refunded" in m for m in messages(order_row)), messages(order_row)
    # Delivered again: nothing more is paid back.
    platforms.woo_control(f"orders/{order['id']}/status", {"status": "refunded"})
    platforms.settle(work)
    assert len(payments(platforms, bp_id)) == 2


def test_with_cancel_a_shipped_order_still_gets_a_credit(platforms, work):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(refunds=CANCEL)
    platforms.bp_control(f"orders/{bp_id}/ship", {"reference": "RM1", "shippingMethodId": 49})
    platforms.settle(work)
    row = refund_all(platforms, work, order)
    assert row.status == "synced" and len(credits(platforms)) == 1
    assert not any("paid back against" in m for m in messages(row))


def test_with_cancel_an_earlier_credit_keeps_the_rest_a_credit_and_says_why(platforms, work):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(refunds=CANCEL)
    platforms.woo_control(f"orders/{order['id']}/refund", {"amount": "5.00", "reason": "Late"})
    platforms.settle(work)
    rest = f"{float(order['total']) - 5:.2f}"
    platforms.woo_control(f"orders/{order['id']}/refund", {"amount": rest, "reason": "Rest"})
    platforms.settle(work)
    rows = list(SyncLog.select().where(SyncLog.log_type == "refund").order_by(SyncLog.id))
    assert [r.status for r in rows] == ["synced", "synced"]
    assert len(credits(platforms)) == 2
    assert any("refunded in full but not cancelled: an earlier refund became sales credit" in m
               for m in messages(rows[1])), messages(rows[1])


def test_a_refused_cancellation_fails_the_row_and_resync_finishes_it(platforms, work,
                                                                      redis_connection):
    order, bp_id = synced_order(platforms, work)
    enable_order_flows(refunds=CANCEL)
    platforms.bp_control("faults", {"route": r"order/\d+/status$", "method": "PUT",
                                    "status": 400, "count": 1, "body": {"errors": [{
                                        "code": "ORDC-064",
                                        "message": "Cannot cancel an order that has payments"}]}})
    row = refund_all(platforms, work, order)
    assert row.status == "failed"
    assert "refund paid back against Brightpearl order" in row.failure_reason
    assert "refused to cancel it" in row.failure_reason
    resync_row(row, redis_connection)
    platforms.settle(work)
    row = SyncLog.get_by_id(row.id)
    assert row.status == "synced", row.failure_reason
    assert bp_order(platforms, bp_id)["orderStatus"]["orderStatusId"] == 8
    assert len(payments(platforms, bp_id)) == 2  # the payback was not made twice
