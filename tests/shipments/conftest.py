"""Fixtures for the shipments flow's tests: both emulators, the flow on, and store orders."""
import pytest

from models.db import connection
from models.flows import save_flow
from models.links import OrderLink
from tests.products.sandboxes import platforms  # noqa: F401 - a fixture

# The demo catalog (seed 7): a 6-variant group, then two simple products; the same SKUs in both.
LINES = (("CLASSIC-CAP-00001", 1007, 2), ("VINTAGE-NOTEBOOK-00000-RS", 1001, 1),
         ("VINTAGE-TOTE-00002", 1008, 1))


@pytest.fixture
def db(app):
    """A connection held for the test (jobs run in-process reuse it)."""
    with connection() as database:
        yield database


@pytest.fixture
def shipments_flow(db):
    """Turn the shipments flow on; returns a function to change its settings."""
    def configure(**settings):
        save_flow("shipments", "test", enabled=True,
                  settings={"tracking_providers": {"49": "Royal Mail"}, **settings})

    configure()
    return configure


@pytest.fixture
def store_order(platforms, shipments_flow):
    """make() → (Woo order, Brightpearl order id, {sku: Brightpearl row id}): a Woo checkout,
    the sales order the orders flow would have made from it (rows' externalRef = Woo line
    ids), and the OrderLink between them."""
    platforms.bp.control("POST", "seed", {"products": 8, "customers": 2})
    platforms.woo.control("POST", "seed", {"products": 8, "customers": 2})
    platforms.bp.control("POST", "stock", {"changes": [
        {"productId": pid, "warehouseId": 2, "onHand": 50} for _, pid, _ in LINES]})

    def make(lines=LINES):
        order = platforms.woo.control("POST", "checkout", {
            "customer_index": 0, "lines": [{"sku": s, "quantity": q} for s, _, q in lines]})
        by_sku = {line["sku"]: line for line in order["line_items"]}
        bp_order_id = platforms.bp.api("POST", "order-service/sales-order", {
            "customer": {"id": 201}, "ref": f"WC-{order['number']}", "externalRef": str(order["id"]),
            "channelId": 2, "warehouseId": 2, "currency": {"code": "GBP"},
            "delivery": {"shippingMethodId": 49},
            "rows": [{"productId": pid, "quantity": str(q), "net": "10.00", "tax": "2.00",
                      "taxCode": "T", "externalRef": str(by_sku[s]["id"])} for s, pid, q in lines]})
        rows = platforms.bp.api("GET", f"order-service/sales-order/{bp_order_id}")[0]["rows"]
        OrderLink.create(woo_order_id=order["id"], bp_order_id=bp_order_id, state="created")
        return order, bp_order_id, {r["sku"]: r["id"] for r in rows}

    return make
