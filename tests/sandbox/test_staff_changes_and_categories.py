"""Contract tests: what staff do in each platform's screens (control API) and categories.

Brightpearl: a shipped note's reference corrected, a product archived or deleted, products in
a category tree, a sales order's receipt paid back. WooCommerce: products/categories.
"""
import json

from tests.sandbox.bp_fixtures import (bp, bp_server, receiver, receiver_server,  # noqa: F401
                                       subscribe)
from tests.sandbox.woo_fixtures import store  # noqa: F401


def test_a_shipped_notes_reference_can_be_corrected_by_staff_only(bp, receiver):
    order_id = bp.order().json()["response"]
    note_id = bp.control("POST", f"/orders/{order_id}/ship", {"reference": "RM1"})["goodsOutNoteId"]
    refused = bp.api("PUT", f"warehouse-service/goods-note/goods-out/{note_id}",
                     json={"shipping": {"reference": "RM2"}})
    assert refused.status_code == 400  # the API: a shipped note takes no edits (§10)
    subscribe(bp, receiver, "goods-out-note.modified")
    answer = bp.control("POST", f"/goods-out-notes/{note_id}/reference", {"reference": "RM2"})
    assert answer == {"goodsOutNoteId": note_id, "reference": "RM2", "was": "RM1"}
    note = bp.get(f"warehouse-service/order/*/goods-note/goods-out/{note_id}").json()["response"]
    assert note[str(note_id)]["shipping"]["reference"] == "RM2"
    body = json.loads(receiver.wait_for(1)[0]["body"])
    assert body["fullEvent"] == "goods-out-note.modified" and body["id"] == str(note_id)


def test_archiving_and_deleting_products(bp, receiver):
    subscribe(bp, receiver, "product")
    bp.control("POST", "/products/1002/status", {"status": "archived"})
    assert bp.get("product-service/product/1002").json()["response"][0]["status"] == "ARCHIVED"
    live = bp.get("product-service/product-search?productStatus=LIVE&productId=1002").json()
    assert live["response"]["results"] == []
    order_id = bp.order().json()["response"]
    product_on_order = bp.get(f"order-service/order/{order_id}").json()["response"][0]
    on_order = next(iter(product_on_order["orderRows"].values()))["productId"]
    assert bp.control("DELETE", f"/products/{on_order}")["errors"][0]["message"].endswith(
        "archive it")
    assert bp.control("DELETE", "/products/1003") == {"productId": 1003, "deleted": True}
    assert bp.get("product-service/product/1003").status_code == 404
    events = [json.loads(c["body"]) for c in receiver.wait_for(3)]
    assert [(e["fullEvent"], e["id"]) for e in events if "on-hand" not in e["fullEvent"]] == [
        ("product.modified", "1002"), ("product.destroyed", "1003")]


def test_categories_tree_and_membership(bp):
    tree = bp.get("product-service/brightpearl-category").json()["response"]
    by_id = {c["id"]: c for c in tree}
    assert by_id[299] == {"id": 299, "name": "Accessories", "parentId": 296}
    assert by_id[296] == {"id": 296, "name": "Clothing"}  # at the top: no parentId
    assert bp.get("product-service/brightpearl-category/298").json()["response"][0]["name"] \
        == "Stationery"
    bp.control("POST", "/products/1007/categories", {"categories": [299, 301]})
    product = bp.get("product-service/product/1007").json()["response"][0]
    assert product["salesChannels"][0]["categories"] == [{"categoryCode": "299"},
                                                        {"categoryCode": "301"}]
    found = bp.get("product-service/product-search?productId=1007"
                   "&columns=productId,brightpearlCategoryCode").json()
    assert found["response"]["results"] == [[1007, 299]]
    assert found["reference"]["productCategoryMembership"] == {"1007": [299, 301]}
    assert "errors" in bp.control("POST", "/products/1007/categories", {"categories": [9]})


def test_a_receipt_paid_back_leaves_the_order_unpaid(bp):
    order_id = bp.order().json()["response"]

    def pay(kind, amount, ref):
        return bp.post("accounting-service/customer-payment", {
            "transactionRef": ref, "paymentMethodCode": "STRIPE", "paymentType": kind,
            "orderId": order_id, "amountPaid": amount, "paymentDate": "2024-05-01T10:00:00+01:00"})

    assert pay("RECEIPT", "24.00", "r-1").status_code == 200
    assert pay("PAYMENT", "10.00", "back-1").status_code == 200
    totals = bp.get(f"accounting-service/sale-payment-total/{order_id}").json()["response"]
    assert totals[str(order_id)]["amountPaid"] == "14.0000"
    assert pay("PAYMENT", "14.01", "back-2").status_code == 400
    assert pay("PAYMENT", "14.00", "back-3").status_code == 200
    order = bp.get(f"order-service/order/{order_id}").json()["response"][0]
    assert order["orderPaymentStatus"] == "UNPAID"


def test_woo_product_categories(store):
    store.seed(products=8)
    made = store.api.post(store.wc("products/categories"), json={"name": "Home"})
    assert made.status_code == 201
    home = made.json()
    kitchen = store.api.post(store.wc("products/categories"),
                             json={"name": "Kitchen", "parent": home["id"]}).json()
    assert kitchen["parent"] == home["id"] and kitchen["slug"] == "kitchen"
    again = store.api.post(store.wc("products/categories"), json={"name": "kitchen",
                                                                  "parent": home["id"]})
    assert again.status_code == 400
    assert again.json()["code"] == "term_exists"
    assert again.json()["data"]["resource_id"] == kitchen["id"]
    other = store.api.post(store.wc("products/categories"), json={"name": "Kitchen"}).json()
    assert other["slug"] == "kitchen-2"  # same name elsewhere in the tree: a new slug
    product = store.api.get(store.wc("products"), params={"per_page": 1}).json()[0]
    updated = store.api.put(store.wc(f"products/{product['id']}"), json={
        "categories": [{"id": kitchen["id"]}, {"id": 99999}]}).json()
    assert updated["categories"] == [{"id": kitchen["id"], "name": "Kitchen", "slug": "kitchen"}]
    listed = store.api.get(store.wc("products/categories"),
                           params={"parent": home["id"]}).json()
    assert [(c["name"], c["count"]) for c in listed] == [("Kitchen", 1)]
    assert store.api.delete(store.wc(f"products/categories/{home['id']}")).status_code == 501
    assert store.api.delete(store.wc(f"products/categories/{home['id']}"),
                            params={"force": "true"}).status_code == 200
    moved = store.api.get(store.wc(f"products/categories/{kitchen['id']}")).json()
    assert moved["parent"] == 0


def test_a_plugin_registers_an_order_status(store):
    store.seed(products=8, customers=2)
    order = store.control("POST", "checkout", json={
        "customer_index": 0, "lines": [{"sku": store.api.get(store.wc("products"), params={
            "type": "simple"}).json()[0]["sku"], "quantity": 1}]}).json()
    refused = store.api.put(store.wc(f"orders/{order['id']}"), json={"status": "shipped"})
    assert refused.status_code == 400 and refused.json()["code"] == "rest_invalid_param"
    assert store.control("POST", "order-statuses", json={"slug": "wc-shipped",
                                                         "label": "Shipped"}).json() == {
        "shipped": "Shipped"}
    moved = store.api.put(store.wc(f"orders/{order['id']}"), json={"status": "shipped"})
    assert moved.status_code == 200 and moved.json()["status"] == "shipped"
    listed = store.api.get(store.wc("orders"), params={"status": "shipped"}).json()
    assert [o["id"] for o in listed] == [order["id"]]
    notes = store.api.get(store.wc(f"orders/{order['id']}/notes")).json()
    assert "to Shipped." in notes[0]["note"]
