"""Backfills over real HTTP: history brought across, interrupted and resumed from the cursor,
never duplicating, on the bulk share; from the terminal and from the Flows page."""
from datetime import timedelta

import pytest

from jobs.backfill.run import run_backfill
from jobs.core import clients
from models.backfill import DONE, PAUSED, Backfill, find_or_start
from models.base import utcnow
from models.db import connection
from models.flows import save_flow
from tests.staff import PASSWORD, post, sign_in
from tests.reconcile.conftest import SETTINGS


@pytest.fixture
def history(platforms):
    """Every flow on; 12 historical Woo orders over the last 10 days that Brightpearl lacks."""
    with connection():
        for name, settings in SETTINGS.items():
            save_flow(name, "test", enabled=True, settings=settings)
    products = platforms.woo("GET", "/products", params={"per_page": 50, "type": "simple"})
    skus = [p["sku"] for p in products if p.get("sku")][:3]
    now = utcnow()
    orders = platforms.woo_control("orders/bulk", {"orders": [{
        "email": f"old{i % 4}@example.com", "lines": [{"sku": skus[i % 3], "quantity": 1}],
        "payment_method": "stripe", "status": "completed", "tax_rate": "20",
        "date_created_gmt": (now - timedelta(days=10) + timedelta(hours=19 * i)).isoformat()}
        for i in range(12)]})
    return orders


def bp_sales_orders(platforms):
    found = platforms.bp("GET", "/order-service/order-search", params={
        "orderTypeId": 1, "columns": "orderId,externalRef", "pageSize": 500})
    return [row[1] for row in found["results"]]


def test_interrupted_backfill_resumes_from_its_cursor_and_never_duplicates(platforms,
                                                                           history):
    since = utcnow() - timedelta(days=11)
    with connection():
        job, created = find_or_start("orders", since, utcnow())
        assert created
        seen = []
        run_backfill(job.id, progress=seen.append, stop=lambda: bool(seen))
        job = Backfill.get_by_id(job.id)
        # Stopped taking orders once the first was done; the few already running finished.
        assert job.status == "running" and job.total == 12 and 1 <= job.done < 12
        assert job.created == job.done == len(bp_sales_orders(platforms))
        # The same range again finds the unfinished backfill and carries on from its cursor.
        again, created = find_or_start("orders", since, job.until)
        assert not created and again.id == job.id
        job = run_backfill(job.id)
        assert (job.status, job.done, job.failed) == (DONE, 12, 0)
        assert job.created + job.skipped == 12
        refs = bp_sales_orders(platforms)
        assert sorted(refs) == sorted(str(o["id"]) for o in history)  # 12, none twice
        assert job.bp_calls >= 24  # a sales order and a payment each, at least
        # A second backfill over the same range creates nothing more.
        second, _ = find_or_start("orders", since, job.until)
        second = run_backfill(second.id)
        assert (second.created, second.skipped) == (0, 12)
        assert len(bp_sales_orders(platforms)) == 12


def test_a_backfill_spends_the_bulk_share(platforms, history, monkeypatch):
    asked = []
    real = clients.brightpearl

    def recording(priority="interactive", *args, **kwargs):
        asked.append(priority)
        return real(priority, *args, **kwargs)

    monkeypatch.setattr(clients, "brightpearl", recording)
    with connection():
        job, _ = find_or_start("orders", utcnow() - timedelta(days=11), utcnow())
        run_backfill(job.id)
    assert set(asked) == {"bulk"}  # one client per thread, every one on the bulk share


def test_a_backfill_whose_flow_is_off_says_so(platforms, history):
    with connection():
        save_flow("orders", "test", enabled=False)
        job, _ = find_or_start("orders", utcnow() - timedelta(days=11), utcnow())
        job = run_backfill(job.id)
    assert job.status == "failed" and job.message == "cannot run: the Orders flow is off"
    assert bp_sales_orders(platforms) == []


def test_the_terminal_command_shows_progress_and_resumes(platforms, history, monkeypatch):
    from jobs.backfill import run as runner

    runner_cli = platforms.app.test_cli_runner()
    real_handle, calls = runner.OrdersBackfill.handle, []

    def interrupted(self, order):
        calls.append(order["id"])
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real_handle(self, order)

    monkeypatch.setattr(runner.OrdersBackfill, "handle", interrupted)
    since = (utcnow() - timedelta(days=11)).strftime("%Y-%m-%d")
    first = runner_cli.invoke(args=["backfill", "orders", "--since", since])
    assert first.exit_code == 130, first.output
    assert "Interrupted at " in first.output and "of 12. Run the same command" in first.output
    with connection():
        job = Backfill.get()
        assert job.status == PAUSED and job.done < 12
    monkeypatch.setattr(runner.OrdersBackfill, "handle", real_handle)
    second = runner_cli.invoke(args=["backfill", "orders", "--since", since])
    assert second.exit_code == 0, second.output
    assert "Resuming backfill #1 of orders" in second.output
    assert f"at {job.done} of 12" in second.output
    assert "Backfill #1 done: " in second.output and ", 0 failed" in second.output
    assert len(bp_sales_orders(platforms)) == 12
    bad = runner_cli.invoke(args=["backfill", "orders"])
    assert bad.exit_code == 2 and "--since" in bad.output


def test_from_the_flows_page_with_progress(platforms, history, work):
    from models.users import User

    with connection():
        user = User(username="ann")
        user.set_password(PASSWORD)
        user.save()
    client = platforms.app.test_client()
    sign_in(client)
    since = (utcnow() - timedelta(days=11)).strftime("%Y-%m-%d")
    assert post(client, "/flows/backfill", {"kind": "orders", "since": since}).status_code == 302
    page = client.get("/flows").get_data(as_text=True)
    assert "#1 · orders" in page and "Resume" in page
    work()
    page = client.get("/flows").get_data(as_text=True)
    assert '<progress max="12" value="12">100%</progress>' in page
    assert "12 created" in page
    assert len(bp_sales_orders(platforms)) == 12
    assert post(client, "/flows/backfill", {"kind": "nonsense", "since": since}).status_code \
        == 400
    assert post(client, "/flows/backfill", {"kind": "orders", "since": "yesterday"}).status_code \
        == 400
    assert client.post("/flows/backfill", data={"kind": "orders", "since": since}).status_code \
        == 400  # no CSRF token
    with connection():
        assert Backfill.select().count() == 1


def test_the_eta_comes_from_the_bulk_share():
    from cli.backfill import _Bar
    from config import bulk_per_second

    pace = bulk_per_second({"BRIGHTPEARL_RATE_PER_MINUTE": 190,
                            "BRIGHTPEARL_INTERACTIVE_SHARE": 0.15,
                            "BRIGHTPEARL_BUDGET_WINDOW_SECONDS": 60})
    assert pace == pytest.approx(162 / 60)
    job = Backfill(kind="orders", total=1000, done=200, bp_calls=600, created=200, skipped=0,
                   failed=0)
    assert job.eta_seconds(pace) == pytest.approx(800 * 3 / pace)  # 3 calls per order so far
    fresh = Backfill(kind="orders", total=1000, done=0, bp_calls=0)
    assert fresh.eta_seconds(pace) == pytest.approx(1000 * 3.3 / pace)  # the estimate
    bar = _Bar(pace)
    bar.job = job
    assert bar.words() == "ETA 14m48s (budget) · 200 created, 0 skipped, 0 failed"


def test_products_and_stock_backfills(platforms):
    with connection():
        for name, settings in SETTINGS.items():
            save_flow(name, "test", enabled=True, settings=settings)
    simple = [p for p in platforms.woo("GET", "/products", params={"per_page": 50,
                                                                    "type": "simple"})
              if p.get("sku") and p.get("manage_stock")]
    gone, moved = simple[0]["sku"], simple[1]["sku"]
    platforms.woo_control("products/edit", {"edits": [{"sku": gone, "delete": True}]})
    platforms.bp_control("webhooks/config", {"muted": True})
    platforms.bp_control("stock", {"sku": moved, "warehouseId": 2, "delta": 7})
    platforms.bp_control("webhooks/config", {"muted": False})
    since = utcnow() - timedelta(days=1)
    # The store's echo of what the backfill writes is not under test here.
    platforms.woo_control("webhooks/config", {"muted": True})
    with connection():
        products, _ = find_or_start("products", since, utcnow() + timedelta(minutes=1))
        products = run_backfill(products.id)
        assert products.status == DONE and products.total == 12 and products.done == 12
        assert products.failed == 0 and products.bp_calls >= 3
        assert platforms.woo("GET", "/products", params={"sku": gone})  # created again
        stock, _ = find_or_start("stock", since, utcnow() + timedelta(minutes=1))
        stock = run_backfill(stock.id)
        assert stock.status == DONE and stock.total == 1 and stock.created == 1
    product = platforms.woo("GET", "/products", params={"sku": moved})[0]
    assert product["stock_quantity"] == simple[1]["stock_quantity"] + 7
