"""Contract tests: the emulators' history and drift controls (silent bulk history, edits and
deletions nobody is told of, muted deliveries) and Brightpearl's generic order-row POST."""
import time

from tests.sandbox.bp_fixtures import (bp, bp_server, receiver, receiver_server,  # noqa: F401
                                       subscribe)
from tests.sandbox.woo_fixtures import make_webhook, receiver as woo_receiver, store  # noqa: F401


def test_bp_bulk_history_is_silent_and_complete(bp, receiver):
    subscribe(bp, receiver, "sales-order.created")
    product = bp.stocked_product()
    body = {"customer": {"id": 201}, "externalRef": "77", "channelId": 2, "warehouseId": 2,
            "rows": [{"productId": product, "quantity": "1", "net": "10.00", "tax": "2.00",
                      "taxCode": "T"}]}
    made = bp.control("POST", "/orders/bulk", {"orders": [{
        "order": body, "statusId": 5, "ship": {"reference": "TRK1", "dropShip": True},
        "payments": [{"paymentMethodCode": "STRIPE", "paymentType": "RECEIPT",
                      "transactionRef": "t-77", "amountPaid": "12.00",
                      "paymentDate": "2026-01-01T00:00:00+00:00"}],
        "credits": [{"credit": dict(body, externalRef="woo-refund-9", rows=[{
            "name": "Refund", "quantity": "1", "net": "5.00", "tax": "0.00", "taxCode": "Z"}])}]}]})
    [result] = made["orders"]
    order = bp.get(f"order-service/order/{result['orderId']}").json()["response"][0]
    assert (order["orderStatus"]["orderStatusId"], order["orderPaymentStatus"],
            order["shippingStatusCode"]) == (5, "PAID", "ASS")
    credit = bp.get(f"order-service/order/{result['creditIds'][0]}").json()["response"][0]
    assert credit["parentOrderId"] == result["orderId"]
    assert credit["totalValue"]["total"] == "5.0000"
    time.sleep(0.3)
    assert receiver.calls == []  # history raises no events


def test_bp_deletions_and_the_order_row_post(bp):
    order_id = bp.order().json()["response"]
    payment = bp.post("accounting-service/customer-payment", {
        "paymentMethodCode": "STRIPE", "paymentType": "RECEIPT", "transactionRef": "t-1",
        "orderId": order_id, "amountPaid": "24.00",
        "paymentDate": "2026-01-01T00:00:00+00:00"}).json()["response"]
    row = bp.post(f"order-service/order/{order_id}/row", {
        "productName": "Adjustment", "quantity": {"magnitude": "1"}, "nominalCode": "4090",
        "rowValue": {"taxCode": "Z", "rowNet": {"value": "-0.01"}, "rowTax": {"value": "0.00"}}})
    assert row.status_code == 200
    order = bp.get(f"order-service/order/{order_id}").json()["response"][0]
    assert order["totalValue"]["total"] == "23.9900" and str(row.json()["response"]) in \
        order["orderRows"]
    bp.control("DELETE", f"/payments/{payment}")
    order = bp.get(f"order-service/order/{order_id}").json()["response"][0]
    assert order["orderPaymentStatus"] == "UNPAID"
    bp.control("DELETE", f"/orders/{order_id}")
    assert bp.get(f"order-service/order/{order_id}").json()["response"] == []
    bp.control("POST", "/orders/{}/invoice".format(bp.order().json()["response"]))
    invoiced = bp.get("order-service/order-search?pageSize=1&sort=orderId.DESC").json()
    newest = invoiced["response"]["results"][0][0]
    refused = bp.post(f"order-service/order/{newest}/row", {"productName": "Late",
                                                            "rowValue": {"taxCode": "Z"}})
    assert refused.status_code == 400 and "invoiced" in refused.text


def test_woo_history_edits_and_mute_are_silent(store, woo_receiver):
    store.seed(products=12)
    make_webhook(store, woo_receiver, "order.updated")
    sku = next(p["sku"] for p in store.api.get(store.wc("products"), params={
        "type": "simple", "per_page": 20}).json() if p.get("manage_stock"))
    before = store.by_sku(sku)["stock_quantity"]
    [made] = store.control("POST", "orders/bulk", json={"orders": [{
        "customer_index": 0, "lines": [{"sku": sku, "quantity": 500}], "status": "completed",
        "date_created_gmt": "2025-02-03T04:05:06",
        "refunds": [{"amount": "1.00", "reason": "goodwill"}]}]}).json()
    order = store.api.get(store.wc(f"orders/{made['id']}")).json()
    assert order["date_created_gmt"] == "2025-02-03T04:05:06" and len(order["refunds"]) == 1
    assert store.by_sku(sku)["stock_quantity"] == before  # history moves no stock
    store.control("POST", "orders/edit", json={"edits": [{"id": made["id"], "total": "1.23",
                                                          "status": "processing"}]})
    store.control("POST", "products/edit", json={"edits": [{"sku": sku, "name": "Renamed",
                                                            "stock_quantity": 3}]})
    assert store.by_sku(sku)["name"] == "Renamed" and store.by_sku(sku)["stock_quantity"] == 3
    store.control("POST", "webhooks/config", json={"muted": True})
    store.control("POST", f"orders/{made['id']}/status", json={"status": "completed"})
    store.control("POST", "webhooks/config", json={"muted": False})
    assert store.flush() == 0 and woo_receiver.deliveries() == []
    store.control("POST", "products/edit", json={"edits": [{"sku": sku, "delete": True}]})
    assert store.api.get(store.wc("products"), params={"sku": sku}).json() == []
