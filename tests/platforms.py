"""Both emulators over real HTTP, and the app served over real HTTP to receive their webhooks.

    def test_x(platforms, work):
        platforms.woo_control("checkout", {...})   # a shopper checks out; Woo delivers a webhook
        platforms.settle(work)                     # deliveries flushed, jobs run until quiet
"""
import time
from dataclasses import dataclass

import pytest
import requests

from connectors.provisioning import BP_BODY_TEMPLATE, BP_EVENTS, WOO_TOPICS
from models.db import db
from models.events import Event
from models.logs import SyncAttempt
from models.migrations import run_migrations
from sandbox.brightpearl import create_app as brightpearl_app
from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app as woo_app

ACCOUNT = "sandbox"
WOO_AUTH = ("ck_sandbox", "cs_sandbox")
BP_HEADERS = {"brightpearl-app-ref": "sandbox_pearlbridge",
              "brightpearl-staff-token": "sandbox-staff-token"}


@dataclass
class Platforms:
    """The running emulators and app, with small helpers to drive them."""

    woo_url: str
    bp_url: str
    app_url: str
    app: object
    settings: dict

    def woo(self, method, path, **kwargs):
        """Call the Woo REST API (wc/v3) as the store's admin would."""
        response = requests.request(method, f"{self.woo_url}/wp-json/wc/v3{path}",
                                    auth=WOO_AUTH, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def bp(self, method, path, **kwargs):
        """Call the Brightpearl API (path after /public-api/{account})."""
        response = requests.request(method, f"{self.bp_url}/public-api/{ACCOUNT}{path}",
                                    headers=BP_HEADERS, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json().get("response")

    def woo_control(self, path, body=None, method="POST"):
        """Call the Woo emulator's control API."""
        return _control(self.woo_url, path, body, method)

    def bp_control(self, path, body=None, method="POST"):
        """Call the Brightpearl emulator's control API."""
        return _control(self.bp_url, path, body, method)

    def settle(self, work, rounds=8, retries_due=True):
        """Flush webhook deliveries and run queued jobs (and due retries) until quiet."""
        quiet = 0
        for _ in range(rounds):
            before = _activity()
            self.woo_control("webhooks/flush")
            time.sleep(0.15)  # Brightpearl delivers from its own thread
            work(retries_due=retries_due)
            quiet = quiet + 1 if _activity() == before else 0
            if quiet == 2:
                return


def _activity():
    with db.connection_context():
        return Event.select().count(), SyncAttempt.select().count()


def _control(base, path, body, method):
    response = requests.request(method, f"{base}/_sandbox/{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json() if response.content else None


@pytest.fixture
def platforms(settings, monkeypatch):
    """Emulators + the app, webhooks registered both ways, a small seeded catalog."""
    from wsgi import create_app

    woo_server = serve_in_thread(woo_app(delivery_delay=0.05))
    bp_server = serve_in_thread(brightpearl_app(rate_per_minute=100000))
    values = dict(settings, WOO_URL=woo_server.url, WOO_CONSUMER_KEY=WOO_AUTH[0],
                  WOO_CONSUMER_SECRET=WOO_AUTH[1], BRIGHTPEARL_ACCOUNT=ACCOUNT,
                  BRIGHTPEARL_URL=f"{bp_server.url}/public-api/{ACCOUNT}",
                  BRIGHTPEARL_APP_REF=BP_HEADERS["brightpearl-app-ref"],
                  BRIGHTPEARL_STAFF_TOKEN=BP_HEADERS["brightpearl-staff-token"])
    for name, value in values.items():
        monkeypatch.setenv(name, str(value))
    app = create_app(values)
    with db.connection_context():
        run_migrations()
    app_server = serve_in_thread(app)
    values["PUBLIC_URL"] = app_server.url
    found = Platforms(woo_server.url, bp_server.url, app_server.url, app, values)
    for topic in WOO_TOPICS:
        found.woo("POST", "/webhooks", json={
            "name": topic, "topic": topic, "secret": values["WOO_WEBHOOK_SECRET"],
            "delivery_url": f"{app_server.url}/webhooks/woocommerce"})
    for event in BP_EVENTS:
        found.bp("POST", "/integration-service/webhook", json={
            "subscribeTo": event, "httpMethod": "POST",
            "uriTemplate": f"{app_server.url}/webhooks/brightpearl/"
                           f"{values['BRIGHTPEARL_WEBHOOK_SECRET']}",
            "bodyTemplate": BP_BODY_TEMPLATE, "contentType": "application/json",
            "idSetAccepted": True, "qualityOfService": 1})
    found.woo_control("seed", {"products": 12, "customers": 6, "seed": 7})
    found.bp_control("seed", {"products": 12, "customers": 0, "seed": 7})
    yield found
    for server in (app_server, woo_server, bp_server):
        server.stop()
