"""Fixtures for the WooCommerce emulator's contract tests: a served store, a client, a receiver."""
import threading

import pytest
import requests
from flask import Flask, request

from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app

KEY, SECRET = "ck_sandbox", "cs_sandbox"


class Store:
    """A running emulator: .url, .api (an authenticated session) and control helpers."""

    def __init__(self, server):
        self.server, self.url = server, server.url
        self.api = requests.Session()
        self.api.auth = (KEY, SECRET)

    def wc(self, path):
        """Absolute URL of a wc/v3 route."""
        return f"{self.url}/wp-json/wc/v3/{path.lstrip('/')}"

    def control(self, method, path, **kwargs):
        """Call the /_sandbox control API and return the response."""
        return requests.request(method, f"{self.url}/_sandbox/{path.lstrip('/')}", timeout=30, **kwargs)

    def seed(self, products=40, customers=5, seed=7):
        """Seed the demo catalog."""
        return self.control("POST", "seed", json={"products": products, "customers": customers, "seed": seed}).json()

    def by_sku(self, sku):
        """The product or variation holding sku."""
        return self.api.get(self.wc("products"), params={"sku": sku}).json()[0]

    def flush(self):
        """Deliver pending webhooks now."""
        return self.control("POST", "webhooks/flush").json()["delivered"]


class Receiver:
    """A webhook receiver recording each request; answers with .status (or pops .statuses)."""

    def __init__(self):
        self.requests, self.status, self.statuses = [], 200, []
        self.lock = threading.Lock()
        app = Flask("receiver")

        @app.post("/hook")
        def hook():
            with self.lock:
                self.requests.append({"headers": dict(request.headers), "body": request.get_data(),
                                      "form": request.form.to_dict()})
                status = self.statuses.pop(0) if self.statuses else self.status
            return "", status

        self.server = serve_in_thread(app)
        self.url = f"{self.server.url}/hook"

    def deliveries(self):
        """Recorded requests that are deliveries (not pings)."""
        with self.lock:
            return [r for r in self.requests if "X-Wc-Webhook-Topic" in r["headers"]]

    def pings(self):
        """Recorded ping requests."""
        with self.lock:
            return [r for r in self.requests if r["form"].get("webhook_id")]


@pytest.fixture
def store():
    """A fresh emulator over real HTTP with a short delivery delay."""
    server = serve_in_thread(create_app(delivery_delay=0.05, delivery_timeout=5))
    yield Store(server)
    server.stop()


@pytest.fixture
def receiver():
    """A webhook receiver over real HTTP."""
    hook = Receiver()
    yield hook
    hook.server.stop()


def make_webhook(store, receiver, topic, **extra):
    """Create a webhook through REST and return (its JSON, its secret from /_sandbox/state)."""
    created = store.api.post(store.wc("webhooks"), json=dict({"name": topic, "topic": topic,
                                                               "delivery_url": receiver.url}, **extra)).json()
    state = store.control("GET", "state").json()
    secret = next(w["secret"] for w in state["webhooks"] if w["id"] == created["id"])
    return created, secret
