"""Benchmark: one reconciliation run over a shop's history with planted discrepancies.

    BENCH_REDIS_URL=redis://localhost:6316 .venv/bin/python bench/reconcile.py \\
        [--orders 10000] [--days 30] [--plant 100] [--products 1500]

Both emulators as a process, Brightpearl at its real 200 requests per 60 s (our budget 190,
the run spending the bulk share); the run itself in this process, as `flask reconcile` runs
it. The history and the plants go in through the emulators' control APIs (never Pearlbridge);
only the product bodies are written once by the products flow, so that a clean product means
"what Pearlbridge would write". Prints found / planted per kind (target 100 %), false
positives (target 0), Brightpearl calls against ⌈records / 200⌉ plus the searches (target
≤ 1.1×), and the run's duration.
"""
import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.reconcile_shop import CATALOG_ROLES, ORDER_ROLES, build, woo_api  # noqa: E402
from bench.stack import BP_HEADERS, run_with  # noqa: E402

PORTS = {"port": 8160, "woo_port": 8161, "bp_port": 8162}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--plant", type=int, default=100, help="discrepancies of each kind")
    parser.add_argument("--products", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=16)
    run_with(run, parser.parse_args(), 4, bp_rate=200, bp_window=60, budget_rate=190, **PORTS)


def run(stack, options):
    os.environ.update(stack.env)
    from demo.flows import DEMO_SETTINGS
    from jobs.products.handlers import resync_all
    from jobs.reconcile.run import reconcile
    from models.base import utcnow
    from models.db import bind, connection
    from models.flows import save_flow
    from models.reconcile import OPEN, Discrepancy
    from tests.reconcile.conftest import SETTINGS

    bind(stack.env["DATABASE_URL"])
    started = time.monotonic()
    stack.control("bp", "throttle", {"rate_per_minute": 10 ** 9})  # setup is not measured
    stack.control("woo", "seed", {"products": options.products, "customers": 300, "seed": 7})
    stack.control("bp", "seed", {"products": options.products, "customers": 300, "seed": 7})
    with connection():
        for name, settings in SETTINGS.items():
            save_flow(name, "bench", enabled=True, settings=settings)
        resync_all(force=True)  # the store's products as the products flow writes them
    catalog = read_catalog(stack)
    planted, counts = build(stack, options, DEMO_SETTINGS["orders"], catalog)
    print(f"history: {counts['woo_orders']} Woo orders over {options.days} days, "
          f"{counts['sales_orders']} Brightpearl sales orders, {counts['credits']} credits, "
          f"{counts['shipped']} shipped; {len(planted)} planted "
          f"({options.plant} of each of {len(ORDER_ROLES) + len(CATALOG_ROLES)} kinds); "
          f"{len(catalog)} products; set up in {time.monotonic() - started:.0f} s")
    stack.control("bp", "throttle", {"rate_per_minute": 200, "window_seconds": 60})
    stack.control("bp", "requests", method="DELETE")
    with connection():
        began = time.monotonic()
        result = reconcile(utcnow() - timedelta_days(options.days + 1),
                           utcnow() + timedelta_days(0), trigger="cli")
        elapsed = time.monotonic() - began
        found = {(d.kind, d.record_key) for d in Discrepancy.select().where(
            Discrepancy.status == OPEN)}
    calls = stack.control("bp", "requests", method="GET")
    report(options, planted, found, calls, bound(counts, catalog, result), elapsed, result)


def timedelta_days(days):
    from datetime import timedelta

    return timedelta(days=days)


def read_catalog(stack):
    """Every product: Brightpearl id, SKU, name, tracking, group, and the store's stock."""
    import requests

    rows, first = [], 1
    while True:
        answer = requests.get(f"{stack.bp}/product-service/product-search", headers=BP_HEADERS,
                              params={"columns": "productId,SKU,productName,stockTracked,"
                                                 "productGroupId", "pageSize": 500,
                                      "firstResult": first}, timeout=60).json()["response"]
        names = [c["name"] for c in answer["metaData"]["columns"]]
        rows += [dict(zip(names, r)) for r in answer["results"]]
        if not answer["metaData"]["morePagesAvailable"]:
            break
        first = answer["metaData"]["lastResult"] + 1
    stock, page = {}, 1
    while True:
        part = woo_api(stack, "/products", {"per_page": 100, "page": page, "type": "simple",
                                            "_fields": "id,sku,stock_quantity"})
        stock.update({p["sku"]: p["stock_quantity"] for p in part})
        if len(part) < 100:
            break
        page += 1
    for row in rows:
        row["simple"] = not row.get("productGroupId") and row["SKU"] in stock
        row["woo_stock"] = stock.get(row["SKU"]) or 0
    return rows


def bound(counts, catalog, result):
    """⌈records / 200⌉ per ID-set GET and ⌈rows / 500⌉ per search, from the seeded counts."""
    products = len(catalog)
    tracked = sum(1 for row in catalog if row.get("stockTracked"))
    shipped = counts["shipped"]
    parts = {
        "order search pages": math.ceil(counts["bp_documents"] / 500),
        "order GETs": math.ceil(counts["bp_documents"] / 200),
        "goods-out / drop-ship GETs": math.ceil(shipped / 500) + math.ceil(shipped / 200),
        "product search pages": math.ceil(products / 500),
        "product GETs": math.ceil(products / 200),
        "price GETs": math.ceil(result.checked.get("products in scope", 0) / 200),
        "availability GETs": math.ceil(tracked / 200),
    }
    return parts


def report(options, planted, found, calls, parts, elapsed, result):
    kinds = ORDER_ROLES + CATALOG_ROLES
    print(f"run #{result.id}: {result.status}; checked {result.checked}")
    missed_total = 0
    for kind in kinds:
        want = {k for k in planted if k[0] == kind}
        got = {k for k in found if k[0] == kind}
        missed_total += len(want - got)
        print(f"  {kind:20s} found {len(want & got):4d} / planted {len(want):4d} "
              f"({len(want & got) / max(1, len(want)):.0%})  false positives "
              f"{len(got - want)}")
    false = found - planted
    total_bound = sum(parts.values())
    print(f"found / planted: {len(planted) - missed_total} / {len(planted)} "
          f"({(len(planted) - missed_total) / len(planted):.1%}, target 100 %); "
          f"false positives {len(false)} (target 0)")
    print(f"Brightpearl calls {calls['total']} (throttled {calls['throttled']}); bound "
          f"{total_bound} = " + " + ".join(f"{v} {k}" for k, v in parts.items())
          + f"; ratio {calls['total'] / total_bound:.2f} (target <= 1.10)")
    print(f"run duration {elapsed:.1f} s; WooCommerce calls {result.woo_calls}")
    if false:
        print("false positives, first 10:", sorted(false)[:10])


if __name__ == "__main__":
    main()
