"""Orders whose lines Brightpearl has no product for, end to end: a SKU only the store has, and
a product staff deleted in the store after the sale (its line loses its SKU). Each setting of
"Unknown SKU" ends in a clear row: Synced with free-text rows, Pending (held) or Failed."""
from logpage.resync import resync_row
from models.links import OrderLink
from models.logs import SyncLog
from tests.orders.flows import ORDER_SETTINGS, enable_order_flows, first_skus

WOO_ONLY = "WOO-ONLY-MUG"


def woo_only_product(platforms):
    platforms.woo("POST", "/products", json={
        "name": "Hand-thrown mug", "sku": WOO_ONLY, "regular_price": "12.00",
        "manage_stock": True, "stock_quantity": 5})


def checkout(platforms, skus):
    return platforms.woo_control("checkout", {
        "email": "ada.okafor@example.com", "payment_method": "stripe", "status": "processing",
        "tax_rate": "20", "shipping": {"method_id": "flat_rate", "total": "4.99"},
        "lines": [{"sku": sku, "quantity": 1} for sku in skus]})


def order_row(order):
    return SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")


def bp_rows(platforms, order):
    bp_id = OrderLink.get(OrderLink.woo_order_id == order["id"]).bp_order_id
    bp_order = platforms.bp("GET", f"/order-service/order/{bp_id}")[0]
    return bp_order, list(bp_order["orderRows"].values())


def test_free_text_keeps_the_line_and_the_total_and_says_so(platforms, work):
    enable_order_flows()
    known = first_skus(platforms, 1)[0]
    woo_only_product(platforms)
    order = checkout(platforms, [known, WOO_ONLY])
    platforms.settle(work)
    row = order_row(order)
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    bp_order, rows = bp_rows(platforms, order)
    free = [r for r in rows if r["productName"].startswith("Hand-thrown mug")]
    assert free[0]["productName"] == f"Hand-thrown mug (SKU {WOO_ONLY} is not in Brightpearl)"
    assert "productId" not in free[0] or not free[0]["productId"]
    assert bp_order["totalValue"]["total"].startswith(order["total"])
    assert any(f"1 line as a free-text row, no stock allocated: 'Hand-thrown mug' (SKU "
               f"{WOO_ONLY} is not in Brightpearl)" in a.message for a in row.attempts), \
        [a.message for a in row.attempts]


def woo_only_order(platforms, work, policy):
    """An order for the store-only SKU under the Unknown SKU policy: (order, its row)."""
    enable_order_flows(orders=dict(ORDER_SETTINGS, unknown_sku=policy))
    woo_only_product(platforms)
    order = checkout(platforms, [WOO_ONLY])
    platforms.settle(work)
    return order, order_row(order)


def test_fail_names_the_line_and_what_to_do(platforms, work):
    _, row = woo_only_order(platforms, work, "fail")
    assert row.status == "failed"
    assert row.failure_reason == (f"line 'Hand-thrown mug': SKU {WOO_ONLY} is not in Brightpearl "
                                  f"— add a product with SKU {WOO_ONLY} to Brightpearl, then "
                                  f"Re-sync (or set Unknown SKU to free text)")
    assert platforms.bp("GET", "/order-service/order-search")["results"] == []
    assert platforms.bp("GET", "/contact-service/contact-search",
                        params={"primaryEmail": "ada.okafor"})["results"] == []


def test_hold_waits_until_the_product_exists_then_resync_syncs_it(platforms, work,
                                                                   redis_connection):
    order, row = woo_only_order(platforms, work, "hold")
    assert row.status == "pending"
    assert row.pending_reason.startswith(f"held: line 'Hand-thrown mug': SKU {WOO_ONLY} is not "
                                         f"in Brightpearl")
    product_id = platforms.bp("POST", "/product-service/product", json={
        "brandId": 1, "identity": {"sku": WOO_ONLY},
        "salesChannels": [{"salesChannelName": "Brightpearl", "productName": "Hand-thrown mug"}]})
    resync_row(row, redis_connection)
    platforms.settle(work)
    assert order_row(order).status == "synced"
    _, rows = bp_rows(platforms, order)
    assert [r.get("productId") for r in rows if r.get("productSku") == WOO_ONLY] == [product_id]


def test_a_product_deleted_in_the_store_after_the_sale(platforms, work):
    enable_order_flows()
    keep, gone = first_skus(platforms, 2)
    gone_id = platforms.woo("GET", "/products", params={"sku": gone})[0]["id"]
    order = checkout(platforms, [keep, gone])
    platforms.woo("DELETE", f"/products/{gone_id}", params={"force": "true"})
    platforms.settle(work)
    row = order_row(order)
    assert row.status == "synced", (row.pending_reason, row.failure_reason)
    _, rows = bp_rows(platforms, order)
    names = [r["productName"] for r in rows]
    assert any(n.endswith("(its product was deleted in WooCommerce, so it has no SKU)")
               for n in names), names
    # Under "fail" the same order is Failed with the reason (a second such order).
    enable_order_flows(orders=dict(ORDER_SETTINGS, unknown_sku="fail"))
    other = platforms.woo("GET", "/products", params={"sku": keep})[0]["id"]
    second = checkout(platforms, [keep])
    platforms.woo("DELETE", f"/products/{other}", params={"force": "true"})
    platforms.settle(work)
    failed = order_row(second)
    assert failed.status == "failed"
    assert "its product was deleted in WooCommerce, so it has no SKU — it can only be a " \
           "free-text row: set Unknown SKU to free text" in failed.failure_reason
