"""The orders flow end to end: Woo checkout → webhook → receiver → queue → worker → Brightpearl."""
from models.events import Event
from models.links import OrderLink
from models.logs import SyncAttempt, SyncLog
from tests.orders.flows import enable_order_flows, first_skus


def checkout(platforms, email="ada.okafor@example.com", status="processing", **extra):
    skus = first_skus(platforms)
    body = {"email": email, "lines": [{"sku": skus[0], "quantity": 2}, {"sku": skus[1], "quantity": 1}],
            "payment_method": "stripe", "status": status, "tax_rate": "20",
            "shipping": {"method_id": "flat_rate", "total": "4.99"}}
    body.update(extra)
    return platforms.woo_control("checkout", body)


def bp_orders(platforms):
    return platforms.bp("GET", "/order-service/order-search")


def test_paid_order_becomes_one_order_and_one_payment(platforms, work):
    enable_order_flows()
    order = checkout(platforms)
    platforms.settle(work)
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "synced", (row.pending_reason, row.failure_reason, row.failure_detail)
    link = OrderLink.get(OrderLink.woo_order_id == order["id"])
    bp_order = platforms.bp("GET", f"/order-service/order/{link.bp_order_id}")[0]
    assert bp_order["reference"] == str(order["number"])
    assert bp_order["totalValue"]["total"].startswith(order["total"])
    payments = platforms.bp("GET", "/accounting-service/customer-payment-search",
                            params={"orderId": link.bp_order_id})
    assert payments["metaData"]["resultsAvailable"] == 1
    assert row.target_ref == str(link.bp_order_id)
    outcomes = [a.outcome for a in SyncAttempt.select().where(SyncAttempt.log == row)]
    assert outcomes[0] == "synced" and set(outcomes[1:]) <= {"duplicate"}
    assert len(bp_orders(platforms)["results"]) == 1


def contacts_with(platforms, email):
    found = platforms.bp("GET", "/contact-service/contact-search", params={"primaryEmail": email})
    return found["metaData"]["resultsAvailable"]


def test_five_deliveries_and_a_timeout_after_the_post_still_one_of_each(platforms, work):
    from tests.fixtures import php_json, woo_headers
    import requests

    enable_order_flows()
    platforms.settings["HTTP_TIMEOUT_SECONDS"] = "1"
    import os
    os.environ["HTTP_TIMEOUT_SECONDS"] = "1"
    # Brightpearl creates the order but answers too late: the client times out (transient).
    platforms.bp_control("faults", {"route": "sales-order$", "method": "POST",
                                    "timeout_seconds": 2, "count": 1})
    order = checkout(platforms)
    platforms.settle(work)
    body = php_json(platforms.woo("GET", f"/orders/{order['id']}"))
    for _ in range(5):
        requests.post(f"{platforms.app_url}/webhooks/woocommerce", data=body,
                      headers=woo_headers(body, secret=platforms.settings["WOO_WEBHOOK_SECRET"]),
                      timeout=5)
    # The timed-out job is retried by RQ later; a redelivery (or the retry) resumes it.
    platforms.woo_control(f"orders/{order['id']}/status", {"status": "completed"})
    platforms.settle(work)
    del os.environ["HTTP_TIMEOUT_SECONDS"]
    assert len(bp_orders(platforms)["results"]) == 1
    link = OrderLink.get(OrderLink.woo_order_id == order["id"])
    payments = platforms.bp("GET", "/accounting-service/customer-payment-search",
                            params={"orderId": link.bp_order_id})
    assert payments["metaData"]["resultsAvailable"] == 1
    assert contacts_with(platforms, "ada.okafor@example.com") == 1
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "synced"
    messages = [a.message for a in SyncAttempt.select().where(SyncAttempt.log == row)]
    assert any("duplicate suppressed (already Brightpearl order" in m for m in messages)


def test_returning_customer_reuses_the_contact(platforms, work):
    enable_order_flows()
    checkout(platforms, email="returning@example.com")
    platforms.settle(work)
    checkout(platforms, email="Returning@Example.com")
    platforms.settle(work)
    assert contacts_with(platforms, "returning@example.com") == 1
    assert len(bp_orders(platforms)["results"]) == 2


def test_missing_payment_mapping_waits_then_syncs_when_saved(platforms, work, redis_connection):
    from logpage.resync import release_waiting
    from models.flows import save_flow
    from tests.orders.flows import ORDER_SETTINGS

    enable_order_flows(orders=dict(ORDER_SETTINGS, payment_methods={"bacs": "BACS"}))
    order = checkout(platforms)
    platforms.settle(work)
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert (row.status, row.pending_reason) == (
        "pending", "waiting for settings: payment method `stripe` has no Brightpearl mapping")
    assert bp_orders(platforms)["results"] == []  # nothing written before the mapping exists
    save_flow("orders", "staff", settings=ORDER_SETTINGS)
    release_waiting("order", redis_connection, "orders")
    platforms.settle(work)
    assert SyncLog.get_by_id(row.id).status == "synced"
    assert len(bp_orders(platforms)["results"]) == 1


def test_permanent_error_fails_with_a_readable_reason(platforms, work):
    enable_order_flows()
    platforms.bp_control("faults", {"route": "sales-order$", "method": "POST", "status": 400,
                                    "body": {"errors": [{"code": "ORDC-005",
                                                         "message": "Order type code missing"}]}})
    order = checkout(platforms)
    platforms.settle(work)
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "failed"
    assert "Order type code missing" in row.failure_reason
    assert "sandbox-staff-token" not in (row.failure_detail or "")


def test_unimported_status_is_skipped_with_the_reason(platforms, work):
    enable_order_flows()
    order = checkout(platforms, status="pending")
    platforms.settle(work)
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "pending" and row.pending_reason.startswith(
        "not imported: status pending")


def test_throttling_storm_everything_synced_nothing_failed(platforms, work, monkeypatch):
    enable_order_flows()
    # A scaled Brightpearl minute: 20 requests per 2 s; our budget spends 18 of them.
    platforms.bp_control("throttle", {"rate_per_minute": 20, "window_seconds": 2})
    monkeypatch.setenv("BRIGHTPEARL_RATE_PER_MINUTE", "18")
    monkeypatch.setenv("BRIGHTPEARL_BUDGET_WINDOW_SECONDS", "2")
    orders = [checkout(platforms, email=f"storm{i}@example.com") for i in range(8)]
    platforms.settle(work, rounds=12)
    rows = [SyncLog.get(SyncLog.record_key == f"woo-{o['id']}") for o in orders]
    assert [r.status for r in rows] == ["synced"] * 8, [r.pending_reason for r in rows]
    assert len(bp_orders(platforms)["results"]) == 8
    assert not SyncAttempt.select().where(SyncAttempt.outcome == "failed").exists()


def test_missed_webhook_is_repaired_by_the_reconciliation_poll(platforms, work, redis_connection):
    from jobs.orders.reconcile import reconcile_woo_orders

    enable_order_flows()
    for hook in platforms.woo("GET", "/webhooks"):
        platforms.woo("DELETE", f"/webhooks/{hook['id']}", params={"force": "true"})
    order = checkout(platforms)
    platforms.settle(work)
    assert SyncLog.get_or_none(SyncLog.record_key == f"woo-{order['id']}") is None
    assert reconcile_woo_orders(platforms.settings, redis_connection) == 1
    platforms.settle(work)
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "synced"
    assert row.attempts.first().trigger == "poll"
    assert reconcile_woo_orders(platforms.settings, redis_connection) == 0  # nothing new
    assert len(bp_orders(platforms)["results"]) == 1


def test_a_new_orders_created_and_updated_burst_reads_it_from_woo_once(platforms, work,
                                                                       redis_connection):
    from connectors.counter import read_counts

    enable_order_flows()
    order = checkout(platforms)  # a paid checkout sends order.created, then order.updated
    platforms.woo_control("webhooks/flush")
    topics = sorted(e.topic for e in Event.select().where(Event.resource_id == str(order["id"])))
    assert topics == ["order.created", "order.updated"]
    platforms.settle(work)
    reads = read_counts(redis_connection).get("woocommerce", {}).get("GET /orders/{id}", {})
    assert sum(reads.values()) == 1  # one handler call for both events, not one per topic
    row = SyncLog.get(SyncLog.record_key == f"woo-{order['id']}")
    assert row.status == "synced" and row.attempt_count == 1
