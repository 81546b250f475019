"""Contract tests: the /_sandbox control API (seed, stock, faults, counters, reset, persistence)."""
import json
import time

import requests

from sandbox.brightpearl import create_app
from sandbox.server import serve_in_thread
from tests.sandbox.bp_fixtures import (BrightpearlClient, bp, bp_server, receiver,  # noqa: F401
                                       receiver_server, subscribe)


def test_seed_100000_products_quickly(bp):
    started = time.perf_counter()
    summary = bp.control("POST", "/seed", {"products": 100000, "customers": 200, "seed": 7})
    elapsed = time.perf_counter() - started
    assert summary["products"] == 100000 and summary["productIds"] == [1001, 101000]
    # Speed is measured in sandbox/README.md; here only "fast enough for the benchmarks",
    # generous so a machine busy with other work does not fail it.
    assert elapsed < 60, elapsed
    found = bp.get("product-service/product-search?SKU=VINTAGE-NOTEBOOK-00000-RS").json()["response"]
    assert found["results"][0][0] == 1001
    started = time.perf_counter()
    assert bp.get("product-service/product/100801-101000").status_code == 200
    assert bp.get("warehouse-service/product-availability/100801-101000").status_code == 200
    assert time.perf_counter() - started < 20
    assert bp.control("GET", "/state")["counts"]["products"] == 100000


def test_stock_change_makes_a_movement_and_a_webhook(bp, receiver):
    subscribe(bp, receiver, "product.modified.on-hand-modified")
    answer = bp.control("POST", "/stock", {"sku": "VINTAGE-NOTEBOOK-00000-RS", "warehouseId": 3, "delta": 4})
    assert answer["availability"]["1001"]["warehouses"]["3"]["onHand"] == 4
    body = json.loads(receiver.wait_for(1)[0]["body"])
    assert body["id"] == "1001"
    search = bp.get("warehouse-service/goods-movement-search?productId=1001").json()["response"]
    names = [c["name"] for c in search["metaData"]["columns"]]
    row = dict(zip(names, search["results"][0]))
    assert row["quantity"] == 4 and row["warehouseId"] == 3 and row["goodsNoteTypeCode"] == "SC"
    refused = requests.post(f"{bp.url}/_sandbox/stock", json={"productId": 1001, "warehouseId": 3, "delta": -5}, timeout=5)
    assert refused.status_code == 400


def test_faults_by_route_method_and_count(bp):
    bp.control("POST", "/faults", {"route": "product-service/product/", "method": "GET", "status": 500, "count": 2})
    assert bp.get("product-service/product/1001").status_code == 500
    assert bp.get("product-service/product/1001").json()["errors"][0]["code"] == "CMNU-003"
    assert bp.get("product-service/product/1001").status_code == 200
    bp.control("POST", "/faults", {"route": "warehouse", "status": 503, "body": {"response": "down"}})
    answer = bp.get("warehouse-service/warehouse")
    assert answer.status_code == 503 and answer.json() == {"response": "down"}
    assert "brightpearl-requests-remaining" in answer.headers
    bp.control("DELETE", "/faults")
    bp.control("POST", "/faults", {"route": "warehouse", "latency_ms": [100, 120]})
    started = time.perf_counter()
    assert bp.get("warehouse-service/warehouse").status_code == 200
    assert time.perf_counter() - started >= 0.1
    bp.control("DELETE", "/faults")


def test_slow_answer_still_applies_the_write(bp):
    bp.control("POST", "/faults", {"route": "sales-order$", "method": "POST", "timeout_seconds": 0.5, "count": 1})
    try:
        bp.order(externalRef="wc-timeout", timeout=0.2)
        raise AssertionError("expected a timeout")
    except requests.Timeout:
        pass
    time.sleep(0.4)
    rows = bp.get("order-service/order-search?externalRef=wc-timeout").json()["response"]["results"]
    assert len(rows) == 1
    assert bp.order(externalRef="wc-timeout").json()["response"] == rows[0][0]


def test_request_counts_per_route_template(bp):
    bp.control("DELETE", "/requests")
    bp.get("product-service/product/1001")
    bp.get("product-service/product/1002-1003")
    bp.order()
    counts = bp.control("GET", "/requests")
    routes = {(r["method"], r["route"]): r for r in counts["routes"]}
    assert routes[("GET", "/public-api/<account>/product-service/product/<idset>")]["count"] == 2
    assert routes[("POST", "/public-api/<account>/order-service/sales-order")]["count"] == 1
    assert counts["total"] >= 3 and counts["throttled"] == 0


def test_reset_and_state(bp):
    bp.order()
    state = bp.control("GET", "/state")
    assert state["counts"]["orders"] == 1 and state["account"] == "sandbox"
    bp.control("POST", "/reset")
    assert bp.control("GET", "/state")["counts"]["products"] == 0


def test_state_survives_a_restart_with_state_path(tmp_path):
    path = str(tmp_path / "bp.sqlite")
    server = serve_in_thread(create_app(state_path=path))
    client = BrightpearlClient(server.url)
    client.control("POST", "/seed", {"products": 30, "customers": 3})
    order_id = client.order(externalRef="wc-persist").json()["response"]
    server.stop()
    server = serve_in_thread(create_app(state_path=path))
    try:
        client = BrightpearlClient(server.url)
        assert client.get(f"order-service/order/{order_id}").json()["response"][0]["id"] == order_id
        assert client.order(externalRef="wc-persist").json()["response"] == order_id
        assert client.order().json()["response"] == order_id + 1
    finally:
        server.stop()
