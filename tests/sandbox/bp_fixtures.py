"""Fixtures for the Brightpearl emulator's contract tests: a served emulator and a hook receiver."""
import threading
import time

import pytest
import requests
from flask import Flask, request

from sandbox.brightpearl import create_app
from sandbox.server import serve_in_thread

ACCOUNT = "sandbox"
STAFF_HEADERS = {"brightpearl-app-ref": "sandbox_pearlbridge",
                 "brightpearl-staff-token": "sandbox-staff-token"}


class BrightpearlClient:
    """Plain HTTP against a served emulator: api() for /public-api, control() for /_sandbox."""

    def __init__(self, url, headers=None):
        self.url, self.session = url, requests.Session()
        self.headers = dict(STAFF_HEADERS if headers is None else headers)

    def api(self, method, path, headers=None, timeout=10, **kwargs):
        """Call /public-api/sandbox/{path} with the staff-token headers (or the given ones)."""
        return self.session.request(method, f"{self.url}/public-api/{ACCOUNT}/{path.lstrip('/')}",
                                    headers=self.headers if headers is None else headers,
                                    timeout=timeout, **kwargs)

    def get(self, path, **kwargs):
        """GET an API path and return the response."""
        return self.api("GET", path, **kwargs)

    def post(self, path, body, **kwargs):
        """POST JSON to an API path."""
        return self.api("POST", path, json=body, **kwargs)

    def control(self, method, path, body=None):
        """Call the /_sandbox control API and return the decoded JSON."""
        answer = self.session.request(method, f"{self.url}/_sandbox/{path.lstrip('/')}", json=body, timeout=30)
        assert answer.status_code < 500, answer.text
        return answer.json()

    def customer_id(self, index=0):
        """The id of the index-th seeded customer."""
        return 201 + index

    def order(self, externalRef=None, rows=None, timeout=10, **extra):
        """POST a small valid sales order; returns the response."""
        body = {"customer": {"id": self.customer_id()}, "ref": "WC-1", "channelId": 2,
                "warehouseId": 2, "currency": {"code": "GBP"},
                "rows": rows or [{"productId": self.stocked_product(), "quantity": "2",
                                  "net": "20.00", "tax": "4.00", "taxCode": "T", "externalRef": "line-1"}]}
        if externalRef is not None:
            body.update(externalRef=externalRef, installedIntegrationInstanceId=13)
        body.update(extra)
        return self.post("order-service/sales-order", body, timeout=timeout)

    def stocked_product(self, warehouse=2, minimum=3):
        """A stock-tracked product with at least minimum on hand in warehouse."""
        for product_id in range(1001, 1061):
            levels = self.get(f"warehouse-service/product-availability/{product_id}").json()["response"]
            entry = levels.get(str(product_id), {}).get("warehouses", {}).get(str(warehouse))
            if entry and entry["onHand"] >= minimum:
                return product_id
        raise AssertionError("no stocked product in the seed")


@pytest.fixture(scope="module")
def bp_server():
    """One served emulator per test module (starting and stopping a server costs ~0.5 s)."""
    server = serve_in_thread(create_app(rate_per_minute=100000))
    yield server
    server.stop()


@pytest.fixture
def bp(bp_server):
    """The module's emulator, reset and seeded with 60 products, 2 bundles and 10 customers."""
    client = BrightpearlClient(bp_server.url)
    client.control("POST", "/reset")
    client.control("POST", "/seed", {"products": 60, "customers": 10, "seed": 7, "bundles": 2})
    client.control("POST", "/webhooks/config", {"backoff_seconds": 0.05, "timeout_seconds": 2})
    return client


class Receiver:
    """Records webhook calls; answers from a script of statuses, then 200."""

    def __init__(self):
        self.calls, self.script, self.lock = [], [], threading.Lock()
        app = Flask("receiver")

        @app.route("/<path:path>", methods=["GET", "POST", "PUT", "DELETE"])
        def hook(path):
            with self.lock:
                self.calls.append({"path": "/" + path, "method": request.method,
                                   "body": request.get_data(as_text=True),
                                   "contentType": request.headers.get("Content-Type")})
                status = self.script.pop(0) if self.script else 200
            return "", status

        self.server = serve_in_thread(app)
        self.url = self.server.url

    def wait_for(self, count, timeout=5.0):
        """Wait until at least count calls arrived; returns the calls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.calls) >= count:
                    return list(self.calls)
            time.sleep(0.02)
        return list(self.calls)


@pytest.fixture(scope="module")
def receiver_server():
    """One webhook receiver per test module."""
    hooks = Receiver()
    yield hooks
    hooks.server.stop()


@pytest.fixture
def receiver(receiver_server):
    """The module's receiver with no calls recorded and an empty answer script."""
    with receiver_server.lock:
        receiver_server.calls.clear()
        receiver_server.script.clear()
    return receiver_server


def subscribe(bp, receiver, event, id_set=True, qos=1, path="/hook"):
    """Register a webhook with the reference's bodyTemplate; returns its id."""
    body_template = ('{"accountCode":"${account-code}","resourceType":"${resource-type}",'
                     '"id":"${resource-id}","lifecycleEvent":"${lifecycle-event}",'
                     '"fullEvent":"${full-event}","raisedOn":"${raised-on}",'
                     '"brightpearlVersion":"${brightpearl-version}"}')
    answer = bp.post("integration-service/webhook", {
        "subscribeTo": event, "httpMethod": "POST", "uriTemplate": receiver.url + path,
        "bodyTemplate": body_template, "contentType": "application/json",
        "idSetAccepted": id_set, "qualityOfService": qos})
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]
