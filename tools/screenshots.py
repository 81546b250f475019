"""Current screenshots of the Sync Logs, Flows, Health and Reconciliation pages for the README
(docs/screenshots/).

    python -m tools.screenshots [--out docs/screenshots]

Builds the app on a temporary SQLite file with demo rows, serves it over HTTP in a thread and
drives Debian's Chromium (/usr/bin/chromium) with Playwright. A development tool: Playwright
is in requirements-dev.txt only, and nothing in the app imports this module.
"""
import argparse
import os
import tempfile
import threading
from datetime import timedelta
from decimal import Decimal

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_USER, DEMO_PASSWORD = "demo", "demo-password"
DEMO_SETTINGS = {
    "SECRET_KEY": "screenshots-signing-key-7d41c9e2a8f5b3", "WOO_URL": "https://shop.example",
    "WOO_CONSUMER_KEY": "ck_demo",
    "WOO_CONSUMER_SECRET": "cs_demo", "WOO_WEBHOOK_SECRET": "demo-secret",
    "BRIGHTPEARL_URL": "https://ws-eu1.brightpearl.com/public-api/demo",
    "BRIGHTPEARL_ACCOUNT": "demo", "BRIGHTPEARL_APP_REF": "demo_pearlbridge",
    "BRIGHTPEARL_STAFF_TOKEN": "demo-token", "BRIGHTPEARL_WEBHOOK_SECRET": "demo-bp-secret-01",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://localhost:6379/14"), "LOG_LEVEL": "WARNING",
}


def seed_demo_rows(now):
    """A believable shop day: orders, stock, products, refunds, shipments in every status."""
    from models.logs import SyncAttempt, SyncLog

    names = ["Merino Crew Sock", "Linen Shirt", "Canvas Tote", "Leather Belt", "Wool Beanie"]
    rows = []
    for n in range(40):
        at = now - timedelta(minutes=37 * n)
        status = "failed" if n % 9 == 4 else "pending" if n % 7 == 2 else "synced"
        order = 10480 - n
        rows.append(dict(
            log_type="order", record_key=f"woo-{order}", status=status, updated_at=at,
            created_at=at - timedelta(minutes=3), info=f"Woo order #{order}"
            + (f" (Brightpearl order {200311 - n})" if status == "synced" else ""),
            amount=Decimal(f"{19 + (n * 7.35) % 180:.2f}"), currency="GBP",
            target_ref=str(200311 - n) if status == "synced" else None,
            pending_reason=("waiting for settings: Woo payment method klarna has no Brightpearl "
                            "payment method mapping" if n % 14 == 2 else "queued"),
            failure_reason="Brightpearl does not know SKU LB-042-BRN (order row 2)"
            if status == "failed" else None,
            failure_detail='HTTP 400 {"errors":[{"code":"PRDC-001","message":"SKU not found"}]}'
            if status == "failed" else None, attempt_count=1 + n % 3))
        sku = f"SKU-{1000 + n}"
        rows.append(dict(log_type="inventory", record_key=f"bp-{1000 + n}", status="synced",
                         updated_at=at, created_at=at, quantity=(n * 13) % 90,
                         info=f"{names[n % 5]} ({sku})"))
    for row in rows:
        SyncLog.create(**row)
    failed = SyncLog.get(SyncLog.status == "failed")
    SyncAttempt.create(log=failed, trigger="webhook", outcome="failed",
                       message=failed.failure_reason, at=failed.updated_at)


def seed_demo_reconciliation(now):
    """A morning's reconciliation: a run with a few discrepancies of several kinds, a backfill."""
    import json

    from models.backfill import Backfill
    from models.reconcile import Discrepancy, ReconcileRun

    old = ReconcileRun.create(since=now - timedelta(days=8), until=now - timedelta(days=1),
                              trigger="schedule", status="done", started_at=now - timedelta(days=1),
                              finished_at=now - timedelta(days=1) + timedelta(seconds=41),
                              found_json=json.dumps({"order_total": 1}), bp_calls=61)
    run = ReconcileRun.create(
        since=now - timedelta(days=7), until=now, trigger="schedule", status="done",
        started_at=now - timedelta(minutes=12), finished_at=now - timedelta(minutes=11),
        checked_json=json.dumps({"Woo orders": 1843, "Brightpearl orders": 1861,
                                 "shipped orders": 1502, "SKUs in both": 412,
                                 "products in scope": 430}),
        found_json=json.dumps({"order_missing": 1, "order_total": 2, "refund_missing": 1,
                               "shipment_tracking": 1, "stock": 2}), bp_calls=63, woo_calls=41)
    items = [
        ("order_missing", "order", "woo-10452", "Woo order #10452 is not in Brightpearl",
         "order #10452, processing, 64.90 GBP", "no sales order with this externalRef"),
        ("order_total", "order", "woo-10398", "Woo order #10398: totals differ by 0.01",
         "total 112.45", "total 112.44 (sales order #200244)"),
        ("order_total", "order", "woo-10311", "Woo order #10311: totals differ by 4.99",
         "total 39.98", "total 34.99 (sales order #200161)"),
        ("refund_missing", "refund", "woo-10477", "Refund #10477 of Woo order #10290 has no "
         "sales credit", "refund 9.13", "no sales credit with this externalRef"),
        ("shipment_tracking", "shipment", "gon-7311", "Goods-out note 7311 shipped with "
         "tracking TT112124648GB; Woo order #10402 does not show it", "no such tracking number",
         "goods-out note 7311 shipped, tracking TT112124648GB"),
        ("stock", "inventory", "bp-1004", "Leather Belt (SKU-1004): Woo shows 12 stock, "
         "Brightpearl says 9", "stock 12", "9 to sell (on hand 11 − buffer 2 = 9 sent)"),
        ("stock", "inventory", "bp-1019", "Wool Beanie (SKU-1019): Woo shows 0 stock, "
         "Brightpearl says 25", "stock 0", "25 to sell (on hand 25 sent)"),
    ]
    for kind, log_type, key, title, woo, bp in items:
        Discrepancy.create(kind=kind, log_type=log_type, record_key=key, title=title,
                           woo_says=woo, bp_says=bp, first_run=run.id, last_run=run.id,
                           first_seen_at=run.started_at)
    Discrepancy.create(kind="order_total", log_type="order", record_key="woo-10102",
                       title="Woo order #10102: totals differ by 0.02", status="resolved",
                       first_run=old.id, last_run=old.id, resolved_at=run.finished_at)
    Backfill.create(kind="orders", since=now - timedelta(days=400), until=now, total=5000,
                    done=2417, created=2388, skipped=29, bp_calls=7897, busy_seconds=2930,
                    requested_by=DEMO_USER, started_at=now - timedelta(minutes=49))


def seed_health(redis_connection):
    """What the Health page shows on a shop's bad morning: alerts, a disabled webhook, calls."""
    import time

    from connectors.counter import CallCounter
    from models.alerts import transition
    from models.probes import store_probe
    from monitoring.heartbeat import beat

    transition("waiting:order", True, {
        "title": "Order: 3 record(s) waiting for settings",
        "detail": "Held since 2026-03-02 08:14 UTC until a flow setting is saved (alert after "
                  "60 minutes); the Sync Logs name the missing setting.", "link": "/flows"}, [])
    transition("webhooks:woocommerce", True, {
        "title": "WooCommerce: 1 webhook(s) missing or not active",
        "detail": "order.updated disabled — re-register them on the Health page.",
        "link": "/health"}, [])
    hooks = [{"topic": t, "state": "disabled" if t == "order.updated" else "ok", "id": i,
              "platform": "woocommerce", "url": "https://sync.shop.example/webhooks/woocommerce"}
             for i, t in enumerate(("order.created", "order.updated", "product.created",
                                    "product.updated", "product.deleted"), 41)]
    events = [{"topic": t, "state": "ok", "id": i, "platform": "brightpearl", "url": "***"}
              for i, t in enumerate(("product.modified.on-hand-modified", "product.modified",
                                     "order.modified.order-status",
                                     "goods-out-note.modified.shipped"), 7)]
    store_probe("platforms", {"woocommerce": {"auth": "ok", "error": None, "lines": hooks},
                              "brightpearl": {"auth": "ok", "error": None, "lines": events}})
    store_probe("retention", {"done": {"events deleted": 18240, "payloads emptied": 5310,
                                       "attempts deleted": 22950, "attempts over the cap": 0},
                              "bytes": 412 * 2**20, "bytes_free": 0, "bytes_before": 655 * 2**20,
                              "pages_freed": 62208, "tables": {
                                  "events": {"rows": 301_442, "bytes": 298 * 2**20,
                                             "oldest": "2026-02-01 03:12:44"},
                                  "attempts": {"rows": 902_118, "bytes": 97 * 2**20,
                                               "oldest": "2025-12-03 03:12:40"},
                                  "log rows": {"rows": 512_906, "bytes": 15 * 2**20,
                                               "oldest": "2025-06-11 09:30:02"}}})
    beat(redis_connection, "shop-1:2817", now=time.time() - 2)
    counter = CallCounter(redis_connection)
    counter.reset()
    for route, outcome, count in (("GET /order-service/order/{ids}", "ok", 212),
                                  ("POST /order-service/sales-order", "ok", 64),
                                  ("GET /warehouse-service/goods-movement-search", "ok", 120),
                                  ("GET /product-service/product-search", "throttled", 2)):
        for _ in range(count):
            counter.record("brightpearl", route, outcome)
    for _ in range(38):
        counter.record("woocommerce", "POST /products/batch", "ok")


def build_app(folder):
    """The app on a fresh SQLite file in folder, migrated, with a demo user and demo rows."""
    from models.base import utcnow
    from models.db import db
    from models.flows import save_flow
    from models.migrations import run_migrations
    from models.users import User
    from wsgi import create_app

    app = create_app(dict(DEMO_SETTINGS, DATABASE_URL=f"sqlite:///{folder}/demo.db"))
    with db.connection_context():
        run_migrations()
        user = User(username=DEMO_USER)
        user.set_password(DEMO_PASSWORD)
        user.save()
        seed_demo_rows(utcnow())
        seed_demo_reconciliation(utcnow())
        save_flow("inventory", DEMO_USER, enabled=True,
                  settings={"warehouse_ids": [2], "buffer_all": 2})
        save_flow("orders", DEMO_USER, enabled=True)
        seed_health(app.extensions["pearlbridge_queue"][0])
    return app


def launch(playwright):
    """Debian's Chromium under Playwright (never Playwright's own browser download)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def sign_in(page, base_url, username=DEMO_USER, password=DEMO_PASSWORD):
    """Fill and submit the sign-in form."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def signed_in_tab(browser, base_url, username=DEMO_USER, password=DEMO_PASSWORD):
    """A new signed-in tab; every dialog (alert) it opens is recorded in tab.dialogs and
    dismissed, so a test can say none was."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.dialogs = []

    def on_dialog(dialog):
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    sign_in(tab, base_url, username, password)
    return tab


def capture(out):
    """Write sync-logs.png, flows.png, health.png and reconciliation.png into out."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        # Served here with werkzeug directly: app packages never import the sandbox.
        httpd = make_server("127.0.0.1", 0, build_app(folder), threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{httpd.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                sign_in(page, base_url)
                page.goto(f"{base_url}/logs?type=order")
                page.screenshot(path=os.path.join(out, "sync-logs.png"), full_page=False)
                page.goto(f"{base_url}/flows")
                page.screenshot(path=os.path.join(out, "flows.png"), full_page=True)
                page.goto(f"{base_url}/reconcile")
                page.screenshot(path=os.path.join(out, "reconciliation.png"), full_page=True)
                page.goto(f"{base_url}/health")
                page.screenshot(path=os.path.join(out, "health.png"), full_page=True)
                browser.close()
        finally:
            httpd.shutdown()
            thread.join(timeout=5)
            httpd.server_close()
    return [os.path.join(out, name) for name in ("sync-logs.png", "flows.png", "health.png",
                                                 "reconciliation.png")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("docs", "screenshots"))
    for path in capture(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
