"""Inventory tests against both emulators over real HTTP, the app's settings pointed at them."""
import time
from types import SimpleNamespace

import pytest
import requests

from models.db import db
from models.flows import save_flow
from sandbox.brightpearl import create_app as brightpearl_app
from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app as woocommerce_app
from tests.conftest import TEST_SETTINGS

ACCOUNT = "testacct"


class Sandbox:
    """One running emulator: its URL and a session for its /_sandbox control API."""

    def __init__(self, server):
        self.server, self.url = server, server.url
        self.http = requests.Session()

    def control(self, method, path, json=None):
        """Call the control API; returns the parsed answer."""
        response = self.http.request(method, f"{self.url}/_sandbox{path}", json=json, timeout=30)
        assert response.status_code < 400, response.text
        return response.json()


@pytest.fixture
def sandboxes():
    """Brightpearl and WooCommerce emulators, accepting the test settings' credentials."""
    bp = serve_in_thread(brightpearl_app(
        account=ACCOUNT, app_ref=TEST_SETTINGS["BRIGHTPEARL_APP_REF"],
        staff_token=TEST_SETTINGS["BRIGHTPEARL_STAFF_TOKEN"]))
    woo = serve_in_thread(woocommerce_app(
        consumer_key=TEST_SETTINGS["WOO_CONSUMER_KEY"],
        consumer_secret=TEST_SETTINGS["WOO_CONSUMER_SECRET"]))
    yield SimpleNamespace(bp=Sandbox(bp), woo=Sandbox(woo))
    bp.stop()
    woo.stop()


@pytest.fixture
def settings(settings, sandboxes, monkeypatch):
    """The test settings, with both platforms' URLs pointing at the emulators."""
    values = dict(settings, WOO_URL=sandboxes.woo.url,
                  BRIGHTPEARL_URL=f"{sandboxes.bp.url}/public-api/{ACCOUNT}")
    for name in ("WOO_URL", "BRIGHTPEARL_URL"):
        monkeypatch.setenv(name, values[name])
    return values


@pytest.fixture
def stock(app, sandboxes, settings, redis_connection, work):
    """A seeded pair of platforms, the inventory flow on, and helpers to drive it."""
    return StockWorld(app, sandboxes, settings, redis_connection, work)


class StockWorld:
    """The test's view of both platforms and of the service's stock work."""

    def __init__(self, app, sandboxes, settings, redis_connection, work):
        self.app, self.bp, self.woo = app, sandboxes.bp, sandboxes.woo
        self.settings, self.redis, self.work = settings, redis_connection, work

    def seed(self, products=40, bundles=0):
        """Seed both platforms from the same demo catalog; returns the Brightpearl summary."""
        summary = self.bp.control("POST", "/seed", {"products": products, "customers": 0,
                                                    "bundles": bundles})
        self.woo.control("POST", "/seed", {"products": products, "customers": 0})
        return summary

    def enable(self, **flow_settings):
        """Switch the inventory flow on with these settings."""
        with db.connection_context():
            save_flow("inventory", "test", enabled=True, settings=flow_settings)

    def run(self):
        """Run the stock worker (and anything else queued) to completion, in-process."""
        from jobs.inventory.worker import run_stock_work
        self.work()
        return run_stock_work()

    def tick(self):
        """One poller delta tick (enqueue the worker) and run what it queued."""
        from jobs.inventory.handlers import TICK_KEY, delta_tick
        from jobs.inventory.worker import SCAN_KEY
        self.redis.delete(TICK_KEY, SCAN_KEY)  # the overlap re-read keeps its once-a-minute pace
        with db.connection_context():
            delta_tick(self.settings, self.redis)
        self.work()

    def set_stock(self, sku, on_hand, warehouse=2):
        """Set a product's on hand in one Brightpearl warehouse (a stock correction)."""
        return self.bp.control("POST", "/stock", {"sku": sku, "warehouseId": warehouse,
                                                  "onHand": on_hand})

    def set_stock_delta(self, sku, delta, warehouse=2):
        """Move a product's on hand by delta in one warehouse."""
        return self.bp.control("POST", "/stock", {"sku": sku, "warehouseId": warehouse,
                                                  "delta": delta})

    def woo_product(self, sku):
        """The store's product or variation with this SKU (through the REST API)."""
        response = requests.get(f"{self.woo.url}/wp-json/wc/v3/products",
                                params={"sku": sku}, auth=(self.settings["WOO_CONSUMER_KEY"],
                                                           self.settings["WOO_CONSUMER_SECRET"]),
                                timeout=10)
        found = [p for p in response.json() if p["sku"] == sku]
        return found[0] if found else None

    def woo_requests(self):
        """The store's request counts per route."""
        return self.woo.control("GET", "/requests")

    def wait_until(self, predicate, timeout=10.0):
        """Poll predicate until true or timeout; returns its last value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)
