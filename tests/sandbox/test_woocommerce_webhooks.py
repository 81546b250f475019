"""Contract: webhook provisioning and delivery as WooCommerce does it (reference §1, §3)."""
import base64
import hashlib
import hmac
import json
import time

from sandbox.woocommerce import encode_php_json, sign
from tests.sandbox.woo_fixtures import make_webhook, receiver, store  # noqa: F401  (fixtures)

HEADERS = ("X-Wc-Webhook-Source", "X-Wc-Webhook-Topic", "X-Wc-Webhook-Resource", "X-Wc-Webhook-Event",
           "X-Wc-Webhook-Signature", "X-Wc-Webhook-Id", "X-Wc-Webhook-Delivery-Id")


def test_signature_and_encoding_match_the_reference_vectors():
    assert sign(b'{"id":1}', "secret") == "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc="
    body = encode_php_json({"id": 727, "status": "processing",
                            "_links": {"self": [{"href": "https://example.com/wp-json/wc/v3/orders/727"}]}})
    assert body == (b'{"id":727,"status":"processing","_links":{"self":[{"href":'
                    b'"https:\\/\\/example.com\\/wp-json\\/wc\\/v3\\/orders\\/727"}]}}')
    assert sign(body, "secret") == "Ltj2Sia+dPysbaFieC53/qL45+wiWgBDhirHedLQ6F0="
    assert sign(b'{"id":1}', "my&amp;secret") == "PVnhfcJo98htQpmyJkfh40YpLnkqAtlMatBgZrkRVwY="
    assert encode_php_json({"name": "Café", "meta": {}, "tags": []}) == b'{"name":"Caf\\u00e9","meta":[],"tags":[]}'


def test_create_pings_and_rest_shape(store, receiver):
    created, secret = make_webhook(store, receiver, "product.updated")
    assert created["status"] == "active" and created["resource"] == "product" and created["event"] == "updated"
    assert "secret" not in created and len(secret) == 50
    ping = receiver.pings()[0]
    assert ping["body"] == f"webhook_id={created['id']}".encode()
    agent = ping["headers"]["User-Agent"]
    assert agent.startswith("WooCommerce/") and "Hookshot (WordPress/" in agent
    assert not any(h in ping["headers"] for h in HEADERS)
    state = store.control("GET", "state").json()["webhooks"][0]
    assert state["pending_delivery"] is False
    bad = store.api.post(store.wc("webhooks"), json={"topic": "product.exploded", "delivery_url": receiver.url})
    assert bad.status_code == 400 and bad.json()["code"] == "woocommerce_rest_shop_webhook_invalid_topic"
    assert store.api.delete(store.wc(f"webhooks/{created['id']}")).status_code == 501
    assert store.api.delete(store.wc(f"webhooks/{created['id']}"), params={"force": "true"}).status_code == 200


def test_delivery_bytes_headers_and_signature(store, receiver):
    store.seed(products=12)
    created, secret = make_webhook(store, receiver, "product.updated", secret="s3cr3t")
    product = store.by_sku("VINTAGE-TOTE-00002")
    store.api.put(store.wc(f"products/{product['id']}"), json={"name": "Tote / Bag — Café"})
    assert store.flush() == 1
    delivery = receiver.deliveries()[0]
    rest = store.api.get(store.wc(f"products/{product['id']}"))
    assert delivery["body"] == rest.content  # identical to a REST GET, _links included
    assert b"\\/" in delivery["body"] and b"\\u00e9" in delivery["body"] and b"\\u2014" in delivery["body"]
    headers = delivery["headers"]
    assert all(name in headers for name in HEADERS)
    assert headers["X-Wc-Webhook-Topic"] == "product.updated" and headers["X-Wc-Webhook-Resource"] == "product"
    assert headers["X-Wc-Webhook-Event"] == "updated" and headers["X-Wc-Webhook-Id"] == str(created["id"])
    assert headers["X-Wc-Webhook-Source"] == store.url + "/"
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"].startswith("WooCommerce/")
    expected = base64.b64encode(hmac.new(b"s3cr3t", delivery["body"], hashlib.sha256).digest()).decode()
    assert headers["X-Wc-Webhook-Signature"] == expected == sign(delivery["body"], secret)
    assert len(headers["X-Wc-Webhook-Delivery-Id"]) == 32
    assert json.loads(delivery["body"])["_links"]["self"][0]["href"].endswith(f"/products/{product['id']}")


def test_delivery_is_async_and_coalesced(store, receiver):
    store.seed(products=12)
    make_webhook(store, receiver, "product.updated")
    store.control("POST", "webhooks/config", json={"delay": 0.5})  # room for three requests on slow CI
    product = store.by_sku("VINTAGE-TOTE-00002")
    for name in ("One", "Two", "Three"):
        store.api.put(store.wc(f"products/{product['id']}"), json={"name": name})
    deadline = time.time() + 3
    while not receiver.deliveries() and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    deliveries = receiver.deliveries()
    assert len(deliveries) == 1  # three updates, one pending action, state at delivery time (§1.4)
    assert json.loads(deliveries[0]["body"])["name"] == "Three"


def test_delivery_id_is_the_same_within_one_second(store, receiver):
    store.seed(products=12)
    make_webhook(store, receiver, "product.updated")
    ids = [store.by_sku(sku)["id"] for sku in ("VINTAGE-TOTE-00002", "ORGANIC-SCARF-00003")]
    while time.time() % 1 > 0.5:  # start early in a second so both deliveries share it
        time.sleep(0.05)
    for product_id in ids:
        store.api.put(store.wc(f"products/{product_id}"), json={"name": "x"})
    store.flush()
    delivery_ids = {d["headers"]["X-Wc-Webhook-Delivery-Id"] for d in receiver.deliveries()}
    assert len(receiver.deliveries()) == 2 and len(delivery_ids) == 1


def test_deleted_sends_only_the_id_and_checkout_fires_order_created(store, receiver):
    store.seed(products=12)
    make_webhook(store, receiver, "product.deleted")
    make_webhook(store, receiver, "order.created")
    product = store.by_sku("ORGANIC-CAP-00005")
    store.api.delete(store.wc(f"products/{product['id']}"))
    order = store.control("POST", "checkout", json={"email": "nobody@example.com",
                                                    "lines": [{"sku": "VINTAGE-TOTE-00002", "quantity": 1}]}).json()
    store.flush()
    bodies = {d["headers"]["X-Wc-Webhook-Topic"]: d["body"] for d in receiver.deliveries()}
    assert bodies["product.deleted"] == f'{{"id":{product["id"]}}}'.encode()
    created = json.loads(bodies["order.created"])
    assert created["id"] == order["id"] and created["customer_id"] == 0


def test_refund_fires_order_updated_with_negative_refund_total(store, receiver):
    store.seed(products=12)
    order = store.control("POST", "checkout", json={"lines": [{"sku": "VINTAGE-TOTE-00002", "quantity": 1}]}).json()
    make_webhook(store, receiver, "order.updated")
    store.control("POST", f"orders/{order['id']}/refund", json={"amount": "2.50", "reason": "Late"})
    store.flush()
    payload = json.loads(receiver.deliveries()[0]["body"])
    assert payload["refunds"][0]["total"] == "-2.50" and payload["refunds"][0]["reason"] == "Late"


def test_consecutive_failures_disable_the_webhook_without_retries(store, receiver):
    store.seed(products=12)
    receiver.status = 500
    created, _ = make_webhook(store, receiver, "product.updated")
    product = store.by_sku("VINTAGE-TOTE-00002")
    for round_number in range(1, 8):
        store.api.put(store.wc(f"products/{product['id']}"), json={"name": f"n{round_number}"})
        store.flush()
        hook = store.control("GET", "state").json()["webhooks"][0]
        if round_number < 7:
            assert hook["status"] == "active" and hook["failure_count"] == round_number
    assert hook["status"] == "disabled"  # on the 7th consecutive failure with the default 5 (§1.5)
    assert len(receiver.deliveries()) == 7  # one attempt each: no retries
    store.api.put(store.wc(f"products/{product['id']}"), json={"name": "after"})
    assert store.flush() == 0 and len(receiver.deliveries()) == 7
    again = store.api.put(store.wc(f"webhooks/{created['id']}"), json={"status": "active"}).json()
    assert again["status"] == "active"


def test_redirect_counts_as_success_and_resets_failures(store, receiver):
    store.seed(products=12)
    make_webhook(store, receiver, "product.updated")
    receiver.statuses = [500, 302]
    product = store.by_sku("VINTAGE-TOTE-00002")
    for name in ("a", "b"):
        store.api.put(store.wc(f"products/{product['id']}"), json={"name": name})
        store.flush()
    hook = store.control("GET", "state").json()["webhooks"][0]
    assert hook["failure_count"] == 0 and hook["status"] == "active"
    log = [d for d in store.control("GET", "deliveries").json() if d["kind"] == "delivery"]
    assert [d["status_code"] for d in log] == [500, 302] and [d["success"] for d in log] == [False, True]
