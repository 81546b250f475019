"""Benchmark: a backfill of historical Woo orders into Brightpearl, interrupted and resumed.

    BENCH_REDIS_URL=redis://localhost:6316 .venv/bin/python bench/backfill.py \\
        [--orders 5000] [--window 10] [--latency 10 25]

`flask backfill orders --since …` runs as its own process against both emulators (as a
process); when half the orders are done it gets SIGINT (Ctrl-C), then the same command is run
again and carries on from its cursor. Brightpearl allows 200 requests per --window seconds
(its minute scaled, so a run takes minutes; our budget spends 190 of them and a backfill only
the bulk share, 162); latency on every platform call is scaled alike. Prints Brightpearl
orders and duplicates (target 0), calls per order against the minimum for the mix, and orders
per budget window against the bulk share's bound (target ≥ 90 %).
"""
import argparse
import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.stack import BIN, BP_HEADERS, ROOT, run_with  # noqa: E402

PORTS = {"port": 8163, "woo_port": 8164, "bp_port": 8165}
RETURNING_SHARE, CUSTOMERS, SKUS = 0.7, 300, 20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--window", type=float, default=10.0, help="seconds per budget window")
    parser.add_argument("--latency", type=int, nargs=2, default=[10, 25], metavar=("MIN", "MAX"))
    options = parser.parse_args()
    run_with(run, options, 3, bp_rate=200, bp_window=options.window, budget_rate=190, **PORTS)


def run(stack, options):
    os.environ.update(stack.env)
    from models.base import utcnow
    from models.db import bind, connection
    from models.flows import save_flow
    from tests.reconcile.conftest import SETTINGS

    bind(stack.env["DATABASE_URL"])
    stack.control("woo", "seed", {"products": 200, "customers": CUSTOMERS, "seed": 7})
    stack.control("bp", "seed", {"products": 200, "customers": CUSTOMERS, "seed": 7})
    with connection():
        save_flow("orders", "bench", enabled=True, settings=SETTINGS["orders"])
    rng = random.Random(5)
    skus = simple_skus(stack)[:SKUS]
    now = utcnow()
    bodies, emails = [], []
    for index in range(options.orders):
        body = {"lines": [{"sku": s, "quantity": rng.randint(1, 2)}
                          for s in rng.sample(skus, rng.randint(1, 2))],
                "payment_method": "stripe", "status": rng.choice(("processing", "completed")),
                "tax_rate": "20", "shipping": {"method_id": "flat_rate", "total": "4.99"},
                "date_created_gmt": (now - timedelta(days=400) + timedelta(
                    seconds=index * 399 * 86400 // options.orders)).isoformat()}
        if rng.random() < RETURNING_SHARE:
            body["customer_index"] = rng.randrange(CUSTOMERS)
        else:
            body["email"] = f"new-{index}@example.com"
        bodies.append(body)
    for start in range(0, len(bodies), 500):
        made = stack.control("woo", "orders/bulk", {"orders": bodies[start:start + 500]})
        emails += [None] * len(made)
    for platform in ("woo", "bp"):
        stack.control(platform, "faults", {"route": ".", "latency_ms": options.latency})
    stack.control("bp", "requests", method="DELETE")
    since = (now - timedelta(days=401)).strftime("%Y-%m-%d")
    print(f"{options.orders} historical Woo orders over 400 days ({RETURNING_SHARE:.0%} by "
          f"returning customers, {SKUS} SKUs); Brightpearl 200 requests per "
          f"{options.window:g} s window, our budget 190, bulk share 162; latency "
          f"{options.latency[0]}–{options.latency[1]} ms per call")
    first, done_first = interrupted_run(stack, since, options.orders // 2)
    second, _ = interrupted_run(stack, since, None)
    report(stack, options, bodies, first, second, done_first)


def simple_skus(stack):
    import requests

    products = requests.get(f"{stack.woo}/wp-json/wc/v3/products", auth=("ck_sandbox",
                                                                         "cs_sandbox"),
                            params={"per_page": 100, "type": "simple"}, timeout=30).json()
    return [p["sku"] for p in products if p.get("sku")]


def interrupted_run(stack, since, stop_at):
    """Run `flask backfill orders`; SIGINT once stop_at orders are done. (seconds, done)."""
    from models.backfill import Backfill
    from models.db import connection

    began = time.monotonic()
    process = subprocess.Popen([f"{BIN}/flask", "--app", "wsgi", "backfill", "orders",
                                "--since", since], env=stack.env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while process.poll() is None:
        time.sleep(0.5)
        if stop_at is None:
            continue
        with connection():
            job = Backfill.select().order_by(Backfill.id.desc()).first()
        if job and job.done >= stop_at:
            process.send_signal(signal.SIGINT)
            break
    output = process.communicate(timeout=300)[0]
    elapsed = time.monotonic() - began
    lines = [line for line in output.splitlines() if line.strip()]
    print(f"  run {'(interrupted) ' if stop_at else ''}exit {process.returncode} after "
          f"{elapsed:.0f} s: " + " | ".join(lines[:1] + lines[-2:]))
    with connection():
        return elapsed, Backfill.select().order_by(Backfill.id.desc()).first().done


def bp_external_refs(stack):
    import requests

    refs, first = [], 1
    while True:
        answer = requests.get(f"{stack.bp}/order-service/order-search", headers=BP_HEADERS,
                              params={"orderTypeId": 1, "columns": "orderId,externalRef",
                                      "pageSize": 500, "firstResult": first},
                              timeout=60).json()["response"]
        refs += [row[1] for row in answer["results"]]
        if not answer["metaData"]["morePagesAvailable"]:
            return refs
        first = answer["metaData"]["lastResult"] + 1


def report(stack, options, bodies, first, second, done_first):
    from models.backfill import Backfill
    from models.db import connection

    calls = stack.control("bp", "requests", method="GET")
    refs = bp_external_refs(stack)
    with connection():
        job = Backfill.select().order_by(Backfill.id.desc()).first()
    new = {b["email"] for b in bodies if "email" in b}
    returning = {b["customer_index"] for b in bodies if "customer_index" in b}
    skus = {line["sku"] for b in bodies for line in b["lines"]}
    # Per order: the sales order and its payment; per new customer: the email search, the
    # address and the contact; per returning customer: the email search (then remembered);
    # per SKU: one product search (then linked).
    minimum = 2 * len(bodies) + 3 * len(new) + len(returning) + len(skus)
    busy = job.busy_seconds  # inside the runs (the wall time less two process start-ups)
    per_window = len(bodies) / (busy / options.window)
    bound = 162 / (minimum / len(bodies))
    print(f"interrupted after {done_first} orders, resumed; backfill #{job.id} {job.status}: "
          f"{job.message}")
    print(f"Brightpearl orders {len(refs)} for {len(bodies)} Woo orders; duplicates "
          f"{len(refs) - len(set(refs))} (target 0)")
    print(f"Brightpearl calls {calls['total']} ({calls['total'] / len(bodies):.2f} per order; "
          f"minimum for this mix {minimum / len(bodies):.2f}, ratio "
          f"{calls['total'] / minimum:.2f}); 503s sent by the platform {calls['throttled']}")
    print(f"throughput {per_window:.1f} orders per budget window (bulk share's bound "
          f"{bound:.1f}: {per_window / bound:.0%}, target >= 90 %) — {len(bodies)} orders in "
          f"{busy:.0f} s of running ({first:.0f} s + {second:.0f} s)")


if __name__ == "__main__":
    main()
