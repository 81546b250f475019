"""The two emulators as the traffic generator reaches them: REST to learn, control API to act."""
from decimal import Decimal

import requests

from sandbox.catalog import WAREHOUSES
from sandbox.traffic_known import (SHIPPING_CODES, ShippedNote, learn_bp_levels,
                                   learn_bp_orders, learn_woo_order, learn_woo_orders,
                                   learn_woo_products, record_sale)
from sandbox.traffic_plan import partial_rows

WOO_AUTH = ("ck_sandbox", "cs_sandbox")
BP_ACCOUNT = "sandbox"
BP_HEADERS = {"brightpearl-app-ref": "sandbox_pearlbridge",
              "brightpearl-staff-token": "sandbox-staff-token"}
WAREHOUSE_NAMES = {w["id"]: w["name"] for w in WAREHOUSES}
METHODS = {"stripe": "card", "paypal": "PayPal", "bacs": "bank transfer"}


class Refused(Exception):
    """An emulator answered an error status; the message is its short reason."""

    def __init__(self, platform, status, reason):
        super().__init__(f"{platform} answered {status}: {reason}")
        self.platform, self.status, self.reason = platform, status, reason


def _reason(response):
    try:
        body = response.json()
    except ValueError:
        return " ".join(response.text.split())[:120]
    if isinstance(body, dict) and body.get("errors"):       # Brightpearl's error envelope
        error = body["errors"][0]
        return f"{error.get('code')} {error.get('message')}"
    if isinstance(body, dict) and "code" in body:            # WooCommerce's WP_Error body
        return f"{body['code']}: {body.get('message')}"
    return str(body)[:120]


class Shop:
    """Both emulators over HTTP; each action method returns one log line."""

    def __init__(self, woo_url, bp_url, timeout=10):
        self.woo, self.bp = woo_url.rstrip("/"), bp_url.rstrip("/")
        self.http, self.timeout = requests.Session(), timeout

    def _call(self, platform, method, url, **kwargs):
        response = self.http.request(method, url, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            raise Refused(platform, response.status_code, _reason(response))
        return response.json() if response.content else {}

    def _woo(self, method, path, **kwargs):
        return self._call("WooCommerce", method, f"{self.woo}{path}", **kwargs)

    def _bp(self, method, path, **kwargs):
        return self._call("Brightpearl", method, f"{self.bp}{path}", **kwargs)

    def _bp_api(self, path, **params):
        # The real REST API, with the sandbox's private-app credentials: this spends budget.
        answer = self._bp("GET", f"/public-api/{BP_ACCOUNT}/{path}", headers=BP_HEADERS,
                          params=params)
        return answer.get("response") or {}

    def learn_woo(self, known):
        """Refresh SKUs, stock, prices, customers and recent orders from the store (no budget)."""
        products, page = [], 1
        while True:
            batch = self._woo("GET", "/wp-json/wc/v3/products", auth=WOO_AUTH,
                              params={"per_page": 100, "page": page})
            products += batch
            if len(batch) < 100:
                break
            page += 1
        for parent in [p for p in products if p.get("type") == "variable"]:
            products += self._woo("GET", f"/wp-json/wc/v3/products/{parent['id']}/variations",
                                  auth=WOO_AUTH, params={"per_page": 100})
        learn_woo_products(known, products)
        learn_woo_orders(known, self._woo("GET", "/wp-json/wc/v3/orders", auth=WOO_AUTH,
                                          params={"per_page": 100}))
        known.customers = int(self._woo("GET", "/_sandbox/state").get("customers") or 0)

    def learn_bp(self, known):
        """Refresh open sales orders (one search); stock-tracked products only when unknown."""
        if not known.bp_products:
            found = self._bp_api("product-service/product-search", columns="productId,SKU",
                                 stockTracked="true", pageSize=500)
            known.bp_products = {pid: sku for pid, sku in found.get("results") or []}
        # orderStatusId is an INTEGER column (one value per filter): the newest 200 sales
        # orders in one search, the open ones picked out here.
        found = self._bp_api("order-service/order-search", orderTypeId=1,
                             columns="orderId,orderStatusId,orderShippingStatusId,externalRef",
                             sort="orderId.DESC", pageSize=200)
        learn_bp_orders(known, found.get("results") or [])

    def perform(self, action, known, rng):
        """Carry out one planned Action; returns the line to print."""
        return getattr(self, f"_do_{action.kind}")(action, known, rng)

    def _do_checkout(self, action, known, rng):
        order = self._woo("POST", "/_sandbox/checkout", json=action.body)
        learn_woo_order(known, order)
        record_sale(known, action.body["lines"])
        who = "returning" if "customer_index" in action.body else "new customer"
        units = sum(line["quantity"] for line in action.body["lines"])
        extras = "".join(f", {label}" for key, label in (("coupon", "coupon"), ("fees", "gift wrap"),
                                                          ("customer_note", "note"))
                         if key in action.body)
        return (f"woo  checkout  #{order['number']} {order['billing']['first_name']} "
                f"{order['billing']['last_name']} ({who}): {units} item(s), {order['total']} "
                f"{order['currency']} by {METHODS.get(order['payment_method'], order['payment_method'])}"
                f" → {order['status']}{extras}")

    def _do_woo_status(self, action, known, rng):
        order = self._woo("POST", f"/_sandbox/orders/{action.target}/status", json=action.body)
        learn_woo_order(known, order)
        return f"woo  status    #{order['number']} {action.note} → {order['status']}"

    def _do_refund(self, action, known, rng):
        refund = self._woo("POST", f"/_sandbox/orders/{action.target}/refund", json=action.body)
        order = known.woo_orders.get(action.target)
        if order is not None:
            order.refunded += Decimal(refund["amount"])
            order.status = "refunded" if order.refunded >= order.total else order.status
        number = order.number if order else action.target
        return f"woo  refund    #{number} {refund['amount']} back ({action.note})"

    def _do_full_refund(self, action, known, rng):
        refund = self._woo("POST", f"/_sandbox/orders/{action.target}/refund", json=action.body)
        order = known.woo_orders[action.target]
        order.refunded, order.status = Decimal(refund["amount"]), "refunded"
        # The service cancels the Brightpearl order: the warehouse must not pick it meanwhile.
        known.given_up.add(("bp", int(action.note)))
        known.bp_orders.pop(int(action.note), None)
        return (f"woo  refund    #{order.number} {refund['amount']} back in full before "
                f"dispatch ({action.body['reason'].lower()})")

    def _do_tracking(self, action, known, rng):
        note = known.shipped_notes[action.target]
        note.corrected = True  # once, even if Brightpearl refuses it
        self._bp("POST", f"/_sandbox/goods-out-notes/{action.target}/reference", json=action.body)
        return (f"bp   tracking  note {note.id} (order {note.order_id}): tracking corrected "
                f"{note.reference} → {action.body['reference']}")

    def _do_stock(self, action, known, rng):
        try:
            answer = self._bp("POST", "/_sandbox/stock", json=action.body)
        except Refused as refused:
            if refused.status == 404:
                known.bp_products = {}  # the account was re-seeded: learn its products again
            raise
        learn_bp_levels(known, answer.get("availability"))
        changes = action.body.get("changes") or [action.body]
        where = WAREHOUSE_NAMES.get(changes[0]["warehouseId"], changes[0]["warehouseId"])
        if len(changes) > 1:
            return (f"bp   stock     {action.note}: {len(changes)} products, "
                    f"+{sum(c['delta'] for c in changes)} units @ {where}")
        change, product = changes[0], changes[0]["productId"]
        amount = f"set to {change['onHand']}" if "onHand" in change else f"{change['delta']:+d}"
        level = known.bp_levels.get((product, change["warehouseId"]), 0)
        return (f"bp   stock     {action.note}: {known.bp_products.get(product, product)} "
                f"{amount} @ {where} (on hand {level})")

    def _do_bp_status(self, action, known, rng):
        self._bp("POST", f"/_sandbox/orders/{action.target}/status", json=action.body)
        if action.target in known.bp_orders:
            known.bp_orders[action.target].status_id = action.body["orderStatusId"]
        return f"bp   status    order {action.target} → {action.note}"

    def _do_ship(self, action, known, rng):
        body, how = dict(action.body), "all of it"
        if action.note == "partial":
            body["rows"] = partial_rows(rng, self._shippable_rows(action.target, known))
            how = "part of it" if body["rows"] else how
        try:
            answer = self._bp("POST", f"/_sandbox/orders/{action.target}/ship", json=body)
        except Refused as refused:
            if body["dropShip"] or "WHSC-070" not in refused.reason:
                raise
            # No stock in the warehouse: the supplier sends it instead, as shops do.
            body.update(dropShip=True, rows=None)
            answer = self._bp("POST", f"/_sandbox/orders/{action.target}/ship", json=body)
            how = "no stock in the warehouse, so all of it"
        if action.target in known.bp_orders:
            known.bp_orders[action.target].shipping = SHIPPING_CODES.get(
                answer.get("shippingStatusCode"), known.bp_orders[action.target].shipping)
        if answer.get("goodsOutNoteId"):
            known.shipped_notes[answer["goodsOutNoteId"]] = ShippedNote(
                answer["goodsOutNoteId"], action.target, body["reference"], known.clock)
        return (f"bp   ship      order {action.target}: {how}{' drop-shipped' if body['dropShip'] else ''}"
                f", Royal Mail Tracked 48, tracking {body['reference']}")

    def _shippable_rows(self, order_id, known):
        """[(row id, quantity)] of the order's stock-tracked rows (one GET, budget spent)."""
        orders = self._bp_api(f"order-service/order/{order_id}")
        rows = (orders[0] if orders else {}).get("orderRows") or {}
        return [(int(row_id), int(Decimal(row["quantity"]["magnitude"])))
                for row_id, row in rows.items()
                if row.get("productId") in known.bp_products
                and not row.get("composition", {}).get("bundleParent")]
