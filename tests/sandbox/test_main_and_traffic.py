"""python -m sandbox and the shop-day traffic: both emulators up and seeded alike, a valid day."""
import base64
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
import requests

from sandbox.brightpearl import create_app as bp_app
from sandbox.server import serve_in_thread
from sandbox.traffic import run
from sandbox.traffic_known import (ALL_SHIPPED, NOT_SHIPPED, BpOrder, Known, ShippedNote,
                                   WooOrder, learn_bp_levels, learn_woo_order, learn_woo_products,
                                   record_sale)
from sandbox.traffic_plan import checkout, next_action, partial_rows, refund, stock
from sandbox.woocommerce import create_app as woo_app

WOO_AUTH = ("ck_sandbox", "cs_sandbox")
BP_HEADERS = {"brightpearl-app-ref": "sandbox_pearlbridge",
              "brightpearl-staff-token": "sandbox-staff-token"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sandbox(*extra):
    """python -m sandbox as a real process on free ports; returns (process, woo url, bp url)."""
    woo_port, bp_port = free_port(), free_port()
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "--woo-port", str(woo_port),
                                "--bp-port", str(bp_port), "--products", "30", "--customers", "5",
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    urls = f"http://127.0.0.1:{woo_port}", f"http://127.0.0.1:{bp_port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            for url in urls:
                requests.get(f"{url}/_sandbox/state", timeout=1).raise_for_status()
            return (process, *urls)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"python -m sandbox did not come up: {process.communicate()[0]}")


def stop(process):
    """SIGTERM, and the output once it has exited (asserting a clean exit)."""
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=10)[0]
    assert process.returncode == 0, output
    return output


def woo_skus(url):
    products = requests.get(f"{url}/wp-json/wc/v3/products", params={"per_page": 100},
                            auth=WOO_AUTH, timeout=5).json()
    for parent in [p for p in products if p["type"] == "variable"]:
        products += requests.get(f"{url}/wp-json/wc/v3/products/{parent['id']}/variations",
                                 auth=WOO_AUTH, timeout=5).json()
    return {p["sku"] for p in products if p["type"] != "variable"}


def bp_search(url, path, **params):
    return requests.get(f"{url}/public-api/sandbox/{path}", params=params, headers=BP_HEADERS,
                        timeout=5).json()["response"]["results"]


def test_sandbox_serves_both_seeded_alike_and_stops_on_sigterm():
    process, woo, bp = start_sandbox()
    try:
        assert woo_skus(woo) == {row[0] for row in bp_search(
            bp, "product-service/product-search", columns="SKU", pageSize=500)}
        assert requests.get(f"{woo}/_sandbox/state", timeout=5).json()["customers"] == 5
        assert requests.get(f"{bp}/_sandbox/state", timeout=5).json()["counts"]["contacts"] == 5
    finally:
        output = stop(process)
    lines = output.splitlines()
    assert f"WooCommerce  {woo}  consumer key ck_sandbox, secret cs_sandbox" in lines[0]
    assert f"Brightpearl  {bp}/public-api/sandbox  app ref sandbox_pearlbridge" in lines[1]
    assert "sandbox: stopped" in lines[-1]


def test_state_dir_keeps_the_day_instead_of_reseeding(tmp_path):
    process, woo, _ = start_sandbox("--state-dir", str(tmp_path))
    try:
        made = requests.post(f"{woo}/_sandbox/checkout", json={
            "customer_index": 0, "lines": [{"sku": sorted(woo_skus(woo))[0], "quantity": 1}],
            "payment_method": "stripe", "status": "pending"}, timeout=5)
        assert made.status_code == 201, made.text
    finally:
        stop(process)
    process, woo, _ = start_sandbox("--state-dir", str(tmp_path))
    try:
        assert requests.get(f"{woo}/_sandbox/state", timeout=5).json()["orders"] == 1
    finally:
        assert f"state kept in {tmp_path}" in stop(process)


@pytest.fixture(scope="module")
def woo():
    app = woo_app(delivery_delay=0)
    client = app.test_client()
    client.post("/_sandbox/seed", json={"products": 60, "customers": 25, "seed": 7})
    return client


def known_from(client):
    """Known, learned from an in-process store the way the generator learns it over HTTP."""
    auth = {"Authorization": "Basic " + base64.b64encode(b"ck_sandbox:cs_sandbox").decode()}
    products = client.get("/wp-json/wc/v3/products?per_page=100", headers=auth).get_json()
    for parent in [p for p in products if p["type"] == "variable"]:
        products += client.get(f"/wp-json/wc/v3/products/{parent['id']}/variations",
                               headers=auth).get_json()
    known = Known(customers=client.get("/_sandbox/state").get_json()["customers"])
    learn_woo_products(known, products)
    return known


def test_checkouts_are_valid_and_mostly_returning_customers(woo):
    rng, known = random.Random(5), known_from(woo)
    bodies = []
    for _ in range(150):
        body = checkout(rng, known).body
        answer = woo.post("/_sandbox/checkout", json=body)
        assert answer.status_code == 201, (body, answer.get_json())
        record_sale(known, body["lines"])
        learn_woo_order(known, answer.get_json())
        bodies.append(body)
    assert all(1 <= len(b["lines"]) <= 3 and b["status"] == ("on-hold" if b["payment_method"] == "bacs"
                                                               else "processing") for b in bodies)
    free = [b for b in bodies if b["shipping"]["method_id"] == "free_shipping"]
    assert free and all(sum(known.prices[l["sku"]] * l["quantity"] for l in b["lines"]) >= 50
                        for b in free)
    known.clock = 1000.0
    for _ in range(30):  # admin refunds on those orders: accepted, never more than was paid
        action = refund(rng, known)
        answer = woo.post(f"/_sandbox/orders/{action.target}/refund", json=action.body)
        assert answer.status_code == 201, (action, answer.get_json())
        known.woo_orders[action.target].refunded += Decimal(answer.get_json()["amount"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_returning_customer_share_is_about_seventy_percent(seed):
    rng, known = random.Random(seed), Known(stock={"A": None, "B": 4, "C": 0}, customers=10)
    bodies = [checkout(rng, known).body for _ in range(3000)]
    assert 0.67 < sum("customer_index" in b for b in bodies) / len(bodies) < 0.73
    assert all(line["sku"] in ("A", "B") and line["quantity"] <= (4 if line["sku"] == "B" else 3)
               for b in bodies for line in b["lines"])


def order(status_id, shipping, age):
    return {1: BpOrder(1, status_id, shipping, seen_at=100.0 - age)}


@pytest.mark.parametrize("orders, woo_orders, expected", [
    ({}, {}, None),                                                     # an empty shop: nothing
    (order(2, NOT_SHIPPED, 5), {}, None),                               # too fresh to pick
    (order(2, NOT_SHIPPED, 20), {}, ("bp_status", {"orderStatusId": 5})),
    (order(5, NOT_SHIPPED, 20), {}, None),                              # ready, not yet shipped
    (order(5, NOT_SHIPPED, 40), {}, ("ship", "shippingMethodId")),
    (order(5, ALL_SHIPPED, 40), {}, ("bp_status", {"orderStatusId": 6})),
    (order(8, NOT_SHIPPED, 90), {}, None),                              # cancelled: left alone
    ({}, {7: WooOrder(7, "7", "on-hold", "bacs", "GBP", Decimal("20"), Decimal(0), [], 0.0)},
     ("woo_status", "status")),
])
def test_staff_act_on_orders_only_when_due(orders, woo_orders, expected):
    known = Known(clock=100.0, bp_orders=orders, woo_orders=woo_orders)
    actions = [next_action(random.Random(i), known) for i in range(20)]
    if expected is None:
        assert actions == [None] * 20
    else:
        kind, body = expected
        assert {a.kind for a in actions} == {kind}
        assert all((body in a.body) if isinstance(body, str) else a.body == body for a in actions)


def test_a_paid_order_not_yet_picked_may_be_refunded_in_full():
    paid = WooOrder(7, "7", "processing", "stripe", "GBP", Decimal("20.00"), Decimal(0), [], 95.0)
    known = Known(clock=100.0, woo_orders={7: paid},
                  bp_orders={1: BpOrder(1, 2, NOT_SHIPPED, seen_at=95.0, woo_id=7)})
    actions = [next_action(random.Random(i), known) for i in range(20)]
    assert {a.kind for a in actions} == {"full_refund"}
    assert actions[0].target == 7 and actions[0].body["amount"] == "20.00"
    assert actions[0].note == "1"  # the Brightpearl order, left alone once refunded
    known.bp_orders[1].status_id = 5  # picked (ready to ship): too late to cancel
    later = next_action(random.Random(1), known)
    assert later is None or later.kind != "full_refund"


def test_a_shipped_notes_tracking_is_corrected_once_and_soon():
    note = ShippedNote(7003, 1, "RM123456789GB", seen_at=70.0)
    known = Known(clock=100.0, shipped_notes={7003: note})
    action = next_action(random.Random(2), known)
    assert action.kind == "tracking" and action.target == 7003
    assert action.body["reference"].startswith("RM") and action.body["reference"] != note.reference
    note.corrected = True
    assert next_action(random.Random(2), known) is None


def test_stock_changes_are_accepted_by_brightpearl():
    client = bp_app().test_client()
    client.post("/_sandbox/seed", json={"products": 60, "customers": 5, "seed": 7})
    found = client.get("/public-api/sandbox/product-service/product-search?stockTracked=true"
                       "&columns=productId,SKU&pageSize=500", headers=BP_HEADERS).get_json()
    known, rng = Known(bp_products=dict(found["response"]["results"])), random.Random(4)
    notes = set()
    for _ in range(200):
        action = stock(rng, known)
        answer = client.post("/_sandbox/stock", json=action.body)
        assert answer.status_code == 200, (action, answer.get_json())
        learn_bp_levels(known, answer.get_json()["availability"])
        notes.add(action.note)
    assert notes == {"supplier delivery", "goods in", "damaged in the warehouse", "stock take"}


@pytest.mark.parametrize("rows, expected", [
    ([(11, 2), (12, 1)], ({11}, {12})),          # one row of several
    ([(11, 3)], ({"rowId": 11, "quantity": 1},)),  # one unit of a single row
    ([(11, 1)], (None,)),                         # nothing to split
])
def test_partial_shipments(rows, expected):
    picked = partial_rows(random.Random(1), rows)
    assert (set(picked) if isinstance(picked, list) and isinstance(picked[0], int)
            else picked[0] if picked else None) in expected


def test_a_shop_day_against_the_running_sandbox():
    process, woo, bp = start_sandbox()
    try:
        for index in range(4):  # sales orders as the service would create them
            made = requests.post(f"{bp}/public-api/sandbox/order-service/sales-order", headers=BP_HEADERS,
                                 json={"customer": {"id": 201}, "ref": f"WC-{index}", "channelId": 2,
                                       "warehouseId": 2, "currency": {"code": "GBP"},
                                       "rows": [{"productId": 1002 + index, "quantity": "1",
                                                 "net": "10.00", "tax": "2.00", "taxCode": "T"}]},
                                 timeout=5)
            assert made.status_code == 200, made.text
        day = subprocess.run([sys.executable, "-m", "sandbox.traffic", "--woo-url", woo, "--bp-url", bp,
                              "--duration", "3", "--speed", "20"], capture_output=True, text=True,
                             timeout=30)
        orders = requests.get(f"{woo}/wp-json/wc/v3/orders", auth=WOO_AUTH, timeout=5).json()
        movements = bp_search(bp, "warehouse-service/goods-movement-search", goodsNoteTypeCode="SC")
        moved = bp_search(bp, "order-service/order-search", orderTypeId=1, orderStatusId=5) + \
            bp_search(bp, "order-service/order-search", orderTypeId=1, orderStatusId=6)
    finally:
        stop(process)
    assert day.returncode == 0 and "Traceback" not in day.stderr, day.stderr
    lines = day.stdout.splitlines()
    assert orders and any(line.startswith("woo  checkout  #") for line in lines)
    assert movements and any(line.startswith("bp   stock") for line in lines)
    assert moved and any(line.startswith("bp   status") for line in lines)
    assert "skipped" not in day.stdout, day.stdout


def test_the_day_survives_a_store_reset_and_a_missing_brightpearl():
    server = serve_in_thread(woo_app(delivery_delay=0))
    requests.post(f"{server.url}/_sandbox/seed", json={"products": 20, "customers": 5}, timeout=5)
    lines, result = [], {}
    day = threading.Thread(target=lambda: result.update(done=run(
        server.url, f"http://127.0.0.1:{free_port()}", speed=20, seed=3, duration=2,
        say=lines.append)))
    try:
        day.start()
        time.sleep(0.6)
        requests.post(f"{server.url}/_sandbox/reset", timeout=5)  # as if it restarted empty
        day.join(timeout=10)
    finally:
        server.stop()
    assert not day.is_alive() and result["done"] > 0
    assert any(line.startswith("traffic: could not read bp") for line in lines)
    assert any(line.startswith("traffic: checkout skipped (WooCommerce answered 400") for line in lines)
