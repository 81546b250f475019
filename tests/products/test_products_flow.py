"""The products flow end to end: both emulators over HTTP, jobs through a real RQ worker."""
from jobs.products import handlers as products
from jobs.products import poll as product_poll
from jobs.products.handlers import enqueue_resync, schedule_price_poll, schedule_product_poll
from models.links import ProductLink, read_cursor
from models.logs import SyncLog

SECRET = "bp-hook-secret-0123456789"


def seed_brightpearl(platforms, count=8):
    """8 products: one group of 6 variants (Colour × Size), then two simple products."""
    return platforms.bp.control("POST", "seed", {"products": count, "customers": 1})


def product_rows():
    return {r.record_key: r for r in SyncLog.select().where(SyncLog.log_type == "product")}


def callback(client, event, ids):
    """Deliver a Brightpearl callback to the real receiver."""
    body = {"accountCode": "testacct", "resourceType": event.split(".")[0], "id": ids,
            "lifecycleEvent": event.split(".")[1], "fullEvent": event,
            "raisedOn": "2025-11-04T16:41:38.000Z", "brightpearlVersion": "4.95.2647"}
    answer = client.post(f"/webhooks/brightpearl/{SECRET}", json=body)
    assert answer.status_code == 200, answer.data


def test_a_full_resync_creates_simple_and_variable_products(platforms, products_flow,
                                                             redis_connection, work):
    seed_brightpearl(platforms)
    enqueue_resync(redis_connection)
    work()

    store = {p["name"]: p for p in platforms.woo.products()}
    assert sorted(store) == ["Classic Cap", "Vintage Notebook", "Vintage Tote"]
    variable = store["Vintage Notebook"]
    assert variable["type"] == "variable" and variable["status"] == "draft"
    assert [a["name"] for a in variable["attributes"]] == ["Colour", "Size"]
    variations = platforms.woo.wc("GET", f"products/{variable['id']}/variations", per_page=100)
    assert sorted(v["sku"] for v in variations) == sorted(
        f"VINTAGE-NOTEBOOK-00000-{c}{s}" for c in "RBG" for s in "SM")
    assert all(v["regular_price"] for v in variations)
    cap = store["Classic Cap"]
    assert cap["type"] == "simple" and cap["sku"] == "CLASSIC-CAP-00001"
    assert cap["description"].startswith("<p>The <strong>Classic Cap</strong>")

    rows = product_rows()
    assert sorted(rows) == [f"bp-{i}" for i in range(1001, 1009)]
    assert {r.status for r in rows.values()} == {"synced"}
    assert rows["bp-1007"].info == f"Brightpearl product 1007 (SKU CLASSIC-CAP-00001, Woo #{cap['id']})"
    assert rows["bp-1007"].target_ref == str(cap["id"])
    link = ProductLink.get(ProductLink.bp_product_id == 1002)
    assert link.woo_parent_id == variable["id"] and link.woo_type == "variation"

    # A second resync of unchanged products writes nothing to the store.
    writes = platforms.woo.writes()
    products.sync_products(range(1001, 1009), "manual")
    assert platforms.woo.writes() == writes
    assert product_rows()["bp-1001"].attempts.count() == 2


def test_an_existing_woo_sku_is_linked_not_duplicated(platforms, products_flow):
    seed_brightpearl(platforms)
    products_flow(owned_fields=["price"])
    existing = platforms.woo.wc("POST", "products", {
        "name": "Our own cap copy", "sku": "CLASSIC-CAP-00001", "regular_price": "1.00",
        "description": "<p>Written by the shop.</p>", "status": "publish"})

    products.sync_products([1007], "manual")

    [cap] = [p for p in platforms.woo.products() if p["sku"] == "CLASSIC-CAP-00001"]
    assert cap["id"] == existing["id"]
    assert cap["name"] == "Our own cap copy"  # the store owns the name
    assert cap["description"] == "<p>Written by the shop.</p>"
    assert cap["status"] == "publish"
    assert cap["regular_price"] != "1.00"  # Brightpearl owns the price
    assert ProductLink.get(ProductLink.sku == "CLASSIC-CAP-00001").woo_product_id == existing["id"]
    assert len(platforms.woo.products()) == 1


def test_a_webhook_for_a_changed_product_updates_the_store(platforms, products_flow, client,
                                                           work):
    seed_brightpearl(platforms)
    callback(client, "product.created", "1007")
    work()
    platforms.bp.api("PUT", "product-service/product/1007", {
        "salesChannels": [{"salesChannelName": "Brightpearl", "productName": "Classic Cap — Édition",
                           "description": {"text": "<p>New &amp; improved</p>"}}]})
    callback(client, "product.modified", "1007")
    work()

    [cap] = platforms.woo.products()
    assert cap["name"] == "Classic Cap — Édition"
    assert cap["description"] == "<p>New &amp; improved</p>"
    row = product_rows()["bp-1007"]
    assert row.status == "synced"
    assert [a.trigger for a in row.attempts] == ["webhook", "webhook"]


def test_a_price_change_is_picked_up_by_the_price_poll(platforms, products_flow, settings,
                                                       redis_connection, work):
    seed_brightpearl(platforms)
    products.sync_products(range(1001, 1009), "manual")
    platforms.bp.api("PUT", "product-service/product-price/1008/price-list",
                     {"priceLists": [{"priceListId": 1, "quantityPrice": {"1": "99.95"}}]})
    writes = platforms.woo.writes()

    schedule_price_poll(settings, redis_connection)
    work()

    tote = next(p for p in platforms.woo.products() if p["sku"] == "VINTAGE-TOTE-00002")
    assert tote["regular_price"] == "99.95"
    assert platforms.woo.writes() == writes + 1  # one batch, for the one changed product
    assert product_poll.poll_prices().startswith("price poll: 0 of 8")


def test_the_product_poll_syncs_changes_since_its_cursor(platforms, products_flow, settings,
                                                         redis_connection, work):
    seed_brightpearl(platforms)
    schedule_product_poll(settings, redis_connection)
    work()
    assert len(platforms.woo.products()) == 3
    first = read_cursor(product_poll.CURSOR)
    assert first is not None

    platforms.bp.api("PUT", "product-service/product/1008", {"stock": {"weight": {"magnitude": "2.5"}}})
    schedule_product_poll(settings, redis_connection)
    work()

    tote = next(p for p in platforms.woo.products() if p["sku"] == "VINTAGE-TOTE-00002")
    assert tote["weight"] == "2.5"
    assert read_cursor(product_poll.CURSOR) >= first
    assert product_rows()["bp-1008"].attempts.count() == 2

    # Issue 12, item 4: updatedOn is null until a product's first edit (the seeded ones above
    # were never edited either), so the poll also looks for products created since its cursor.
    new_id = platforms.bp.api("POST", "product-service/product", {
        "brandId": 1, "identity": {"sku": "NEW-MUG-1"},
        "salesChannels": [{"salesChannelName": "Brightpearl", "productName": "New Mug"}]})
    schedule_product_poll(settings, redis_connection)
    work()
    assert "NEW-MUG-1" in {p["sku"] for p in platforms.woo.products()}
    assert product_rows()[f"bp-{new_id}"].status == "synced"


def test_missing_settings_hold_products_as_pending(platforms, products_flow):
    seed_brightpearl(platforms)
    products_flow(price_list_id=None)
    products.sync_products([1007], "manual")
    row = product_rows()["bp-1007"]
    assert row.status == "pending" and row.waiting_for_settings
    assert "price_list_id" in row.pending_reason
    assert platforms.woo.products() == []


def test_flask_products_resync_queues_and_runs_a_full_resync(app, platforms, products_flow,
                                                              work):
    from cli.products import products as products_cli

    seed_brightpearl(platforms)
    app.cli.add_command(products_cli)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["products", "resync"])
    assert result.exit_code == 0 and "queued" in result.output
    assert "already waiting" in runner.invoke(args=["products", "resync"]).output
    work()
    assert len(platforms.woo.products()) == 3

    result = runner.invoke(args=["products", "resync", "--now", "--changed-only"])
    assert result.exit_code == 0, result.output
    assert "8 product(s) synced: 8 synced" in result.output


def test_a_bundle_is_created_as_a_simple_product(platforms, products_flow):
    summary = platforms.bp.control("POST", "seed", {"products": 8, "customers": 1, "bundles": 1})
    [bundle_id] = summary["bundleIds"]
    products_flow(new_product_status="publish")
    products.sync_products([bundle_id], "manual")
    [bundle] = platforms.woo.products()
    assert bundle["sku"] == "BUNDLE-0001" and bundle["type"] == "simple"
    assert bundle["status"] == "publish" and bundle["regular_price"]
    assert product_rows()[f"bp-{bundle_id}"].status == "synced"


def test_a_store_that_already_has_the_catalog_is_adopted_not_duplicated(platforms,
                                                                        products_flow):
    seed_brightpearl(platforms)
    platforms.woo.control("POST", "seed", {"products": 8, "customers": 1})
    before = {p["sku"]: p["id"] for p in platforms.woo.products()}

    products.sync_products(range(1001, 1009), "manual")

    after = {p["sku"]: p["id"] for p in platforms.woo.products()}
    assert after == before  # the variable product and both simple ones, same ids
    parent = before["VINTAGE-NOTEBOOK-00000"]
    variations = platforms.woo.wc("GET", f"products/{parent}/variations", per_page=100)
    assert len(variations) == 6
    links = {l.bp_product_id: l for l in ProductLink.select()}
    assert {links[i].woo_parent_id for i in range(1001, 1007)} == {parent}
    assert {r.status for r in product_rows().values()} == {"synced"}


def test_variants_of_two_groups_sync_in_one_batch(platforms, products_flow):
    # Issue 12, item 1: productGroupId is an INTEGER search column; a comma list of two groups
    # is a 500 CMNC-018 from Brightpearl (and the strict emulator), failing the whole batch.
    seed_brightpearl(platforms, count=20)  # groups 1001-1006 and 1011-1016
    statuses = products.sync_products([1002, 1012], "manual")
    assert statuses[1002] == statuses[1012] == "synced"
    store = {p["name"]: p for p in platforms.woo.products()}
    assert store["Vintage Notebook"]["type"] == store["Organic Cap"]["type"] == "variable"
    for parent in (store["Vintage Notebook"], store["Organic Cap"]):
        assert len(platforms.woo.wc("GET", f"products/{parent['id']}/variations")) == 6


def test_a_product_in_a_group_without_variations_is_a_simple_product(platforms, products_flow):
    # Issue 12, item 3: real products can sit in a product group with no option values; as a
    # Woo variable product without attributes they could not be sold.
    seed_brightpearl(platforms, count=12)
    lonely = platforms.bp.api("GET", "product-service/product/1010")[0]
    assert lonely["productGroupId"] == 1010 and "variations" not in lonely
    assert products.sync_products([1010], "manual")[1010] == "synced"
    [created] = platforms.woo.products()
    assert created["type"] == "simple" and created["sku"] == "RUSTIC-NOTEBOOK-00004"


def test_a_store_selling_a_groups_lonely_product_as_simple_keeps_it(platforms, products_flow):
    seed_brightpearl(platforms, count=12)
    platforms.woo.control("POST", "seed", {"products": 12, "customers": 1})
    before = next(p for p in platforms.woo.products() if p["sku"] == "RUSTIC-NOTEBOOK-00004")
    assert products.sync_products([1010], "manual")[1010] == "synced"
    after = next(p for p in platforms.woo.products() if p["sku"] == "RUSTIC-NOTEBOOK-00004")
    assert after["id"] == before["id"] and after["type"] == "simple"


def test_no_weight_or_dimensions_are_written_when_brightpearl_has_none(platforms,
                                                                      products_flow):
    # Issue 12, item 7: Brightpearl answers 0.0 for an unset weight and unset dimensions;
    # writing "0" would overwrite what the store has.
    seed_brightpearl(platforms)
    cap, tote = platforms.bp.api("GET", "product-service/product/1007-1008")
    assert cap["stock"]["weight"]["magnitude"] == 0
    assert cap["stock"]["dimensions"] == {"length": 0, "height": 0, "width": 0, "volume": 0}
    products.sync_products([1007, 1008], "manual")
    store = {p["sku"]: p for p in platforms.woo.products()}
    assert store["CLASSIC-CAP-00001"]["weight"] == ""
    assert store["CLASSIC-CAP-00001"]["dimensions"] == {"length": "", "width": "", "height": ""}
    assert store["VINTAGE-TOTE-00002"]["weight"] == "0.434"
    assert store["VINTAGE-TOTE-00002"]["dimensions"] == {"length": "40", "width": "33",
                                                          "height": "20"}
