"""python -m sandbox and the traffic generator: both emulators up, seeded alike, a shop day."""
import random
import signal
import socket
import subprocess
import sys
import time

import requests

from sandbox.traffic import run
from sandbox.traffic_plan import Known, checkout, next_action


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sandbox(woo_port, bp_port):
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "--woo-port", str(woo_port),
                                "--bp-port", str(bp_port), "--products", "30", "--customers", "5"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{bp_port}/_sandbox/state", timeout=1)
            requests.get(f"http://127.0.0.1:{woo_port}/_sandbox/state", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("python -m sandbox did not come up")


def test_both_emulators_seeded_alike_and_stop_cleanly():
    woo_port, bp_port = free_port(), free_port()
    process = start_sandbox(woo_port, bp_port)
    try:
        woo = requests.get(f"http://127.0.0.1:{woo_port}/wp-json/wc/v3/products",
                           params={"sku": "", "per_page": 100, "type": "simple"},
                           auth=("ck_sandbox", "cs_sandbox"), timeout=5).json()
        bp = requests.get(f"http://127.0.0.1:{bp_port}/public-api/sandbox/product-service/"
                          f"product-search", params={"pageSize": 500, "columns": "SKU"},
                          headers={"brightpearl-app-ref": "sandbox_pearlbridge",
                                   "brightpearl-staff-token": "sandbox-staff-token"},
                          timeout=5).json()["response"]["results"]
        assert {p["sku"] for p in woo} <= {row[0] for row in bp}
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_returning_customers_are_about_seventy_percent():
    rng, known = random.Random(3), Known(skus=["A", "B", "C"], customers=10)
    bodies = [checkout(rng, known) for _ in range(2000)]
    returning = sum("customer_index" in b for b in bodies) / len(bodies)
    assert 0.66 < returning < 0.74
    assert all(1 <= len(b["lines"]) <= 3 and b["payment_method"] in ("stripe", "paypal", "bacs")
               for b in bodies)
    assert all(b["status"] == ("on-hold" if b["payment_method"] == "bacs" else "processing")
               for b in bodies)


def test_planner_only_picks_what_is_possible():
    rng = random.Random(1)
    assert next_action(rng, Known()) is None
    kinds = {next_action(rng, Known(skus=["A"]))[0] for _ in range(50)}
    assert kinds == {"checkout"}


def test_a_few_seconds_of_shop_day():
    woo_port, bp_port = free_port(), free_port()
    process = start_sandbox(woo_port, bp_port)
    lines = []
    try:
        done = run(f"http://127.0.0.1:{woo_port}", f"http://127.0.0.1:{bp_port}", speed=20,
                   seed=2, duration=3, say=lines.append)
        orders = requests.get(f"http://127.0.0.1:{woo_port}/wp-json/wc/v3/orders",
                              auth=("ck_sandbox", "cs_sandbox"), timeout=5).json()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    assert done >= 5 and orders
    assert any(line.startswith("checkout: Woo order #") for line in lines)
