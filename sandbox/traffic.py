"""python -m sandbox.traffic: a shop day played against both emulators, compressed in time.

    python -m sandbox.traffic --woo-url URL --bp-url URL [--speed 1.0] [--seed 1] [--duration S]

Checkouts on WooCommerce (70 % returning customers), refunds in its admin, stock changes and
fulfilment in Brightpearl, each through the emulators' REST and control APIs only.
"""
import argparse
import random
import time

import requests

from sandbox.traffic_plan import Known, next_action

WOO_AUTH = ("ck_sandbox", "cs_sandbox")
BP_HEADERS = {"brightpearl-app-ref": "sandbox_pearlbridge",
              "brightpearl-staff-token": "sandbox-staff-token"}
INTERVAL = 3.0  # seconds between actions at speed 1


class Shop:
    """The two emulators as the generator sees them."""

    def __init__(self, woo_url, bp_url):
        self.woo, self.bp = woo_url.rstrip("/"), bp_url.rstrip("/")
        self.http = requests.Session()

    def learn(self, known):
        """Refresh what exists: store SKUs, customers, Brightpearl products and open orders."""
        products = self._get(f"{self.woo}/wp-json/wc/v3/products", auth=WOO_AUTH,
                             params={"per_page": 100, "type": "simple", "status": "publish"})
        known.skus = [p["sku"] for p in products if p.get("sku") and p.get("stock_status") != "outofstock"]
        state = self._get(f"{self.woo}/_sandbox/state")
        known.customers = int((state.get("counts") or state).get("customers", 0) or 0)
        known.bp_products = [row[0] for row in self._search("product-service/product-search",
                                                            columns="productId")]
        orders = self._search("order-service/order-search", orderTypeId=1,
                              columns="orderId,orderShippingStatusId")
        known.bp_orders = [row[0] for row in orders if row[1] in (None, 1, 2)]

    def perform(self, kind, body, known):
        """Carry out one action; returns a one-line description."""
        if kind == "checkout":
            order = self._post(f"{self.woo}/_sandbox/checkout", body)
            known.woo_orders.append((order["id"], order["total"], order["payment_method"]))
            return f"checkout: Woo order #{order['number']} {order['total']} {order['currency']} ({order['payment_method']}, {order['status']})"
        if kind == "refund":
            self._post(f"{self.woo}/_sandbox/orders/{body.pop('order_id')}/refund", body)
            return f"refund: {body['amount']} ({body['reason']})"
        if kind == "stock":
            self._post(f"{self.bp}/_sandbox/stock", body)
            return f"stock: Brightpearl product {body['productId']} {body['delta']:+d} in warehouse {body['warehouseId']}"
        order_id = body.pop("order_id")
        if kind == "ship":
            self._post(f"{self.bp}/_sandbox/orders/{order_id}/ship", body)
            known.bp_orders.remove(order_id)
            return f"ship: Brightpearl order {order_id}, tracking {body['reference']}" + (" (drop-ship)" if body["dropShip"] else "")
        self._post(f"{self.bp}/_sandbox/orders/{order_id}/status", body)
        return f"status: Brightpearl order {order_id} → ready to ship"

    def _search(self, path, **params):
        answer = self._get(f"{self.bp}/public-api/sandbox/{path}", headers=BP_HEADERS,
                           params=dict(params, pageSize=500))
        return (answer.get("response") or {}).get("results") or []

    def _get(self, url, **kwargs):
        response = self.http.get(url, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def _post(self, url, body):
        response = self.http.post(url, json=body, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else {}


def run(woo_url, bp_url, speed=1.0, seed=1, duration=None, say=print):
    """Play until duration seconds have passed (forever when None); returns actions done."""
    rng, known, shop = random.Random(seed), Known(), Shop(woo_url, bp_url)
    started, done, step = time.monotonic(), 0, 0
    while duration is None or time.monotonic() - started < duration:
        try:
            if step % 10 == 0:
                shop.learn(known)
            action = next_action(rng, known)
            if action:
                say(shop.perform(*action, known))
                done += 1
        except (requests.RequestException, ValueError, KeyError) as exc:
            say(f"traffic: skipped a step ({type(exc).__name__}: {str(exc)[:120]})")
        step += 1
        time.sleep(INTERVAL / speed * rng.uniform(0.5, 1.5))
    return done


def main():
    """Entry point of `python -m sandbox.traffic`."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.traffic", description=__doc__.splitlines()[0])
    parser.add_argument("--woo-url", default="http://127.0.0.1:8081")
    parser.add_argument("--bp-url", default="http://127.0.0.1:8082")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=None)
    options = parser.parse_args()
    try:
        run(options.woo_url, options.bp_url, options.speed, options.seed, options.duration,
            say=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
