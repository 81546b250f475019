"""From a staging store to production on one database: a production order whose id matches a
staging order is created in Brightpearl after `flask connection switch`, never suppressed."""
import pytest

from connectors.provisioning import WOO_TOPICS
from models.db import db
from models.links import OrderLink
from models.logs import SyncAttempt, SyncLog
from models.store_identity import ConnectionChanged, check, switch
from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app as woo_app
from tests.orders.flows import enable_order_flows
from tests.orders.test_orders_e2e import bp_orders, checkout


def _connect_store(platforms):
    for topic in WOO_TOPICS:
        platforms.woo("POST", "/webhooks", json={
            "name": topic, "topic": topic, "secret": platforms.settings["WOO_WEBHOOK_SECRET"],
            "delivery_url": f"{platforms.app_url}/webhooks/woocommerce"})
    platforms.woo_control("seed", {"products": 12, "customers": 6, "seed": 7})


@pytest.fixture
def production(platforms):
    """A second, fresh Woo store (a clone's ids: its first order has staging's first id)."""
    server = serve_in_thread(woo_app(delivery_delay=0.05))
    yield server
    server.stop()


def test_an_order_with_a_staging_id_reaches_brightpearl_after_the_switch(
        platforms, production, work, monkeypatch):
    with db.connection_context():
        check(platforms.settings)
        enable_order_flows()
    staging_order = checkout(platforms)
    platforms.settle(work)
    with db.connection_context():
        staging_link = OrderLink.get(OrderLink.woo_order_id == staging_order["id"])

    # Production: WOO_URL now names another store; the same database refuses it...
    live = dict(platforms.settings, WOO_URL=production.url)
    monkeypatch.setenv("WOO_URL", production.url)
    with db.connection_context(), pytest.raises(ConnectionChanged, match="connection switch"):
        check(live)
    # ...until the operator starts a new connection, and points the store's webhooks here.
    with db.connection_context():
        switch(live)
    platforms.woo_url = production.url
    _connect_store(platforms)
    live_order = checkout(platforms, email="bo.lind@example.com")
    assert live_order["id"] == staging_order["id"]  # a clone's ids: the trap
    platforms.settle(work)

    with db.connection_context():
        row = SyncLog.get(SyncLog.record_key == f"woo-{live_order['id']}")
        assert row.status == "synced", (row.pending_reason, row.failure_reason)
        messages = [a.message for a in SyncAttempt.select().where(SyncAttempt.log == row)]
        assert not any("duplicate suppressed" in m for m in messages)
        live_link = OrderLink.get(OrderLink.woo_order_id == live_order["id"])
    assert live_link.bp_order_id != staging_link.bp_order_id
    assert len(bp_orders(platforms)["results"]) == 2
    # Its externalRef names the connection: Brightpearl's (externalRef, installation) key
    # would otherwise refuse it as the staging order's duplicate.
    found = platforms.bp("GET", "/order-service/order-search",
                         params={"externalRef": f"c2-{live_order['id']}"})
    assert [r[0] for r in found["results"]] == [live_link.bp_order_id]
