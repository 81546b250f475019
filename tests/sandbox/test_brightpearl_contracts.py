"""Contract tests: every emulated Brightpearl endpoint answers in the shape the reference pins.

The world (orders, a shipped note, a credit with goods in, a drop-ship note, a payment, a
webhook, an OAuth grant) is built once per module over HTTP; each contract then makes one call.
A second test makes sure no endpoint of the emulator is left without a contract.
"""
import itertools
import re

import pytest
import requests

from sandbox.brightpearl import create_app
from sandbox.server import serve_in_thread
from tests.sandbox.bp_contracts import contracts
from tests.sandbox.bp_fixtures import ACCOUNT, STAFF_HEADERS
from tests.sandbox.shapes import assert_answers, label, uncovered

CLIENT = "sandbox-oauth-app"
REDIRECT = "https://app.example/brightpearl/callback"


class World:
    """A served, seeded emulator with one of everything, and helpers to call it."""

    def __init__(self, url):
        self.url, self.session = url, requests.Session()
        self.serial = itertools.count(1)
        self.control("seed", {"products": 30, "customers": 5, "seed": 7, "bundles": 1})
        self.bundle = self.control("state")["counts"]["products"] + 1000
        self.stocked = self._stocked()
        self.order = self.fresh_order()
        self.post("accounting-service/customer-payment", self.payment())
        self.put(f"order-service/order/{self.order}/status", {"orderStatusId": 5})
        rows = self.get(f"order-service/order/{self.order}").json()["response"][0]["orderRows"]
        first = next(iter(rows))
        self.control(f"orders/{self.order}/ship", {"rows": [{"rowId": int(first), "quantity": 1}],
                                                   "reference": "TRACK1", "shippingMethodId": 49})
        self.control(f"orders/{self.order}/ship", {"rows": [{"rowId": int(first), "quantity": 1}],
                                                   "reference": "DS1", "dropShip": True})
        self.credit = self.new_credit()
        self.goods_in(self.credit)
        self.new_webhook()

    # -- plumbing ----------------------------------------------------------------------------

    def api(self, method, path, **kwargs):
        """Call /public-api/{account}/{path} with the private-app headers."""
        return self.session.request(method, f"{self.url}/public-api/{ACCOUNT}/{path}",
                                    headers=STAFF_HEADERS, timeout=10, **kwargs)

    def get(self, path):
        return self.api("GET", path)

    def post(self, path, body):
        return self.api("POST", path, json=body)

    def put(self, path, body):
        return self.api("PUT", path, json=body)

    def delete(self, path):
        return self.api("DELETE", path)

    def control(self, path, body=None):
        method = "GET" if body is None else "POST"
        answer = self.session.request(method, f"{self.url}/_sandbox/{path}", json=body, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    # -- records -----------------------------------------------------------------------------

    def _stocked(self):
        for product_id in range(1001, 1031):
            levels = self.get(f"warehouse-service/product-availability/{product_id}").json()
            onhand = levels["response"].get(str(product_id), {}).get("warehouses", {}).get("2")
            if onhand and onhand["onHand"] >= 6:
                return product_id
        raise AssertionError("no product with stock in warehouse 2")

    def sales_order(self):
        return {"customer": {"id": 201}, "ref": "WC-1", "channelId": 2, "warehouseId": 2,
                "currency": {"code": "GBP"},
                "rows": [{"productId": self.stocked, "quantity": "2", "net": "20.00",
                          "tax": "4.00", "taxCode": "T", "nominalCode": "4000",
                          "externalRef": "line-1"}]}

    def fresh_order(self):
        answer = self.post("order-service/sales-order", self.sales_order())
        assert answer.status_code == 200, answer.text
        return answer.json()["response"]

    def payment(self):
        return {"paymentMethodCode": "CARD", "paymentType": "RECEIPT", "orderId": self.order,
                "currencyIsoCode": "GBP", "amountPaid": "1.00",
                "paymentDate": "2026-01-02T10:00:00+00:00",
                "transactionRef": f"tx-{next(self.serial)}"}

    def credit_body(self):
        rows = self.get(f"order-service/order/{self.order}").json()["response"][0]["orderRows"]
        row = next(iter(rows.values()))
        return {"customer": {"id": 201}, "parentId": self.order, "ref": "R-1", "channelId": 2,
                "warehouseId": 2, "currency": {"code": "GBP"},
                "rows": [{"productId": row["productId"], "quantity": "1", "net": "10.00",
                          "tax": "2.00", "taxCode": "T", "nominalCode": "4000"}]}

    def new_credit(self):
        answer = self.post("order-service/sales-credit", self.credit_body())
        assert answer.status_code == 200, answer.text
        return answer.json()["response"]

    def goods_in(self, credit_id):
        credit = self.get(f"order-service/sales-credit/{credit_id}").json()["response"][0]
        row = credit["rows"][0]
        return self.post(f"warehouse-service/order/{credit_id}/goods-note/goods-in", {
            "warehouseId": 2, "transfer": False, "receivedOn": "2026-01-02T10:00:00+00:00",
            "goodsMoved": [{"productId": row["productId"], "quantity": 1,
                            "purchaseOrderRowId": row["id"], "destinationLocationId": 21}]})

    def gon_post(self, order_id):
        rows = self.get(f"order-service/order/{order_id}").json()["response"][0]["orderRows"]
        row_id, row = next(iter(rows.items()))
        return self.post(f"warehouse-service/order/{order_id}/goods-note/goods-out", {
            "warehouses": [{"warehouseId": 2, "products": [
                {"productId": row["productId"], "salesOrderRowId": int(row_id), "quantity": 1}]}]})

    def open_gon(self):
        return self.gon_post(self.fresh_order()).json()["response"][0]

    def new_product(self):
        return {"brandId": 1, "identity": {"sku": f"NEW-{next(self.serial)}"},
                "salesChannels": [{"salesChannelName": "Brightpearl", "productName": "New thing",
                                   "categories": [{"categoryCode": "296"}]}]}

    def webhook(self):
        return {"subscribeTo": "product.modified", "httpMethod": "POST",
                "uriTemplate": "https://hooks.example/bp", "bodyTemplate": "{}",
                "contentType": "application/json", "idSetAccepted": True, "qualityOfService": 1}

    def new_webhook(self):
        return self.post("integration-service/webhook", self.webhook()).json()["response"]

    # -- OAuth ---------------------------------------------------------------------------------

    def authorize(self, method):
        params = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT,
                  "state": "s1"}
        if method == "GET":
            return self.session.get(f"{self.url}/authorize/{ACCOUNT}", params=params, timeout=5)
        return self.session.post(f"{self.url}/authorize/{ACCOUNT}", timeout=5,
                                 data=dict(params, decision="allow"), allow_redirects=False)

    def code(self):
        location = self.authorize("POST").headers["Location"]
        return re.search(r"code=([^&]+)", location).group(1)

    def token(self, grant, **form):
        form = dict({"grant_type": grant, "client_id": CLIENT, "redirect_uri": REDIRECT}, **form)
        return self.session.post(f"{self.url}/oauth/token/{ACCOUNT}", data=form, timeout=5)

    def refresh(self):
        first = self.token("authorization_code", code=self.code()).json()
        return self.token("refresh_token", refresh_token=first["refresh_token"])


@pytest.fixture(scope="module")
def world():
    server = serve_in_thread(create_app(rate_per_minute=100000))
    yield World(server.url)
    server.stop()


@pytest.mark.parametrize("contract", contracts(), ids=label)
def test_endpoint_answers_in_the_recorded_shape(world, contract):
    assert_answers(contract, world)


def test_every_endpoint_has_a_contract():
    assert uncovered(create_app(), contracts()) == (set(), set())
