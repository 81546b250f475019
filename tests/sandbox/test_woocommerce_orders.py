"""Contract: orders, notes, refunds and the Shipment Tracking extension (reference §2.5–2.7)."""
import json
from decimal import Decimal

import requests

from tests.sandbox.woo_fixtures import store  # noqa: F401  (fixture)

SKU_SIMPLE = "VINTAGE-TOTE-00002"


def _checkout(store, **extra):
    body = dict({"customer_index": 0, "lines": [{"sku": "VINTAGE-NOTEBOOK-00000-RS", "quantity": 2}],
                 "payment_method": "stripe", "status": "processing", "tax_rate": "20",
                 "prices_include_tax": True, "shipping": {"method_id": "flat_rate", "total": "4.17"},
                 "coupon": "5.00"}, **extra)
    response = store.control("POST", "checkout", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_order_has_the_real_field_set_and_totals_add_up(store):
    store.seed(products=12)
    order = _checkout(store)
    fetched = store.api.get(store.wc(f"orders/{order['id']}")).json()
    for key in ("id", "parent_id", "number", "order_key", "created_via", "version", "status", "currency",
                "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "discount_total",
                "discount_tax", "shipping_total", "shipping_tax", "cart_tax", "total", "total_tax",
                "prices_include_tax", "customer_id", "billing", "shipping", "payment_method",
                "payment_method_title", "transaction_id", "date_paid", "date_paid_gmt", "meta_data",
                "line_items", "tax_lines", "shipping_lines", "fee_lines", "coupon_lines", "refunds", "_links"):
        assert key in fetched, key
    item = fetched["line_items"][0]
    assert item["sku"] == "VINTAGE-NOTEBOOK-00000-RS" and item["variation_id"] and item["quantity"] == 2
    assert isinstance(item["price"], float) and item["taxes"][0]["id"] == 1
    assert fetched["customer_id"] > 0 and fetched["number"] == str(fetched["id"])
    lines = sum(Decimal(i["total"]) for i in fetched["line_items"])
    total = lines + Decimal(fetched["shipping_total"]) + Decimal(fetched["total_tax"])
    assert total == Decimal(fetched["total"])
    assert Decimal(fetched["discount_total"]) + Decimal(fetched["discount_tax"]) == Decimal("5.00")
    assert fetched["refunds"] == []


def test_order_list_filters_and_status_update(store):
    store.seed(products=12)
    first = _checkout(store)
    draft = _checkout(store, status="checkout-draft")
    drafts = store.api.get(store.wc("orders"), params={"status": "checkout-draft"}).json()
    assert [o["id"] for o in drafts] == [draft["id"]]
    listed = store.api.get(store.wc("orders"), params={"per_page": 1})
    assert listed.headers["X-WP-Total"] == "2" and listed.json()[0]["id"] == draft["id"]  # newest first
    updated = store.api.put(store.wc(f"orders/{first['id']}"), json={"status": "completed"}).json()
    assert updated["status"] == "completed" and updated["date_completed_gmt"]
    bad = store.api.put(store.wc(f"orders/{first['id']}"), json={"status": "shipped-ish"})
    assert bad.status_code == 400 and bad.json()["code"] == "rest_invalid_param"
    missing = store.api.get(store.wc("orders/424242"))
    assert missing.status_code == 404 and missing.json()["code"] == "woocommerce_rest_shop_order_invalid_id"


def test_cancelling_restores_stock(store):
    store.seed(products=12)
    before = store.by_sku(SKU_SIMPLE)["stock_quantity"]
    order = _checkout(store, lines=[{"sku": SKU_SIMPLE, "quantity": 1}])
    assert store.by_sku(SKU_SIMPLE)["stock_quantity"] == before - 1
    store.api.put(store.wc(f"orders/{order['id']}"), json={"status": "cancelled"})
    assert store.by_sku(SKU_SIMPLE)["stock_quantity"] == before


def test_order_notes(store):
    store.seed(products=12)
    order = _checkout(store)
    created = store.api.post(store.wc(f"orders/{order['id']}/notes"),
                             json={"note": "Shipped with Royal Mail", "customer_note": True})
    assert created.status_code == 201 and created.json()["customer_note"] is True
    customer = store.api.get(store.wc(f"orders/{order['id']}/notes"), params={"type": "customer"}).json()
    assert [n["note"] for n in customer] == ["Shipped with Royal Mail"]
    internal = store.api.get(store.wc(f"orders/{order['id']}/notes"), params={"type": "internal"}).json()
    assert any(n["note"].startswith("Stock levels reduced") for n in internal)


def test_refund_with_lines_restocks_and_lists_negative_total(store):
    store.seed(products=12)
    before = store.by_sku(SKU_SIMPLE)["stock_quantity"]
    order = _checkout(store, lines=[{"sku": SKU_SIMPLE, "quantity": 2}], coupon=None, shipping=None)
    item = order["line_items"][0]
    response = store.api.post(store.wc(f"orders/{order['id']}/refunds"), json={
        "reason": "Damaged", "line_items": [{"id": item["id"], "quantity": 1, "refund_total": "10.00",
                                             "refund_tax": [{"id": 1, "refund_total": "2.00"}]}]})
    assert response.status_code == 201, response.text
    refund = response.json()
    assert refund["amount"] == "12.00" and refund["refunded_payment"] is True
    line = refund["line_items"][0]
    assert line["quantity"] == -1 and line["total"] == "-10.00"
    assert line["meta_data"][0]["key"] == "_refunded_item_id" and line["meta_data"][0]["value"] == str(item["id"])
    assert store.by_sku(SKU_SIMPLE)["stock_quantity"] == before - 1
    fetched = store.api.get(store.wc(f"orders/{order['id']}")).json()
    assert fetched["refunds"] == [{"id": refund["id"], "reason": "Damaged", "total": "-12.00"}]
    assert store.api.get(store.wc(f"orders/{order['id']}/refunds/{refund['id']}")).json()["id"] == refund["id"]
    assert len(store.api.get(store.wc(f"orders/{order['id']}/refunds")).json()) == 1


def test_refund_without_restock_and_full_refund_status(store):
    store.seed(products=12)
    order = _checkout(store, lines=[{"sku": SKU_SIMPLE, "quantity": 1}])
    after_sale = store.by_sku(SKU_SIMPLE)["stock_quantity"]
    item = order["line_items"][0]
    store.api.post(store.wc(f"orders/{order['id']}/refunds"), json={
        "amount": order["total"], "api_restock": False,
        "line_items": [{"id": item["id"], "quantity": 1}]})
    assert store.by_sku(SKU_SIMPLE)["stock_quantity"] == after_sale
    assert store.api.get(store.wc(f"orders/{order['id']}")).json()["status"] == "refunded"


def test_gateway_that_cannot_refund_answers_500_with_bare_int_data(store):
    store.seed(products=12)
    order = _checkout(store, payment_method="bacs", status="on-hold")
    response = store.api.post(store.wc(f"orders/{order['id']}/refunds"), json={"amount": "1.00"})
    assert response.status_code == 500
    assert response.json() == {"code": "woocommerce_rest_cannot_create_order_refund",
                               "message": "The payment gateway for this order does not support automatic refunds.",
                               "data": 500}
    recorded = store.api.post(store.wc(f"orders/{order['id']}/refunds"), json={"amount": "1.00", "api_refund": False})
    assert recorded.status_code == 201 and recorded.json()["refunded_payment"] is False
    bad_order = store.api.post(store.wc("orders/999999/refunds"), json={"amount": "1.00"})
    assert bad_order.status_code == 500 and bad_order.json()["data"] == 404
    too_much = store.api.post(store.wc(f"orders/{order['id']}/refunds"), json={"amount": "100000", "api_refund": False})
    assert too_much.status_code == 500 and too_much.json()["message"] == "Invalid refund amount."


def test_shipment_tracking_extension_on_and_off(store):
    store.seed(products=12)
    order = _checkout(store)
    url = f"{store.url}/wp-json/wc-shipment-tracking/v3/orders/{order['id']}/shipment-trackings"
    created = store.api.post(url, json={"tracking_provider": "Royal Mail", "tracking_number": "RM123GB",
                                        "date_shipped": "2026-11-20"})
    assert created.status_code == 201 and created.headers["Location"].endswith(created.json()["tracking_id"])
    item = created.json()
    assert len(item["tracking_id"]) == 32 and item["tracking_provider"] == "Royal Mail"
    assert item["tracking_number"] == "RM123GB" and item["date_shipped"] == "2026-11-20"
    assert "RM123GB" in item["tracking_link"]
    custom = store.api.post(url, json={"custom_tracking_provider": "Bike Courier", "tracking_number": "B1"}).json()
    assert custom["custom_tracking_provider"] == "Bike Courier"
    assert [t["tracking_number"] for t in store.api.get(url).json()] == ["RM123GB", "B1"]
    meta = store.api.get(store.wc(f"orders/{order['id']}")).json()["meta_data"]
    assert any(m["key"] == "_wc_shipment_tracking_items" for m in meta)
    assert store.api.delete(f"{url}/{custom['tracking_id']}").status_code == 200
    assert len(store.api.get(url).json()) == 1
    store.control("POST", "tracking-extension", json={"enabled": False})
    off = store.api.get(url)
    assert off.status_code == 404 and off.json()["code"] == "rest_no_route"
    assert requests.get(url, auth=("ck_bad", "x")).status_code == 401


def test_php_style_json_on_the_wire(store):
    store.seed(products=12)
    order = _checkout(store)
    raw = store.api.get(store.wc(f"orders/{order['id']}")).content
    assert b"https:\\/\\/" in raw or b"http:\\/\\/" in raw
    assert json.loads(raw)["currency_symbol"] == "£" and b"\\u00a3" in raw
