"""Benchmark: inventory flow against both emulators (real HTTP) with a large catalog.

    .venv/bin/python bench/inventory.py [--products 100000] [--changes 10000] [--trickle 30]

(a) `changes` simple SKUs change in Brightpearl at once (polling path: goods movements) →
    Woo write calls vs ⌈changed/100⌉ (target ≤ 1.05×), Brightpearl calls vs
    ⌈changed/200⌉ availability reads + ⌈movements/500⌉ goods-movement pages (target ≤ 1.1×),
    and seconds until the store matches Brightpearl, under a 200-per-window budget.
(b) single changes at a steady trickle → p95 seconds from the change in Brightpearl to the new
    quantity in Woo, by the webhook path, then by the polling path alone (tick 5 s).

Warm start: the stock catalog and SKU links are loaded from the emulators' state before the
clock starts (the state an hourly sweep leaves), so the figures are those of steady running.
"""
import argparse
import math
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import redis_url  # noqa: E402

import redis  # noqa: E402
import requests  # noqa: E402

from bench import SECRET_KEY as BENCH_SECRET_KEY  # noqa: E402

REDIS_URL = redis_url(7)  # BENCH_REDIS_URL picks the server
ACCOUNT = "bench"
ENV = {"SECRET_KEY": BENCH_SECRET_KEY, "WOO_CONSUMER_KEY": "ck_bench",
       "WOO_CONSUMER_SECRET": "cs_bench",
       "WOO_WEBHOOK_SECRET": "bench", "BRIGHTPEARL_ACCOUNT": ACCOUNT,
       "BRIGHTPEARL_APP_REF": "bench_app", "BRIGHTPEARL_STAFF_TOKEN": "bench-token",
       "BRIGHTPEARL_WEBHOOK_SECRET": "bench-hook-secret-0123456789", "REDIS_URL": REDIS_URL,
       "BRIGHTPEARL_RATE_PER_MINUTE": "200", "LOG_LEVEL": "WARNING"}


def start(args):
    """Emulators over HTTP, the app's database and settings; returns a namespace of handles."""
    from sandbox.brightpearl import create_app as bp_app
    from sandbox.server import serve_in_thread
    from sandbox.woocommerce import create_app as woo_app
    bp = bp_app(account=ACCOUNT, app_ref=ENV["BRIGHTPEARL_APP_REF"],
                staff_token=ENV["BRIGHTPEARL_STAFF_TOKEN"], rate_per_minute=200,
                window_seconds=args.window)
    woo = woo_app(consumer_key=ENV["WOO_CONSUMER_KEY"], consumer_secret=ENV["WOO_CONSUMER_SECRET"])
    servers = serve_in_thread(bp), serve_in_thread(woo)
    tmp = tempfile.mkdtemp(prefix="pearlbridge-bench-inventory-")
    os.environ.update(ENV, WOO_URL=servers[1].url,
                      BRIGHTPEARL_URL=f"{servers[0].url}/public-api/{ACCOUNT}",
                      BRIGHTPEARL_BUDGET_WINDOW_SECONDS=str(args.window),
                      DATABASE_URL=f"sqlite:///{tmp}/bench.db")
    redis.Redis.from_url(REDIS_URL).flushdb()
    from wsgi import create_app
    from models.db import db
    from models.migrations import run_migrations
    import config
    app = create_app(config.from_env())
    with db.connection_context():
        run_migrations()
    return bp, woo, servers, app


def control(server, method, path, json=None):
    response = requests.request(method, f"{server.url}/_sandbox{path}", json=json, timeout=600)
    response.raise_for_status()
    return response.json()


def warm_start(bp, woo):
    """Catalog, links and last quantities as a finished sweep leaves them (bulk inserts)."""
    from jobs.inventory.availability import on_hand
    from models.db import db
    from models.flows import save_flow
    from models.links import ProductLink
    from models.stock import StockItem
    from sandbox.brightpearl.inventory import availability
    bp_state, woo_state = bp.extensions["brightpearl"].state, woo.extensions["woocommerce_sandbox"].state
    items, links = [], []
    for pid, p in bp_state.products.items():
        items.append({"bp_product_id": pid, "sku": p["sku"], "name": p["name"],
                      "stock_tracked": p["stockTracked"], "woo_checked_at": "2000-01-01"})
        woo_product = woo_state.product_by_sku(p["sku"])
        if woo_product is None:
            continue
        quantity = on_hand(availability(bp_state, pid))[0] if p["stockTracked"] else None
        links.append({"sku": p["sku"], "bp_product_id": pid, "woo_product_id": woo_product["id"],
                      "woo_parent_id": woo_product["parent_id"] or None,
                      "woo_type": woo_product["type"], "last_quantity": quantity})
        if quantity is not None:
            woo_product.update(manage_stock=True, stock_quantity=quantity)
    with db.connection_context(), db.atomic():
        for start_at in range(0, len(items), 2000):
            StockItem.insert_many(items[start_at:start_at + 2000]).execute()
            ProductLink.insert_many(links[start_at:start_at + 2000]).execute()
        save_flow("inventory", "bench", enabled=True, settings={"delta_seconds": 5})
    return bp_state, woo_state


def run_worker_until_idle(redis_connection, limit_seconds=900):
    """Tick and run the stock worker until no change is pending; returns seconds taken."""
    from jobs.inventory.worker import SCAN_KEY, run_stock_work
    from models.db import db
    from models.stock import StockChange
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        redis_connection.delete(SCAN_KEY)
        run_stock_work(run_seconds=60)
        with db.connection_context():
            if StockChange.select().count() == 0:
                break
    return time.monotonic() - started


def bench_bulk(args, bp, woo, servers, bp_state, woo_state, redis_connection):
    """(a) many SKUs change at once."""
    from connectors.ratelimit import RedisBudget
    from jobs.inventory.worker import run_stock_work
    run_stock_work()  # starts the goods-movement cursor at now
    simple = [p for p in bp_state.products.values() if p["stockTracked"] and not p["groupId"]
              and woo_state.product_by_sku(p["sku"]) is not None]
    chosen = random.Random(1).sample(simple, min(args.changes, len(simple)))
    changes = [{"productId": p["id"], "warehouseId": 2, "delta": 1 + i % 3}
               for i, p in enumerate(chosen)]
    for start_at in range(0, len(changes), 2000):
        control(servers[0], "POST", "/stock", {"changes": changes[start_at:start_at + 2000]})
    RedisBudget(redis_connection, ACCOUNT).reset()
    control(servers[0], "POST", "/throttle", {"rate_per_minute": 200,
                                               "window_seconds": args.window})
    control(servers[0], "DELETE", "/requests")
    control(servers[1], "DELETE", "/requests")
    started = time.monotonic()
    seconds = run_worker_until_idle(redis_connection)
    from sandbox.brightpearl.inventory import availability
    from jobs.inventory.availability import on_hand
    mismatched = sum(1 for p in chosen if woo_state.product_by_sku(p["sku"])["stock_quantity"]
                     != on_hand(availability(bp_state, p["id"]))[0])
    bp_calls = control(servers[0], "GET", "/requests")
    woo_calls = control(servers[1], "GET", "/requests")
    n = len(chosen)
    reads = sum(r["count"] for r in bp_calls["routes"] if "availability" in r["route"])
    pages = sum(r["count"] for r in bp_calls["routes"] if "goods-movement" in r["route"])
    writes = sum(v for k, v in woo_calls["counts"].items() if "batch" in k)
    bp_bound = math.ceil(n / 200) + math.ceil(n / 500)
    woo_bound = math.ceil(n / 100)
    print(f"(a) {n} SKUs changed in Brightpearl (catalog {len(bp_state.products)} products, "
          f"3 warehouses; budget 200 requests per {args.window:g} s window)")
    print(f"    Woo write calls      {writes:6d}  bound ceil(changed/100) = {woo_bound:5d}  "
          f"ratio {writes / woo_bound:.3f} (target <= 1.05)")
    print(f"    Brightpearl calls    {bp_calls['total']:6d}  bound ceil(changed/200) + "
          f"ceil(movements/500) = {bp_bound:5d}  ratio {bp_calls['total'] / bp_bound:.3f} "
          f"(target <= 1.1)  [availability {reads}, movement pages {pages}, throttled "
          f"{bp_calls['throttled']}]")
    print(f"    Woo matches Brightpearl after {seconds:.1f} s ({time.monotonic() - started:.1f} s "
          f"incl. checks); SKUs still different: {mismatched}")


def bench_trickle(args, bp, woo, servers, bp_state, woo_state, redis_connection, app, webhook):
    """(b) single changes at a steady trickle; p95 latency change → Woo."""
    from jobs.inventory.handlers import delta_tick
    from jobs.core.queues import QUEUE_NAMES, get_queue
    from models.db import db
    from rq import SimpleWorker
    from sandbox.server import serve_in_thread
    receiver = serve_in_thread(app) if webhook else None
    bp_state.webhooks.clear()
    if webhook:
        requests.post(f"{os.environ['BRIGHTPEARL_URL']}/integration-service/webhook", timeout=10,
                      headers={"brightpearl-app-ref": ENV["BRIGHTPEARL_APP_REF"],
                               "brightpearl-staff-token": ENV["BRIGHTPEARL_STAFF_TOKEN"]},
                      json={"subscribeTo": "product.modified.on-hand-modified",
                            "httpMethod": "POST", "contentType": "application/json",
                            "uriTemplate": f"{receiver.url}/webhooks/brightpearl/"
                                           f"{ENV['BRIGHTPEARL_WEBHOOK_SECRET']}",
                            "bodyTemplate": '{"accountCode":"${account-code}","resourceType":'
                            '"${resource-type}","id":"${resource-id}","lifecycleEvent":'
                            '"${lifecycle-event}","fullEvent":"${full-event}","raisedOn":'
                            '"${raised-on}"}', "idSetAccepted": True, "qualityOfService": 1})
    simple = [p for p in bp_state.products.values() if p["stockTracked"] and not p["groupId"]]
    chosen = random.Random(2 + webhook).sample(simple, args.trickle)
    pending, latencies, stop = {}, [], threading.Event()

    def trickle():
        for product in chosen:
            woo_id = woo_state.product_by_sku(product["sku"])["id"]
            control(servers[0], "POST", "/stock", {"productId": product["id"], "warehouseId": 3,
                                                   "delta": 5})
            from sandbox.brightpearl.inventory import availability
            from jobs.inventory.availability import on_hand
            pending[woo_id] = (time.monotonic(), on_hand(availability(bp_state, product["id"]))[0])
            time.sleep(args.interval)
        stop.set()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    queues = [get_queue(redis_connection, name) for name in QUEUE_NAMES]
    deadline = time.monotonic() + args.trickle * args.interval + 60
    while (not stop.is_set() or pending) and time.monotonic() < deadline:
        with db.connection_context():
            delta_tick({}, redis_connection)
        SimpleWorker(queues, connection=redis_connection).work(burst=True)
        for woo_id, (at, expected) in list(pending.items()):
            if woo_state.products[woo_id]["stock_quantity"] == expected:
                latencies.append(time.monotonic() - at)
                pending.pop(woo_id)
        time.sleep(0.05)
    if receiver:
        receiver.stop()
    latencies.sort()
    p50 = latencies[len(latencies) // 2] if latencies else float("nan")
    p95 = latencies[max(0, math.ceil(len(latencies) * 0.95) - 1)] if latencies else float("nan")
    path = "webhook path" if webhook else "polling path alone (delta tick 5 s)"
    bound = 30.0 if webhook else 5 + 10.0
    print(f"(b) {path}: {len(latencies)}/{args.trickle} changes, one every {args.interval:g} s: "
          f"p50 {p50:.2f} s, p95 {p95:.2f} s (target <= {bound:g} s: ratio {p95 / bound:.3f}); "
          f"missing {len(pending)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--trickle", type=int, default=30)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--window", type=float, default=60.0,
                        help="budget window in seconds for 200 requests (60 = real)")
    args = parser.parse_args()
    import logging
    for name in ("werkzeug", "rq", "rq.worker"):
        logging.getLogger(name).setLevel(logging.ERROR)
    bp, woo, servers, app = start(args)
    t0 = time.monotonic()
    control(servers[0], "POST", "/seed", {"products": args.products, "customers": 0})
    control(servers[1], "POST", "/seed", {"products": args.products, "customers": 0})
    bp_state, woo_state = warm_start(bp, woo)
    print(f"seeded {args.products} products in both emulators and warmed the stock catalog "
          f"in {time.monotonic() - t0:.1f} s")
    redis_connection = redis.Redis.from_url(REDIS_URL)
    from models.db import db
    with db.connection_context():
        bench_bulk(args, bp, woo, servers, bp_state, woo_state, redis_connection)
    for webhook in (True, False):
        bench_trickle(args, bp, woo, servers, bp_state, woo_state, redis_connection, app,
                      webhook)


if __name__ == "__main__":
    main()
