"""The WooCommerce client against the emulator over real HTTP."""
from datetime import datetime, timedelta, timezone

import pytest
import requests

from connectors.errors import NotFoundError, PermanentError, TransientError
from connectors.woocommerce import WooCommerceClient

from .conftest import woo_settings


@pytest.fixture
def woo(woo_sandbox, redis13):
    """A client on the emulator, counting calls in Redis DB 13."""
    client = WooCommerceClient.from_config(woo_settings(woo_sandbox.url), redis=redis13)
    client.forget_tracking_extension()
    return client


def seed(server, products=30, customers=3):
    return requests.post(f"{server.url}/_sandbox/seed",
                         json={"products": products, "customers": customers}, timeout=30).json()


def checkout(server, sku, quantity=1):
    answer = requests.post(f"{server.url}/_sandbox/checkout", timeout=10, json={
        "customer_index": 0, "lines": [{"sku": sku, "quantity": quantity}]})
    answer.raise_for_status()
    return answer.json()


def fault(server, **rule):
    requests.post(f"{server.url}/_sandbox/faults", json=rule, timeout=10).raise_for_status()


def counts(server):
    return requests.get(f"{server.url}/_sandbox/requests", timeout=10).json()["counts"]


def test_pagination_over_several_pages(woo, woo_sandbox):
    summary = seed(woo_sandbox, products=520)
    parents = summary["simple"] + summary["variable"]  # the list leaves variations out
    assert parents > 200
    requests.delete(f"{woo_sandbox.url}/_sandbox/requests", timeout=10)
    products = list(woo.list_products())
    assert len(products) == len({p["id"] for p in products}) == parents
    assert sum(n for route, n in counts(woo_sandbox).items()
               if route.startswith("GET") and route.endswith("/products")) == -(-parents // 100)


def test_products_by_sku_find_products_and_variations(woo, woo_sandbox):
    seed(woo_sandbox)
    products = list(woo.list_products())
    simple = next(p for p in products if p["type"] == "simple")
    variable = next(p for p in products if p["type"] == "variable")
    variation = woo.list_variations(variable["id"])[0]
    found = woo.products_by_sku([simple["sku"], variation["sku"], "NO-SUCH-SKU"])
    assert set(found) == {simple["sku"], variation["sku"]}
    assert found[variation["sku"]]["parent_id"] == variable["id"]


def test_stock_updates_with_partial_failures(woo, woo_sandbox):
    seed(woo_sandbox)
    products = list(woo.list_products())
    simple = [p for p in products if p["type"] == "simple"][:3]
    variable = next(p for p in products if p["type"] == "variable")
    variation = woo.list_variations(variable["id"])[0]
    result = woo.update_stock(
        [{"product_id": p["id"], "quantity": 5 + i} for i, p in enumerate(simple)]
        + [{"product_id": 999999, "quantity": 1},
           {"product_id": variation["id"], "parent_id": variable["id"], "quantity": 2}])
    assert len(result.updated) == 4 and len(result.failed) == 1
    failure = result.failed[0]
    assert failure.id == 999999 and failure.code and failure.message
    for i, product in enumerate(simple):
        stored = woo.get_product(product["id"])
        assert stored["manage_stock"] is True and stored["stock_quantity"] == 5 + i
    assert woo.get_product(variation["id"])["stock_quantity"] == 2


def test_a_413_halves_the_batch(woo, woo_sandbox):
    seed(woo_sandbox, products=520)
    products = [p for p in woo.list_products() if p["type"] == "simple"][:120]
    assert len(products) == 120
    update = [{"id": p["id"], "manage_stock": True, "stock_quantity": 1} for p in products]
    result = woo.batch("/products/batch", update=update, limit=150)  # above the store's 100
    assert result.ok and len(result.updated) == len(update) and result.requests == 2
    counted = woo.counter.counts()["woocommerce"]["POST /products/batch"]
    assert counted == {"permanent": 1, "ok": 2}


def test_429_with_retry_after_is_waited_out(woo, woo_sandbox):
    seed(woo_sandbox, products=3)
    fault(woo_sandbox, route="/wc/v3/products$", status=429, retry_after=1, count=1)
    assert list(woo.list_products())
    counted = woo.counter.counts()["woocommerce"]["GET /products"]
    assert counted == {"throttled": 1, "ok": 1}


def test_5xx_and_timeouts_are_transient(woo_sandbox, redis13):
    woo = WooCommerceClient.from_config(woo_settings(woo_sandbox.url), timeout=(2, 0.3),
                                        retries=0)
    fault(woo_sandbox, route="/wc/v3/orders", status=500, count=1)
    with pytest.raises(TransientError):
        woo.get_order(1)
    fault(woo_sandbox, route="/wc/v3/orders", timeout_seconds=0.8, count=1)
    with pytest.raises(TransientError) as caught:
        woo.get_order(1)
    assert "in time" in str(caught.value)


def test_4xx_is_permanent_with_the_store_message(woo, woo_sandbox):
    seed(woo_sandbox, products=3)
    with pytest.raises(NotFoundError):
        woo.get_order(424242)
    sku = next(iter(woo.list_products()))["sku"]
    with pytest.raises(PermanentError) as caught:
        woo.create_product({"name": "Dup", "sku": sku})
    assert caught.value.code == "product_invalid_sku" and caught.value.status == 400
    bad_keys = WooCommerceClient(woo_sandbox.url, "ck_sandbox", "cs_wrong")
    with pytest.raises(PermanentError) as caught:
        bad_keys.get_order(1)
    assert caught.value.status == 401 and "cs_wrong" not in str(caught.value)


def test_query_string_auth(woo_sandbox):
    seed(woo_sandbox, products=3)
    woo = WooCommerceClient.from_config(woo_settings(woo_sandbox.url, WOO_QUERY_STRING_AUTH=True))
    assert woo.session.auth is None and list(woo.list_products())


def test_orders_modified_after_status_notes_and_refunds(woo, woo_sandbox):
    seed(woo_sandbox)
    sku = next(p for p in woo.list_products() if p["type"] == "simple")["sku"]
    since = datetime.now(timezone.utc) - timedelta(minutes=5)
    order = checkout(woo_sandbox, sku, 2)
    assert [o["id"] for o in woo.orders_modified_after(since)] == [order["id"]]
    assert list(woo.orders_modified_after(datetime.now(timezone.utc) + timedelta(hours=1))) == []
    assert woo.update_order_status(order["id"], "completed")["status"] == "completed"
    note = woo.add_order_note(order["id"], "Synced to Brightpearl as SO #12")
    assert note["id"] in [n["id"] for n in woo.list_order_notes(order["id"])]
    refund = woo.create_refund(order["id"], amount="1.00", reason="damaged")
    assert refund["amount"] == "1.00" and refund["refunded_payment"] is False
    assert [r["id"] for r in woo.list_refunds(order["id"])] == [refund["id"]]


def test_shipment_tracking_with_and_without_the_extension(woo, woo_sandbox):
    seed(woo_sandbox)
    sku = next(p for p in woo.list_products() if p["type"] == "simple")["sku"]
    order = checkout(woo_sandbox, sku)
    assert woo.has_tracking_extension()
    known = woo.add_tracking(order["id"], "RM123456", provider="Royal Mail")
    custom = woo.add_tracking(order["id"], "ZZ1", provider="Acme Couriers",
                              link="https://acme.example/t/%1$s")
    assert known.method == custom.method == "extension" and known.tracking_id
    detections = woo.counter.counts()["woocommerce"][
        "GET /wp-json/wc-shipment-tracking/v3/shipment-trackings/providers"]
    assert detections == {"ok": 1}  # detected once, remembered
    root = f"{woo_sandbox.url}/wp-json/wc-shipment-tracking/v3"
    trackings = requests.get(
        f"{root}/orders/{order['id']}/shipment-trackings",
        auth=("ck_sandbox", "cs_sandbox"), timeout=10).json()
    assert {(t["tracking_number"], t["tracking_provider"]) for t in trackings} == {
        ("RM123456", "Royal Mail"), ("ZZ1", "Acme Couriers")}
    # The extension is removed; the remembered answer is stale: the POST falls back.
    requests.post(f"{woo_sandbox.url}/_sandbox/tracking-extension", json={"enabled": False},
                  timeout=10)
    fallback = woo.add_tracking(order["id"], "DPD777", provider="DPD")
    assert fallback.method == "note" and fallback.note_id
    assert not woo.has_tracking_extension()
    notes = woo.list_order_notes(order["id"])
    assert any("DPD777" in n["note"] and n["customer_note"] for n in notes)
    meta = {m["key"]: m["value"] for m in woo.get_order(order["id"])["meta_data"]}
    assert meta["_tracking_number"] == "DPD777" and meta["_tracking_provider"] == "DPD"


def test_webhooks_list_create_update(woo, woo_sandbox):
    hook = woo.create_webhook({"name": "t", "topic": "order.created", "status": "active",
                               "delivery_url": "http://127.0.0.1:9/hook", "secret": "s3cret"})
    assert [h["id"] for h in woo.list_webhooks()] == [hook["id"]]
    assert woo.update_webhook(hook["id"], {"status": "paused"})["status"] == "paused"
