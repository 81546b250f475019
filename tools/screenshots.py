"""Current screenshots of the Sync Logs and Flows pages for the README (docs/screenshots/).

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
        save_flow("inventory", DEMO_USER, enabled=True,
                  settings={"warehouse_ids": [2], "buffer_all": 2})
        save_flow("orders", DEMO_USER, enabled=True)
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


def capture(out):
    """Write sync-logs.png and flows.png into out."""
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
                browser.close()
        finally:
            httpd.shutdown()
            thread.join(timeout=5)
            httpd.server_close()
    return [os.path.join(out, name) for name in ("sync-logs.png", "flows.png")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("docs", "screenshots"))
    for path in capture(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
