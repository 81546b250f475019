"""Contract tests: webhook subscriptions, bodyTemplate rendering, ID sets, QoS retry rules."""
import json
import time

from tests.sandbox.bp_fixtures import bp, bp_server, receiver, receiver_server, subscribe  # noqa: F401


def _deliveries(bp, done=True, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        log = bp.control("GET", "/deliveries")["deliveries"]
        if not done or all(d["outcome"] != "pending" for d in log) or time.monotonic() > deadline:
            return log
        time.sleep(0.02)


def test_subscription_crud_and_validation(bp, receiver):
    assert bp.get("integration-service/webhook").status_code == 404
    bad = bp.post("integration-service/webhook", {"subscribeTo": "order.created", "httpMethod": "POST",
                                                  "uriTemplate": receiver.url, "bodyTemplate": "{}",
                                                  "contentType": "application/json"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "INTC-064"
    no_body = bp.post("integration-service/webhook", {"subscribeTo": "product", "httpMethod": "POST",
                                                      "uriTemplate": receiver.url})
    assert no_body.status_code == 400
    hook_id = subscribe(bp, receiver, "product.modified.on-hand-modified")
    listed = bp.get("integration-service/webhook").json()["response"]
    assert listed[0]["id"] == hook_id and listed[0]["idSetAccepted"] is True
    assert bp.api("DELETE", f"integration-service/webhook/{hook_id}").json() == {}
    assert bp.get(f"integration-service/webhook/{hook_id}").status_code == 404


def test_bulk_stock_change_sends_one_id_set(bp, receiver):
    subscribe(bp, receiver, "product.modified.on-hand-modified")
    bp.control("POST", "/stock", {"changes": [
        {"productId": 1001, "warehouseId": 2, "delta": 1}, {"productId": 1002, "warehouseId": 2, "delta": 1},
        {"productId": 1003, "warehouseId": 3, "delta": 2}, {"productId": 1007, "warehouseId": 2, "delta": 1}]})
    calls = receiver.wait_for(1)
    time.sleep(0.1)
    assert len(receiver.calls) == 1
    body = json.loads(calls[0]["body"])
    assert body["id"] == "1001-1003,1007"
    assert body["accountCode"] == "sandbox" and body["resourceType"] == "product"
    assert body["lifecycleEvent"] == "modified" and body["fullEvent"] == "product.modified.on-hand-modified"
    assert body["raisedOn"].endswith("Z") and body["brightpearlVersion"]
    assert calls[0]["contentType"] == "application/json"


def test_without_id_sets_each_id_is_its_own_call(bp, receiver):
    subscribe(bp, receiver, "product", id_set=False)
    bp.control("POST", "/stock", [{"productId": 1001, "delta": 1}, {"productId": 1002, "delta": 1}])
    calls = receiver.wait_for(2)
    assert sorted(json.loads(c["body"])["id"] for c in calls) == ["1001", "1002"]


def test_qos1_retries_5xx_until_success(bp, receiver):
    subscribe(bp, receiver, "product.modified.on-hand-modified", qos=1)
    receiver.script = [503, 500]
    bp.control("POST", "/stock", {"sku": "VINTAGE-NOTEBOOK-00000-RS", "warehouseId": 2, "onHand": 40})
    calls = receiver.wait_for(3)
    assert len(calls) == 3
    delivery = _deliveries(bp)[0]
    assert delivery["attempts"] == 3 and delivery["status"] == 200 and delivery["outcome"] == "delivered"
    assert [h["status"] for h in delivery["history"]] == [503, 500, 200]


def test_qos1_does_not_retry_a_4xx(bp, receiver):
    subscribe(bp, receiver, "product.modified.on-hand-modified", qos=1)
    receiver.script = [410]
    bp.control("POST", "/stock", {"productId": 1001, "delta": 1})
    receiver.wait_for(1)
    delivery = _deliveries(bp)[0]
    time.sleep(0.2)
    assert len(receiver.calls) == 1 and delivery["attempts"] == 1 and delivery["outcome"] == "failed"


def test_qos0_retries_only_503(bp, receiver):
    subscribe(bp, receiver, "product.modified.on-hand-modified", qos=0, path="/a")
    receiver.script = [500]
    bp.control("POST", "/stock", {"productId": 1001, "delta": 1})
    receiver.wait_for(1)
    time.sleep(0.2)
    assert len(receiver.calls) == 1
    receiver.script = [503]
    bp.control("POST", "/stock", {"productId": 1001, "delta": 1})
    assert len(receiver.wait_for(3)) == 3


def test_qos1_retries_unreachable_receivers_and_gives_up(bp, receiver):
    bp.control("POST", "/webhooks/config", {"max_attempts": 3, "backoff_seconds": 0.01})
    bp.post("integration-service/webhook", {"subscribeTo": "product", "httpMethod": "POST",
                                            "uriTemplate": "http://127.0.0.1:9/hook", "bodyTemplate": "${resource-id}",
                                            "contentType": "text/plain", "qualityOfService": 1})
    bp.control("POST", "/stock", {"productId": 1001, "delta": 1})
    delivery = _deliveries(bp)[0]
    assert delivery["attempts"] == 3 and delivery["outcome"] == "failed" and delivery["error"]


def test_order_and_shipping_events(bp, receiver):
    for event in ("order.modified.order-status", "order.modified.fully-shipped", "goods-out-note",
                  "sales-order.created"):
        subscribe(bp, receiver, event, path="/" + event)
    order_id = bp.order().json()["response"]
    bp.api("PUT", f"order-service/order/{order_id}/status", json={"orderStatusId": 5})
    bp.control("POST", f"/orders/{order_id}/status", {"orderStatusId": 4})
    gon = bp.control("POST", f"/orders/{order_id}/ship", {"reference": "T"})["goodsOutNoteId"]
    time.sleep(0.3)
    seen = sorted((json.loads(c["body"])["fullEvent"], json.loads(c["body"])["id"]) for c in receiver.wait_for(9))
    assert seen.count(("order.modified.order-status", str(order_id))) == 2
    assert ("sales-order.created", str(order_id)) in seen
    assert ("order.modified.fully-shipped", str(order_id)) in seen
    assert ("goods-out-note.created", str(gon)) in seen
    assert ("goods-out-note.modified.shipped", str(gon)) in seen


def test_failed_requests_raise_no_events(bp, receiver):
    subscribe(bp, receiver, "product")
    bp.order(rows=[{"productId": 1001, "quantity": "1"}, {"productId": 99999, "quantity": "1"}])
    time.sleep(0.2)
    assert receiver.calls == []


def test_uri_template_variables(bp, receiver):
    bp.post("integration-service/webhook", {"subscribeTo": "product.modified.on-hand-modified",
                                            "httpMethod": "GET", "idSetAccepted": True,
                                            "uriTemplate": receiver.url + "/bp/${account-code}/${resource-id}"})
    bp.control("POST", "/stock", {"productId": 1001, "delta": 1})
    call = receiver.wait_for(1)[0]
    assert call["method"] == "GET" and call["path"] == "/bp/sandbox/1001"
