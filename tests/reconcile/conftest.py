"""A shop whose two platforms agree, kept in step by Pearlbridge itself over real HTTP, and
the helpers that plant drift through the emulators' control APIs (never through Pearlbridge).

Order A: paid, with a refund of 5.00. Order B: shipped in full (tracking written, completed).
Every flow on with the demo's settings; the products flow wrote the catalog once.
"""
from dataclasses import dataclass
from datetime import timedelta

import pytest

from demo.flows import DEMO_SETTINGS
from models.base import utcnow
from models.db import connection
from models.flows import save_flow
from models.links import OrderLink
from models.reconcile import OPEN, Discrepancy
from models.users import User
from tests.staff import PASSWORD, post, sign_in

SETTINGS = dict(DEMO_SETTINGS, orders=dict(DEMO_SETTINGS["orders"], payment_methods={
    "stripe": "STRIPE", "bacs": "BACS", "paypal": "PAYPAL"}),
    inventory={"warehouse_ids": [], "buffer_all": 0})


@dataclass
class Shop:
    """The running pair, its two orders, and helpers to drive both sides."""

    platforms: object
    work: object
    order_a: dict = None
    order_b: dict = None

    def checkout(self, email="ada@example.com", lines=None):
        """A paid storefront checkout (webhooks deliver it unless muted)."""
        return self.platforms.woo_control("checkout", {
            "email": email, "lines": lines or [{"sku": s, "quantity": 1} for s in self.skus(2)],
            "payment_method": "stripe", "status": "processing", "tax_rate": "20",
            "shipping": {"method_id": "flat_rate", "total": "4.99"}})

    def skus(self, count, skip=0):
        """SKUs of stock-managed simple products both platforms hold."""
        products = self.platforms.woo("GET", "/products", params={"per_page": 50,
                                                                  "type": "simple"})
        return [p["sku"] for p in products if p.get("sku") and p.get("manage_stock")][
            skip:skip + count]

    def bp_order_id(self, order):
        """The Brightpearl order Pearlbridge created for a Woo order."""
        return OrderLink.get(OrderLink.woo_order_id == order["id"]).bp_order_id

    def settle(self):
        """Deliver webhooks and run jobs until quiet."""
        self.platforms.settle(self.work)

    def mute(self, muted=True):
        """Lose (or stop losing) both platforms' webhook deliveries."""
        self.platforms.woo_control("webhooks/config", {"muted": muted})
        self.platforms.bp_control("webhooks/config", {"muted": muted})

    def reconcile(self):
        """A run over the last day; the stored run."""
        from jobs.reconcile.run import reconcile

        return reconcile(utcnow() - timedelta(days=1), utcnow() + timedelta(minutes=1))

    def open(self, kind=None):
        """Open discrepancies (of one kind)."""
        query = Discrepancy.select().where(Discrepancy.status == OPEN)
        if kind:
            query = query.where(Discrepancy.kind == kind)
        return list(query.order_by(Discrepancy.id))


@pytest.fixture
def shop(platforms, work):
    """Both platforms in step through Pearlbridge: catalog written, orders A and B synced."""
    from jobs.products.handlers import resync_all

    platforms.woo_control("seed", {"products": 30, "customers": 6, "seed": 7})
    platforms.bp_control("seed", {"products": 30, "customers": 0, "seed": 7})
    with connection():
        for name, settings in SETTINGS.items():
            save_flow(name, "test", enabled=True, settings=settings)
        found = Shop(platforms, work)
        found.mute()  # the catalog written now needs no product webhooks echoed back
        resync_all(force=True)
        found.mute(False)
        found.order_a = found.checkout("ada@example.com")
        found.order_b = found.checkout("bo@example.com", [{"sku": found.skus(1, 2)[0],
                                                          "quantity": 1}])
        found.settle()
        platforms.woo_control(f"orders/{found.order_a['id']}/refund",
                              {"amount": "5.00", "reason": "late delivery"})
        platforms.bp_control(f"orders/{found.bp_order_id(found.order_b)}/ship",
                             {"reference": "TRACK-B-1", "shippingMethodId": 49})
        found.settle()
        yield found


@pytest.fixture
def shop_staff(platforms, shop):
    """A signed-in staff client of the shop's app."""
    with connection():
        user = User(username="ann")
        user.set_password(PASSWORD)
        user.save()
    client = platforms.app.test_client()
    assert sign_in(client).status_code == 302
    client.post_form = lambda path, data=None: post(client, path, data)
    return client
