"""The shipments flow end to end: emulators over HTTP, the real receiver, jobs through RQ."""
import time

from jobs.shipments.handlers import schedule_reconcile
from models.links import OrderLink
from models.logs import SyncLog
from models.shipments import ShipmentTracking
from sandbox.server import serve_in_thread
from tests.shipments.conftest import LINES

SECRET = "bp-hook-secret-0123456789"
TRACKING = "RM123456789GB"


def ship(platforms, bp_order_id, **body):
    """Ship (part of) a Brightpearl order: a shipped goods-out note and its webhooks."""
    return platforms.bp.control("POST", f"orders/{bp_order_id}/ship",
                                {"shippingMethodId": 49, "reference": TRACKING, **body})


def callback(client, event, note_id, raised_on="2025-11-04T16:41:38.000Z"):
    """Deliver one Brightpearl callback to the receiver, as Brightpearl would."""
    resource, lifecycle = event.split(".")[:2]
    answer = client.post(f"/webhooks/brightpearl/{SECRET}", json={
        "accountCode": "testacct", "resourceType": resource, "id": str(note_id),
        "lifecycleEvent": lifecycle, "fullEvent": event, "raisedOn": raised_on,
        "brightpearlVersion": "4.95.2647"})
    assert answer.status_code == 200, answer.data


def shipment_row(key):
    return SyncLog.get(SyncLog.log_type == "shipment", SyncLog.record_key == key)


def trackings(platforms, order_id):
    """The order's tracking items (extension) as the store lists them."""
    answer = platforms.woo.session.get(
        f"{platforms.woo.url}/wp-json/wc-shipment-tracking/v3/orders/{order_id}/shipment-trackings")
    return answer.json()


def tracking_posts(platforms):
    counts = platforms.woo.control("GET", "requests")["counts"]
    return sum(n for key, n in counts.items() if key.startswith("POST") and "shipment-trackings" in key)


def test_a_full_shipment_writes_tracking_and_completes_the_order(app, platforms, store_order,
                                                                  work):
    """Brightpearl's own webhook, delivered over HTTP to the real receiver, does it all."""
    receiver = serve_in_thread(app)
    try:
        platforms.bp.api("POST", "integration-service/webhook", {
            "subscribeTo": "goods-out-note.modified.shipped", "httpMethod": "POST",
            "uriTemplate": f"{receiver.url}/webhooks/brightpearl/{SECRET}",
            "bodyTemplate": '{"accountCode":"${account-code}","resourceType":"${resource-type}",'
                            '"id":"${resource-id}","lifecycleEvent":"${lifecycle-event}",'
                            '"fullEvent":"${full-event}","raisedOn":"${raised-on}",'
                            '"brightpearlVersion":"${brightpearl-version}"}',
            "contentType": "application/json", "idSetAccepted": True, "qualityOfService": 1})
        order, bp_order_id, _ = store_order()
        note_id = ship(platforms, bp_order_id)["goodsOutNoteId"]
        _wait_for_delivery(platforms)
    finally:
        receiver.stop()
    work()

    [item] = trackings(platforms, order["id"])
    assert item["tracking_number"] == TRACKING and item["tracking_provider"] == "Royal Mail"
    assert platforms.woo.wc("GET", f"orders/{order['id']}")["status"] == "completed"
    row = shipment_row(f"gon-{note_id}")
    assert row.status == "synced" and row.tracking == TRACKING
    assert row.info == f"Goods-out note {note_id} for Woo order #{order['number']}"
    assert "all 3 lines shipped" in row.attempts[-1].message
    assert row.attempts[-1].trigger == "webhook"


def _wait_for_delivery(platforms, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = platforms.bp.control("GET", "deliveries")["deliveries"]
        if done and all(d["status"] == 200 for d in done):
            return done
        time.sleep(0.05)
    raise AssertionError(f"no delivery: {platforms.bp.control('GET', 'deliveries')}")


def test_a_partial_shipment_writes_tracking_but_leaves_the_order_open(platforms, store_order,
                                                                      client, work):
    order, bp_order_id, rows = store_order()
    note_id = ship(platforms, bp_order_id, rows=[rows["CLASSIC-CAP-00001"],
                                                 rows["VINTAGE-TOTE-00002"]])["goodsOutNoteId"]
    callback(client, "goods-out-note.modified.shipped", note_id)
    work()

    assert [t["tracking_number"] for t in trackings(platforms, order["id"])] == [TRACKING]
    assert platforms.woo.wc("GET", f"orders/{order['id']}")["status"] == "processing"
    row = shipment_row(f"gon-{note_id}")
    assert row.status == "synced" and "partial: 2 of 3 lines" in row.attempts[-1].message

    # The rest ships later, with its own tracking: now the order is complete.
    second = ship(platforms, bp_order_id, reference="RM000000002GB")["goodsOutNoteId"]
    callback(client, "goods-out-note.modified.shipped", second)
    work()
    assert sorted(t["tracking_number"] for t in trackings(platforms, order["id"])) == [
        "RM000000002GB", TRACKING]
    assert platforms.woo.wc("GET", f"orders/{order['id']}")["status"] == "completed"
    assert "all 3 lines shipped" in shipment_row(f"gon-{second}").attempts[-1].message


def test_a_drop_ship_note_writes_its_tracking(platforms, store_order, client, work):
    order, bp_order_id, _ = store_order()
    note_id = ship(platforms, bp_order_id, dropShip=True, reference="DS-4711")["dropShipNoteId"]
    callback(client, "drop-ship-note.modified.shipped", note_id)
    work()

    [item] = trackings(platforms, order["id"])
    assert item["tracking_number"] == "DS-4711"
    row = shipment_row(f"dsn-{note_id}")
    assert row.status == "synced" and row.tracking == "DS-4711"
    assert row.info == f"Drop-ship note {note_id} for Woo order #{order['number']}"
    assert platforms.woo.wc("GET", f"orders/{order['id']}")["status"] == "completed"


def test_without_the_extension_tracking_goes_to_an_order_note_and_meta(platforms, store_order,
                                                                       shipments_flow, client,
                                                                       work):
    platforms.woo.control("POST", "tracking-extension", {"enabled": False})
    shipments_flow(customer_visible_note=False, tracking_providers={})
    order, bp_order_id, _ = store_order()
    note_id = ship(platforms, bp_order_id)["goodsOutNoteId"]
    callback(client, "goods-out-note.modified.shipped", note_id)
    work()

    notes = platforms.woo.wc("GET", f"orders/{order['id']}/notes")
    [note] = [n for n in notes if TRACKING in n["note"]]
    assert "Royal Mail Tracked 48" in note["note"]  # the Brightpearl method's own name
    assert note["customer_note"] is False
    meta = {m["key"]: m["value"] for m in platforms.woo.wc("GET", f"orders/{order['id']}")["meta_data"]}
    assert meta["_tracking_number"] == TRACKING
    assert ShipmentTracking.get(ShipmentTracking.note_key == f"gon-{note_id}").method == "note"


def test_the_same_note_delivered_three_times_is_written_once(platforms, store_order, client,
                                                              work):
    order, bp_order_id, _ = store_order()
    note_id = ship(platforms, bp_order_id)["goodsOutNoteId"]
    for second in range(3):
        callback(client, "goods-out-note.modified.shipped", note_id,
                 raised_on=f"2025-11-04T16:41:3{second}.000Z")
        work()

    assert tracking_posts(platforms) == 1
    assert len(trackings(platforms, order["id"])) == 1
    row = shipment_row(f"gon-{note_id}")
    assert row.attempt_count == 3 and row.status == "synced"
    assert "unchanged; nothing written" in row.attempts[-1].message


def test_a_note_of_an_order_not_from_the_store_is_skipped(platforms, store_order, client, work):
    _, bp_order_id, _ = store_order()
    OrderLink.delete().execute()
    note_id = ship(platforms, bp_order_id)["goodsOutNoteId"]
    callback(client, "goods-out-note.modified.shipped", note_id)
    work()
    row = shipment_row(f"gon-{note_id}")
    assert row.status == "pending" and row.pending_reason.startswith("not a store order")
    assert tracking_posts(platforms) == 0


def test_a_missed_webhook_is_repaired_by_the_reconciliation_poll(platforms, store_order,
                                                                  settings, redis_connection,
                                                                  work):
    order, bp_order_id, _ = store_order()
    note_id = ship(platforms, bp_order_id)["goodsOutNoteId"]  # no callback reaches us

    schedule_reconcile(settings, redis_connection)
    work()

    assert [t["tracking_number"] for t in trackings(platforms, order["id"])] == [TRACKING]
    assert platforms.woo.wc("GET", f"orders/{order['id']}")["status"] == "completed"
    row = shipment_row(f"gon-{note_id}")
    assert row.status == "synced" and row.attempts[-1].trigger == "poll"

    # The next reconciliation finds nothing left to write.
    schedule_reconcile(settings, redis_connection)
    work()
    assert tracking_posts(platforms) == 1 and row.attempts.count() == 1


def test_lines_map_through_the_sales_order_rows(platforms, store_order):
    """Sanity for the fixture: every Woo line has a Brightpearl row carrying its id."""
    order, bp_order_id, rows = store_order()
    sales_order = platforms.bp.api("GET", f"order-service/sales-order/{bp_order_id}")[0]
    assert sorted(int(r["externalRef"]) for r in sales_order["rows"]) == sorted(
        line["id"] for line in order["line_items"])
    assert set(rows) == {sku for sku, _, _ in LINES}


def test_the_poll_finds_a_drop_ship_on_an_order_never_edited(platforms, store_order, settings,
                                                             redis_connection, work):
    # Issue 12, item 4: a fresh order's updatedOn is null (and shipping need not change it), so
    # the poll looks for orders created since its cursor too, not only updated ones.
    order, bp_order_id, _ = store_order()
    note_id = ship(platforms, bp_order_id, dropShip=True)["dropShipNoteId"]
    searched = platforms.bp.api("GET", f"order-service/order-search?orderId={bp_order_id}")
    assert searched["results"][0][9] is None  # updatedOn: never edited

    schedule_reconcile(settings, redis_connection)
    work()

    assert [t["tracking_number"] for t in trackings(platforms, order["id"])] == [TRACKING]
    assert shipment_row(f"dsn-{note_id}").status == "synced"


def test_the_poll_finds_a_note_shipped_long_after_it_was_created(platforms, store_order,
                                                                 settings, redis_connection,
                                                                 work):
    from datetime import datetime, timedelta, timezone

    from jobs.shipments.poll import CURSOR
    from models.links import write_cursor

    order, bp_order_id, rows = store_order()
    row_id = rows["CLASSIC-CAP-00001"]
    [note_id] = platforms.bp.api("POST", f"warehouse-service/order/{bp_order_id}/goods-note/"
                                 "goods-out", {"warehouses": [{"warehouseId": 2, "products": [
                                     {"productId": 1007, "salesOrderRowId": row_id,
                                      "quantity": 2}]}], "shippingMethodId": 49})
    platforms.bp.api("PUT", f"warehouse-service/goods-note/goods-out/{note_id}",
                     {"shipping": {"reference": TRACKING}})
    # An hour on, with the poll's cursor past the order's creation, the note ships.
    write_cursor(CURSOR, (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat())
    platforms.bp.api("POST", f"warehouse-service/goods-note/goods-out/{note_id}/event",
                     {"events": [{"eventCode": "SHW", "eventOwnerId": 4}]})

    schedule_reconcile(settings, redis_connection)
    work()

    assert [t["tracking_number"] for t in trackings(platforms, order["id"])] == [TRACKING]
    assert shipment_row(f"gon-{note_id}").attempts[-1].trigger == "poll"
