"""Contract: the /_sandbox control API — seeding, checkout, faults, request counts, persistence."""
import time

import requests

from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app
from tests.sandbox.woo_fixtures import KEY, SECRET, make_webhook, receiver, store  # noqa: F401  (fixtures)


def test_seed_100k_products_quickly(store):
    started = time.perf_counter()
    counts = store.seed(products=100_000, customers=50)
    elapsed = time.perf_counter() - started
    # Speed is measured in sandbox/README.md; here only "fast enough for the benchmarks",
    # generous so a machine busy with other work does not fail it.
    assert elapsed < 60, elapsed
    assert counts["simple"] + counts["variation"] == 100_000 and counts["customers"] == 50
    assert counts["products"] == 100_000 + counts["variable"]
    started = time.perf_counter()
    found = store.api.get(store.wc("products"), params={"sku": "VINTAGE-NOTEBOOK-00000-RS"}).json()
    assert found[0]["sku"] == "VINTAGE-NOTEBOOK-00000-RS" and time.perf_counter() - started < 10
    page = store.api.get(store.wc("products"), params={"per_page": 100, "page": 3})
    assert len(page.json()) == 100 and int(page.headers["X-WP-TotalPages"]) > 100


def test_checkout_reduces_managed_stock_and_fires_webhooks(store, receiver):
    store.seed(products=12, customers=3)
    make_webhook(store, receiver, "order.created")
    make_webhook(store, receiver, "product.updated")
    before = store.by_sku("VINTAGE-TOTE-00002")["stock_quantity"]
    unmanaged = store.by_sku("VINTAGE-NOTEBOOK-00000-GM")
    response = store.control("POST", "checkout", json={
        "customer_index": 1, "lines": [{"sku": "VINTAGE-TOTE-00002", "quantity": 3},
                                       {"sku": "VINTAGE-NOTEBOOK-00000-GM", "quantity": 1}],
        "fees": [{"name": "Gift wrap", "total": "2.00"}], "tax_rate": "20"})
    assert response.status_code == 201
    order = response.json()
    assert order["status"] == "processing" and order["customer_id"] > 0 and order["fee_lines"][0]["total"] == "2.00"
    assert store.by_sku("VINTAGE-TOTE-00002")["stock_quantity"] == before - 3
    assert store.by_sku("VINTAGE-NOTEBOOK-00000-GM")["stock_quantity"] is None is unmanaged["stock_quantity"]
    store.flush()
    topics = sorted(d["headers"]["X-Wc-Webhook-Topic"] for d in receiver.deliveries())
    assert topics == ["order.created", "product.updated"]
    too_many = store.control("POST", "checkout", json={"lines": [{"sku": "VINTAGE-TOTE-00002", "quantity": 999}]})
    assert too_many.status_code == 400


def test_admin_status_change_fires_order_updated(store, receiver):
    store.seed(products=12)
    order = store.control("POST", "checkout", json={"lines": [{"sku": "VINTAGE-TOTE-00002", "quantity": 1}]}).json()
    make_webhook(store, receiver, "order.updated")
    changed = store.control("POST", f"orders/{order['id']}/status", json={"status": "completed"}).json()
    assert changed["status"] == "completed"
    store.flush()
    assert [d["headers"]["X-Wc-Webhook-Topic"] for d in receiver.deliveries()] == ["order.updated"]


def test_faults_errors_429_latency_and_count(store):
    store.control("POST", "faults", json={"route": "/products$", "status": 503, "error_rate": 1, "count": 2})
    assert [store.api.get(store.wc("products")).status_code for _ in range(3)] == [503, 503, 200]
    store.control("POST", "faults", json={"route": "/orders", "method": "GET", "status": 429, "retry_after": 7})
    throttled = store.api.get(store.wc("orders"))
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    store.control("DELETE", "faults")
    store.control("POST", "faults", json={"route": "/orders", "latency_ms": 150})
    started = time.perf_counter()
    assert store.api.get(store.wc("orders")).status_code == 200 and time.perf_counter() - started >= 0.15
    store.control("DELETE", "faults")
    store.control("POST", "faults", json={"route": "/orders", "timeout_seconds": 2})
    try:
        store.api.get(store.wc("orders"), timeout=0.3)
        raise AssertionError("expected a client timeout")
    except requests.Timeout:
        pass
    store.control("DELETE", "faults")
    fatal = store.control("POST", "faults", json={"route": ".*", "status": 500})
    assert fatal.status_code == 201
    assert store.api.get(store.wc("orders")).json()["code"] == "internal_server_error"


def test_request_counts_per_route_template(store):
    store.seed(products=12)
    store.control("DELETE", "requests")
    product = store.by_sku("VINTAGE-TOTE-00002")
    for _ in range(3):
        store.api.get(store.wc(f"products/{product['id']}"))
    store.api.post(store.wc("products/batch"), json={"update": [{"id": product["id"], "name": "n"}]})
    counts = store.control("GET", "requests").json()
    assert counts["counts"]["GET /wp-json/wc/v3/products/{product_id}"] == 3
    assert counts["counts"]["GET /wp-json/wc/v3/products"] == 1
    assert counts["counts"]["POST /wp-json/wc/v3/products/batch"] == 1 and counts["total"] == 5
    assert store.control("DELETE", "requests").json()["total"] == 0


def test_reset_and_state(store, receiver):
    store.seed(products=12)
    make_webhook(store, receiver, "order.created")
    state = store.control("GET", "state").json()
    assert state["products"] == 13 and len(state["webhooks"]) == 1 and state["settings"]["tracking_extension"]
    store.control("POST", "reset")
    state = store.control("GET", "state").json()
    assert state["products"] == 0 and state["webhooks"] == []


def test_state_file_survives_a_restart(tmp_path):
    path = str(tmp_path / "woo.sqlite")
    server = serve_in_thread(create_app(state_path=path, tracking_extension=False))
    requests.post(f"{server.url}/_sandbox/seed", json={"products": 12})
    created = requests.post(f"{server.url}/wp-json/wc/v3/products", auth=(KEY, SECRET),
                            json={"name": "Kept", "sku": "KEEP-1", "manage_stock": True, "stock_quantity": 5}).json()
    server.stop()
    server = serve_in_thread(create_app(state_path=path))
    try:
        again = requests.get(f"{server.url}/wp-json/wc/v3/products/{created['id']}", auth=(KEY, SECRET)).json()
        assert again["sku"] == "KEEP-1" and again["stock_quantity"] == 5
        assert requests.get(f"{server.url}/wp-json/wc/v3/products", params={"sku": "KEEP-1"},
                            auth=(KEY, SECRET)).json()[0]["id"] == created["id"]
        state = requests.get(f"{server.url}/_sandbox/state").json()
        assert state["products"] == 14 and state["settings"]["tracking_extension"] is False
    finally:
        server.stop()
