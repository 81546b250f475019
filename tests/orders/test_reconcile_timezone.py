"""The orders backstop in a store far from UTC: WooCommerce reads `modified_after` in the store's
zone unless `dates_are_gmt` is sent, so an order changed in the last hours would be missed
(peers scenario 31). The store here runs at UTC−5; the order is found by the poll."""
from datetime import timedelta

import requests

from connectors.woocommerce import WooCommerceClient
from jobs.orders.reconcile import CURSOR, reconcile_woo_orders
from models.base import utcnow
from models.events import Event
from models.flows import save_flow
from models.links import write_cursor
from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app as woo_app


def test_an_order_in_a_utc_minus_five_store_is_found_by_the_poll(app, settings, redis_connection):
    server = serve_in_thread(woo_app(delivery_delay=0, utc_offset_hours=-5))
    try:
        requests.post(f"{server.url}/_sandbox/seed", json={"products": 12, "customers": 2},
                      timeout=10).raise_for_status()
        sku = requests.get(f"{server.url}/wp-json/wc/v3/products", auth=("ck_sandbox",
                           "cs_sandbox"), params={"type": "simple"}, timeout=10).json()[0]["sku"]
        order = requests.post(f"{server.url}/_sandbox/checkout", timeout=10, json={
            "customer_index": 0, "lines": [{"sku": sku, "quantity": 1}]}).json()
        assert order["date_modified"] != order["date_modified_gmt"]  # local ≠ GMT here
        woo = WooCommerceClient(server.url, "ck_sandbox", "cs_sandbox")
        with app.app_context():
            from models.db import db

            with db.connection_context():
                save_flow("orders", "test", enabled=True, settings={})
                write_cursor(CURSOR, (utcnow() - timedelta(minutes=10)).isoformat())
                assert reconcile_woo_orders(settings, redis_connection, woo=woo) == 1
                assert Event.get(Event.resource_id == str(order["id"])).topic == "order.updated"
    finally:
        server.stop()
