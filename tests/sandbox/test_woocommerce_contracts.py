"""Contract tests: every emulated WooCommerce endpoint answers in the shape the reference pins,
and the store keeps WooCommerce's habits (local dates beside UTC ones, PHP-computed prices)."""
import itertools
from datetime import datetime, timedelta

import pytest
import requests

from sandbox.server import serve_in_thread
from sandbox.woocommerce import create_app
from tests.sandbox.shapes import assert_answers, label, uncovered
from tests.sandbox.woo_contracts import contracts

AUTH = ("ck_sandbox", "cs_sandbox")


class Shop:
    """A served, seeded store with an order, a refund, a note, a tracking item and a webhook."""

    def __init__(self, url):
        self.url, self.session = url, requests.Session()
        self.session.auth = AUTH
        self.serial = itertools.count(1)
        self.control("seed", {"products": 12, "customers": 3, "seed": 7})
        products = self.get("products?per_page=100").json()
        self.simple = next(p["id"] for p in products if p["type"] == "simple")
        self.variable = next(p["id"] for p in products if p["type"] == "variable")
        self.variation = self.get(f"products/{self.variable}/variations").json()[0]["id"]
        self.sku = next(p["sku"] for p in products if p["type"] == "simple")
        self.order = self.fresh_order()
        self.refund = self.new_refund()
        self.note = self.new_note()
        self.tracked = self.tracking("POST").json()["tracking_id"]
        self.webhook = self.created_webhook()
        self.category_name = "Contract category"
        self.category = self.post("products/categories", {"name": self.category_name}).json()["id"]

    def call(self, method, path, body=None):
        return self.session.request(method, f"{self.url}/wp-json/wc/v3/{path}", json=body,
                                    timeout=10)

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body):
        return self.call("POST", path, body)

    def delete(self, path):
        return self.call("DELETE", path)

    def control(self, path, body):
        answer = requests.post(f"{self.url}/_sandbox/{path}", json=body, timeout=30)
        assert answer.status_code < 300, answer.text
        return answer.json()

    def fresh_order(self):
        return self.control("checkout", {"customer_index": 0, "payment_method": "stripe",
                                         "lines": [{"sku": self.sku, "quantity": 1}],
                                         "shipping": {"method_id": "flat_rate", "total": "4.99"},
                                         "coupon": "1.00", "fees": [{"name": "Wrap", "total": "2.00"}],
                                         "tax_rate": "20"})["id"]

    def new_refund(self):
        answer = self.post(f"orders/{self.order}/refunds", {"amount": "1.00", "api_refund": False})
        return answer.json()["id"]

    def new_note(self):
        return self.post(f"orders/{self.order}/notes", {"note": "packed"}).json()["id"]

    def new_product(self):
        return {"name": "Contract tee", "type": "simple", "regular_price": "9.99",
                "sku": f"CONTRACT-{next(self.serial)}"}

    def created_product(self):
        return self.post("products", self.new_product()).json()["id"]

    def new_variation(self):
        return {"regular_price": "5.00", "sku": f"CONTRACT-V-{next(self.serial)}",
                "attributes": [{"name": "Colour", "option": "Red"}]}

    def created_variation(self):
        return self.post(f"products/{self.variable}/variations", self.new_variation()).json()["id"]

    def tracking(self, method, tracking_id=None):
        base = f"{self.url}/wp-json/wc-shipment-tracking/v3/orders/{self.order}/shipment-trackings"
        url = f"{base}/{tracking_id}" if tracking_id else base
        body = {"tracking_number": f"TT{next(self.serial)}GB", "custom_tracking_provider": "Royal Mail",
                "custom_tracking_link": "https://track.example/%1$s"} if method == "POST" else None
        return self.session.request(method, url, json=body, timeout=10)

    def providers(self):
        return self.session.get(f"{self.url}/wp-json/wc-shipment-tracking/v3/shipment-trackings/"
                                "providers", timeout=10)

    def new_category(self):
        return {"name": f"Category {next(self.serial)}", "parent": 0}

    def created_category(self):
        return self.post("products/categories", self.new_category()).json()["id"]

    def new_webhook(self):
        return {"name": "c", "topic": "order.updated", "delivery_url": "https://hooks.example/w",
                "secret": "s3cret"}

    def created_webhook(self):
        return self.post("webhooks", self.new_webhook()).json()["id"]


@pytest.fixture(scope="module")
def shop():
    server = serve_in_thread(create_app(delivery_delay=30))  # deliveries never go out here
    yield Shop(server.url)
    server.stop()


@pytest.mark.parametrize("contract", contracts(), ids=label)
def test_endpoint_answers_in_the_documented_shape(shop, contract):
    assert_answers(contract, shop)


def test_every_endpoint_has_a_contract():
    assert uncovered(create_app(), contracts()) == (set(), set())


def test_local_dates_are_the_store_zone_and_gmt_dates_utc(shop):
    order = shop.get(f"orders/{shop.order}").json()
    local = datetime.fromisoformat(order["date_created"])
    gmt = datetime.fromisoformat(order["date_created_gmt"])
    # Europe/Berlin: one hour ahead in winter, two in summer; never equal to UTC.
    assert local - gmt in (timedelta(hours=1), timedelta(hours=2))
    # A naive modified_after is read in the store's zone, unless dates_are_gmt says UTC.
    since = (gmt + timedelta(minutes=30)).isoformat()  # after the order in UTC, before it locally
    as_local = shop.get(f"orders?modified_after={since}").json()
    as_gmt = shop.get(f"orders?modified_after={since}&dates_are_gmt=true").json()
    assert shop.order in [o["id"] for o in as_local] and as_gmt == []


def test_line_item_price_is_the_php_division(shop):
    order_id = shop.control("checkout", {"customer_index": 0, "payment_method": "stripe",
                                         "lines": [{"sku": shop.sku, "quantity": 3}]})["id"]
    raw = shop.get(f"orders/{order_id}").text
    item = shop.get(f"orders/{order_id}").json()["line_items"][0]
    total, quantity = item["total"], item["quantity"]
    assert isinstance(item["price"], (int, float)) and not isinstance(item["price"], bool)
    assert abs(item["price"] * quantity - float(total)) < 1e-6
    assert '"price":' + repr(item["price"]) in raw.replace(" ", "")


def test_php_price_keeps_whole_divisions_integers():
    from sandbox.woocommerce.order_json import php_unit_price

    assert php_unit_price("20.00", 2) == 10 and isinstance(php_unit_price("20.00", 2), int)
    assert php_unit_price("25.00", 3) == 8.333333333333334
    assert php_unit_price("19.99", 1) == 19.99 and php_unit_price("5.50", 2) == 2.75
    assert php_unit_price("7.00", 0) == 0
