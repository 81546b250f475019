"""Stock changes in Brightpearl reach the store: webhooks, polling, sweep, variations, failures."""
import time

import requests

from models.db import db
from models.events import Event
from models.links import ProductLink
from models.logs import SyncLog
from sandbox.server import serve_in_thread
from jobs.inventory.sweep import start_sweep

SKU = "CAFÉ-TEE-00001"  # a simple, stock-tracked product of the demo catalog (seed 7)


def row_for(sku):
    with db.connection_context():
        link = ProductLink.get(ProductLink.sku == sku)
        return SyncLog.get((SyncLog.log_type == "inventory")
                           & (SyncLog.record_key == f"bp-{link.bp_product_id}"))


def simple_sku(stock):
    """A stock-tracked simple product's SKU from the seeded store."""
    for product in requests.get(f"{stock.woo.url}/wp-json/wc/v3/products",
                                params={"per_page": 100, "type": "simple"},
                                auth=("ck_test", "cs_test"), timeout=10).json():
        if product["manage_stock"]:
            return product["sku"]
    raise AssertionError("no stock-managed simple product in the demo catalog")


def sweep(stock):
    with db.connection_context():
        start_sweep()
    return stock.run()


def register_webhook(stock, receiver_url):
    body = {"subscribeTo": "product.modified.on-hand-modified", "httpMethod": "POST",
            "uriTemplate": f"{receiver_url}/webhooks/brightpearl/"
                           f"{stock.settings['BRIGHTPEARL_WEBHOOK_SECRET']}",
            "bodyTemplate": '{"accountCode":"${account-code}","resourceType":"${resource-type}",'
                            '"id":"${resource-id}","lifecycleEvent":"${lifecycle-event}",'
                            '"fullEvent":"${full-event}","raisedOn":"${raised-on}",'
                            '"brightpearlVersion":"${brightpearl-version}"}',
            "contentType": "application/json", "idSetAccepted": True, "qualityOfService": 1}
    answer = requests.post(f"{stock.settings['BRIGHTPEARL_URL']}/integration-service/webhook",
                           json=body, timeout=10, headers={
                               "brightpearl-app-ref": stock.settings["BRIGHTPEARL_APP_REF"],
                               "brightpearl-staff-token": stock.settings["BRIGHTPEARL_STAFF_TOKEN"]})
    assert answer.status_code == 200, answer.text


def events_received():
    with db.connection_context():
        return Event.select().count()


def test_webhook_path_reaches_the_store_within_seconds(stock):
    stock.seed(40)
    stock.enable(buffer_all=2)
    sweep(stock)
    sku = simple_sku(stock)
    receiver = serve_in_thread(stock.app)
    try:
        register_webhook(stock, receiver.url)
        started = time.monotonic()
        stock.set_stock(sku, 17, warehouse=2)
        assert stock.wait_until(lambda: events_received() >= 1)
        stock.work()  # dispatcher → handler notes the change → stock worker writes
        elapsed = time.monotonic() - started
    finally:
        receiver.stop()
    product = stock.woo_product(sku)
    row = row_for(sku)
    expected = sum_on_hand(stock, sku) - 2
    assert product["stock_quantity"] == expected and product["manage_stock"] is True
    assert row.status == "synced" and row.quantity == expected
    assert f"− buffer 2 = {expected} sent" in [a.message for a in row.attempts][-1]
    assert elapsed < 5


def sum_on_hand(stock, sku):
    levels = stock.set_stock_delta(sku, 0)["availability"]
    (entry,) = levels.values()
    return sum(w["onHand"] for w in entry["warehouses"].values())


def test_polling_path_alone_reaches_the_store(stock):
    stock.seed(40)
    stock.enable()
    sweep(stock)
    stock.tick()  # the first scan starts the goods-movement cursor at now
    sku = simple_sku(stock)
    stock.set_stock(sku, 33, warehouse=3)
    stock.tick()
    assert stock.woo_product(sku)["stock_quantity"] == sum_on_hand(stock, sku)
    assert row_for(sku).attempts[-1].trigger == "poll"


def test_dropped_notification_is_repaired_by_the_sweep(stock):
    stock.seed(40)
    stock.enable()
    sweep(stock)
    sku = simple_sku(stock)
    stock.tick()
    # The change happens while nothing listens: no webhook, and the movement feed skipped it.
    stock.set_stock(sku, 5, warehouse=2)
    from jobs.inventory.movements import CURSOR
    from models.links import write_cursor
    with db.connection_context():
        write_cursor(CURSOR, "2100-01-01T00:00:00.000Z")
    stock.tick()
    assert stock.woo_product(sku)["stock_quantity"] != sum_on_hand(stock, sku)
    sweep(stock)
    assert stock.woo_product(sku)["stock_quantity"] == sum_on_hand(stock, sku)


def test_a_burst_of_fifty_changes_is_one_read_and_one_write(stock):
    stock.seed(40)
    stock.enable()
    sweep(stock)
    sku = simple_sku(stock)
    receiver = serve_in_thread(stock.app)
    try:
        register_webhook(stock, receiver.url)
        for value in range(1, 51):
            stock.set_stock(sku, value, warehouse=4)
        assert stock.wait_until(lambda: events_received() >= 50)
        stock.bp.control("DELETE", "/requests")
        stock.woo.control("DELETE", "/requests")
        stock.work()
    finally:
        receiver.stop()
    writes = {route: n for route, n in stock.woo_requests()["counts"].items() if "batch" in route}
    reads = [r for r in stock.bp.control("GET", "/requests")["routes"]
             if "product-availability" in r["route"]]
    assert writes == {"POST /wp-json/wc/v3/products/batch": 1}
    assert [r["count"] for r in reads] == [1]
    assert stock.woo_product(sku)["stock_quantity"] == sum_on_hand(stock, sku)
    assert row_for(sku).quantity == sum_on_hand(stock, sku)


def test_variations_write_to_their_parent_batch_and_parent_managed_stock_to_the_parent(stock):
    stock.seed(40)
    stock.enable()
    auth = ("ck_test", "cs_test")
    api = f"{stock.woo.url}/wp-json/wc/v3"
    parents = requests.get(f"{api}/products", params={"type": "variable"}, auth=auth,
                           timeout=10).json()
    own, shared = parents[0], parents[1]
    # The second parent keeps one stock for all its variations (manage_stock "parent").
    requests.put(f"{api}/products/{shared['id']}", json={"manage_stock": True,
                                                         "stock_quantity": 0}, auth=auth)
    for variation_id in shared["variations"]:
        requests.put(f"{api}/products/{shared['id']}/variations/{variation_id}",
                     json={"manage_stock": False}, auth=auth)
    stock.woo.control("DELETE", "/requests")
    sweep(stock)
    counts = stock.woo_requests()["counts"]
    assert counts["POST /wp-json/wc/v3/products/{product_id}/variations/batch"] >= 1
    variations = requests.get(f"{api}/products/{shared['id']}/variations", auth=auth,
                              timeout=10).json()
    assert all(v["manage_stock"] == "parent" for v in variations)
    expected = sum(sum_on_hand(stock, v["sku"]) for v in variations)
    assert requests.get(f"{api}/products/{shared['id']}", auth=auth,
                        timeout=10).json()["stock_quantity"] == expected
    first = requests.get(f"{api}/products/{own['id']}/variations", auth=auth, timeout=10).json()
    for variation in first:
        if variation["manage_stock"] is True:
            assert variation["stock_quantity"] == sum_on_hand(stock, variation["sku"])
    # One variation changes: the parent gets the new sum, once.
    sku = variations[0]["sku"]
    stock.tick()
    stock.set_stock_delta(sku, 4, warehouse=3)
    stock.tick()
    assert requests.get(f"{api}/products/{shared['id']}", auth=auth,
                        timeout=10).json()["stock_quantity"] == expected + 4
    assert "parent product" in row_for(sku).attempts[-1].message


def test_unknown_sku_in_the_store_is_a_failed_row_with_the_reason(stock):
    stock.seed(40)
    stock.enable()
    sku = simple_sku(stock)
    product = stock.woo_product(sku)
    requests.delete(f"{stock.woo.url}/wp-json/wc/v3/products/{product['id']}",
                    params={"force": "true"}, auth=("ck_test", "cs_test"), timeout=10)
    sweep(stock)
    with db.connection_context():
        rows = {r.failure_reason for r in SyncLog.select().where(SyncLog.status == "failed")}
    assert f"SKU {sku} is not in the store" in rows
    # A second sweep finding the same failure adds no attempt (no news is not recorded).
    with db.connection_context():
        before = SyncLog.get(SyncLog.failure_reason == f"SKU {sku} is not in the store")
    sweep(stock)
    with db.connection_context():
        after = SyncLog.get_by_id(before.id)
    assert after.attempt_count == before.attempt_count


def test_bundles_count_complete_sets_of_components(stock):
    summary = stock.seed(40, bundles=1)
    (bundle_id,) = summary["bundleIds"]
    requests.post(f"{stock.woo.url}/wp-json/wc/v3/products",
                  json={"name": "Bundle", "sku": "BUNDLE-0001", "type": "simple"},
                  auth=("ck_test", "cs_test"), timeout=10)
    stock.enable()
    sweep(stock)
    with db.connection_context():
        from models.stock import StockItem
        components = StockItem.get_by_id(bundle_id).components
        skus = {pid: StockItem.get_by_id(pid).sku for pid, _ in components}
    expected = min(sum_on_hand(stock, skus[pid]) // qty for pid, qty in components)
    assert stock.woo_product("BUNDLE-0001")["stock_quantity"] == expected
    first, qty = components[0]
    stock.tick()
    stock.set_stock(skus[first], 0, warehouse=2)
    stock.set_stock(skus[first], 0, warehouse=3)
    stock.set_stock(skus[first], 0, warehouse=4)
    stock.tick()
    assert stock.woo_product("BUNDLE-0001")["stock_quantity"] == 0


def test_untracked_products_are_skipped_or_marked_in_stock(stock):
    stock.seed(40)
    stock.enable(untracked="in_stock")
    sweep(stock)
    with db.connection_context():
        from models.stock import StockItem
        untracked = list(StockItem.select().where(StockItem.stock_tracked == False))  # noqa: E712
    assert untracked
    for item in untracked:
        product = stock.woo_product(item.sku)
        assert product["manage_stock"] is False and product["stock_status"] == "instock"


def test_resync_of_a_failed_row_writes_once_the_store_has_the_sku(stock):
    from logpage.resync import resync_row
    stock.seed(40)
    stock.enable()
    sku = simple_sku(stock)
    product = stock.woo_product(sku)
    requests.delete(f"{stock.woo.url}/wp-json/wc/v3/products/{product['id']}",
                    params={"force": "true"}, auth=("ck_test", "cs_test"), timeout=10)
    sweep(stock)
    assert row_for_sku_failed(sku).status == "failed"
    requests.post(f"{stock.woo.url}/wp-json/wc/v3/products", json={"name": "Back", "sku": sku},
                  auth=("ck_test", "cs_test"), timeout=10)
    with db.connection_context():
        resync_row(row_for_sku_failed(sku), stock.redis, "manual", who="test")
    stock.work()
    row = row_for_sku_failed(sku)
    assert row.status == "synced" and row.attempts[-1].trigger == "manual"
    assert stock.woo_product(sku)["stock_quantity"] == sum_on_hand(stock, sku)


def row_for_sku_failed(sku):
    with db.connection_context():
        from models.stock import StockItem
        item = StockItem.get(StockItem.sku == sku)
        return SyncLog.get((SyncLog.log_type == "inventory")
                           & (SyncLog.record_key == f"bp-{item.bp_product_id}"))


def test_a_long_pass_writes_its_outcomes_in_short_transactions(stock, monkeypatch):
    """A 1,000-row pass held SQLite's writer lock (which every webhook needs) for the whole
    pass: its outcomes are now written a chunk at a time."""
    from contextlib import contextmanager

    from jobs.inventory import sync

    settled, sizes = [0], []
    settle_one, transaction = sync._settle_one, sync.write_transaction

    def counted(*args, **kwargs):
        settled[0] += 1
        return settle_one(*args, **kwargs)

    @contextmanager
    def measured():
        before = settled[0]
        with transaction():
            yield
        sizes.append(settled[0] - before)

    monkeypatch.setattr(sync, "_settle_one", counted)
    monkeypatch.setattr(sync, "write_transaction", measured)
    stock.seed(120)
    stock.enable()
    sweep(stock)
    assert sum(sizes) > 100  # one sweep step: a pass of more than two chunks
    assert max(sizes) <= 50
