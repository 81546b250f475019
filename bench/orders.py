"""Benchmark: a burst of Woo orders into Brightpearl under its request budget.

    .venv/bin/python bench/orders.py [--orders 1000] [--window 20] [--latency 40 120]

Brightpearl's budget is 200 requests per rolling minute; --window scales that minute (200
per --window seconds, our budget spending 190 of them) so a run takes minutes, not hours;
figures per minute are per *budget window*. Prints Brightpearl calls per order against the
minimum the order mix needs, orders per window against the budget-bound maximum (target
>= 90 %), duplicates (target 0), and webhook → Synced times at low load.
"""
import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.stack import Stack  # noqa: E402

WOO_TOPICS = ("order.created", "order.updated")
RETURNING_SHARE = 0.7


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--window", type=float, default=20.0, help="seconds per budget window")
    parser.add_argument("--latency", type=int, nargs=2, default=[40, 120], metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--low-load", type=int, default=20, help="orders for the latency phase")
    options = parser.parse_args()
    stack = Stack(bp_rate=200, bp_window=options.window, budget_rate=190,
                  workers=options.workers).start()
    try:
        run(stack, options)
    finally:
        stack.stop()


def run(stack, options):
    from models.db import bind, connection

    bind(stack.env["DATABASE_URL"])
    customers = 300
    stack.control("woo", "seed", {"products": 200, "customers": customers, "seed": 7})
    stack.control("bp", "seed", {"products": 200, "customers": customers, "seed": 7})
    stack.register_webhooks(WOO_TOPICS, ())
    with connection():
        enable_order_flows()
    for platform in ("woo", "bp"):
        stack.control(platform, "faults", {"route": ".", "latency_ms": options.latency})
    skus = stock_up(stack)
    rng = random.Random(1)
    emails = [customer_email(rng, i, customers) for i in range(options.orders)]
    stack.control("bp", "requests", method="DELETE")
    print(f"{options.orders} orders, {RETURNING_SHARE:.0%} from returning customers, "
          f"{options.workers} workers, Brightpearl budget 190 of 200 per {options.window:g} s "
          f"window, latency {options.latency[0]}–{options.latency[1]} ms per call")
    started = time.monotonic()
    orders = [checkout(stack, rng, skus, email) for email in emails]
    woo_ids = [order["id"] for order in orders]
    skus_used = {line["sku"] for order in orders for line in order["line_items"]}
    wait_synced(stack, woo_ids, timeout=options.orders * 4 * options.window / 10 + 120)
    elapsed = time.monotonic() - started
    report_burst(stack, options, woo_ids, emails, len(skus_used), elapsed)
    low_load(stack, rng, skus, options.low_load)


def enable_order_flows():
    from models.flows import save_flow
    from tests.orders.flows import ORDER_SETTINGS

    save_flow("orders", "bench", enabled=True, settings=ORDER_SETTINGS)


def stock_up(stack):
    """SKUs of simple products, stocked so a thousand checkouts never run out."""
    import requests

    auth = ("ck_sandbox", "cs_sandbox")
    products = [p for p in requests.get(f"{stack.woo}/wp-json/wc/v3/products", auth=auth,
                                        params={"per_page": 100, "type": "simple"},
                                        timeout=30).json() if p.get("sku")]
    requests.post(f"{stack.woo}/wp-json/wc/v3/products/batch", auth=auth, timeout=60, json={
        "update": [{"id": p["id"], "manage_stock": True, "stock_quantity": 100000}
                   for p in products]}).raise_for_status()
    return [p["sku"] for p in products]


def customer_email(rng, index, customers):
    from sandbox.catalog import demo_customers

    if rng.random() < RETURNING_SHARE:
        pool = demo_customers(customers, 7)
        return rng.choice(pool)["email"]
    return f"new-{index}@example.com"


def checkout(stack, rng, skus, email):
    lines = [{"sku": sku, "quantity": rng.randint(1, 2)} for sku in rng.sample(skus, 2)]
    return stack.control("woo", "checkout", {
        "email": email, "lines": lines, "payment_method": "stripe", "status": "processing",
        "tax_rate": "20", "shipping": {"method_id": "flat_rate", "total": "4.99"}})


def wait_synced(stack, woo_ids, timeout):
    from bench.chaos_measure import wait_rows

    done, count = wait_rows(woo_ids, "pending", timeout, leaving=True)
    if not done:
        print(f"warning: only {count} of {len(woo_ids)} orders left Pending within "
              f"{timeout:.0f} s")


def report_burst(stack, options, woo_ids, emails, distinct_skus, elapsed):
    from models.db import connection
    from models.logs import SyncLog

    calls = stack.control("bp", "requests", method="GET")
    total, throttled = calls["total"], calls["throttled"]
    distinct_new = len({e for e in emails if e.startswith("new-")})
    distinct_returning = len({e for e in emails if not e.startswith("new-")})
    # Per order: sales order + payment; per new customer: search + address + contact; per
    # returning customer's first order: the contact search; per distinct SKU: one lookup.
    minimum = 2 * len(woo_ids) + 3 * distinct_new + distinct_returning + distinct_skus
    with connection():
        statuses = {s: SyncLog.select().where(SyncLog.record_key.in_(
            [f"woo-{i}" for i in woo_ids]) & (SyncLog.status == s)).count()
                    for s in ("synced", "failed", "pending")}
    bp_orders = stack_count(stack, "/order-service/order-search")
    windows = elapsed / options.window
    per_window = len(woo_ids) / windows
    bound = 190 / (minimum / len(woo_ids))
    print(f"Brightpearl calls: {total} ({total / len(woo_ids):.2f} per order; minimum for this "
          f"mix {minimum / len(woo_ids):.2f}, ratio {total / minimum:.2f}); 503s sent by the "
          f"platform {throttled}")
    print(f"throughput: {per_window:.1f} orders per budget window (bound {bound:.1f}: "
          f"{per_window / bound:.0%}, target >= 90%)  — {len(woo_ids)} orders in {elapsed:.0f} s")
    print(f"outcomes: {statuses}; Brightpearl orders {bp_orders} for {len(woo_ids)} Woo orders "
          f"(duplicates {bp_orders - statuses['synced']}, target 0)")


def stack_count(stack, path):
    import requests

    from bench.stack import BP_HEADERS

    answer = requests.get(f"{stack.bp}{path}", headers=BP_HEADERS, params={"pageSize": 1},
                          timeout=30).json()["response"]
    return answer["metaData"]["resultsAvailable"]


def low_load(stack, rng, skus, count):
    from models.db import connection
    from models.events import Event
    from models.logs import SyncLog

    durations = []
    for index in range(count):
        order = checkout(stack, rng, skus, f"calm-{index}@example.com")
        key = f"woo-{order['id']}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with connection():
                row = SyncLog.get_or_none(SyncLog.record_key == key)
                if row and row.status == "synced":
                    first = Event.select().where(Event.resource_id == str(order["id"])).order_by(
                        Event.id).first()
                    durations.append((row.synced_at - first.received_at).total_seconds())
                    break
            time.sleep(0.05)
        time.sleep(1.0)
    durations.sort()
    if durations:
        p50 = durations[len(durations) // 2]
        p95 = durations[min(len(durations) - 1, int(round(0.95 * len(durations))) - 1)]
        print(f"low load ({len(durations)} orders, one a second): webhook received → Synced "
              f"p50 {p50:.2f} s, p95 {p95:.2f} s")


if __name__ == "__main__":
    main()
