"""Webhook delivery as WooCommerce does it: queued, coalesced, async, unretried (§1.1–1.6)."""
import threading
import time
from collections import OrderedDict

import requests

from .errors import invalid_id
from .order_json import order_json
from .phpjson import delivery_id, encode_php_json, sign
from .product_json import product_json

USER_AGENT = "WooCommerce/9.8.1 Hookshot (WordPress/6.8.1)"
_LOG_CAP = 10_000


class Dispatcher:
    """Pending deliveries keyed by (webhook id, arg), sent one at a time by a background thread."""

    def __init__(self, emulator, delay=0.2, timeout=60.0, max_failures=5):
        self.emulator, self.delay, self.timeout, self.max_failures = emulator, delay, timeout, max_failures
        self.muted = False  # deliveries queued meanwhile are dropped, as if lost (control API)
        self.log = []
        self._pending = OrderedDict()
        self._cond = threading.Condition()
        self._sending = threading.Lock()
        self._thread = None

    def enqueue(self, webhook_id, arg):
        """Queue a delivery unless one for the same (webhook, arg) is pending (§1.4 point 3)."""
        with self._cond:
            if self.muted or (webhook_id, arg) in self._pending:
                return
            self._pending[(webhook_id, arg)] = time.monotonic() + self.delay
            self._start()
            self._cond.notify()

    def pending(self):
        """The queued (webhook id, arg) pairs, oldest first."""
        with self._cond:
            return list(self._pending)

    def clear(self):
        """Drop pending deliveries and the delivery log."""
        with self._cond:
            self._pending.clear()
            self.log.clear()

    def flush(self):
        """Deliver everything pending now, in this thread; returns how many were sent."""
        with self._sending:
            with self._cond:
                keys = list(self._pending)
                self._pending.clear()
            for webhook_id, arg in keys:
                self._deliver(webhook_id, arg)
        return len(keys)

    def _start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="woo-webhooks", daemon=True)
            self._thread.start()

    def _run(self):
        while True:
            with self._cond:
                while not self._pending or next(iter(self._pending.values())) > time.monotonic():
                    wait = next(iter(self._pending.values())) - time.monotonic() if self._pending else None
                    self._cond.wait(wait)
            with self._sending:
                with self._cond:
                    if not self._pending:
                        continue
                    key, due = next(iter(self._pending.items()))
                    if due > time.monotonic():
                        continue
                    del self._pending[key]
                try:
                    self._deliver(*key)
                except Exception as exc:  # a broken delivery must not kill the queue runner
                    self._record({"kind": "delivery", "webhook_id": key[0], "error": repr(exc)})

    def _deliver(self, webhook_id, arg):
        state = self.emulator.state
        with state.lock:
            webhook = state.webhooks.get(webhook_id)
            if webhook is None:
                return  # wc_deliver_webhook_async returns silently for a deleted webhook (§1.4)
            if webhook["api_version"] == "legacy_v3":
                # WC ≥ 9.0 throws "Unsupported webhook API version" and sends nothing (§1.3).
                self._record({"kind": "delivery", "webhook_id": webhook_id, "topic": webhook["topic"],
                              "arg": arg, "error": "Unsupported webhook API version: legacy_v3"})
                return
            body = encode_php_json(build_payload(self.emulator, webhook, arg))
            headers = self._headers(webhook, body)
            url = webhook["delivery_url"]
        code, error = self._post(url, body, headers, self.timeout, allow_redirects=False)
        self._record({"kind": "delivery", "webhook_id": webhook_id, "topic": webhook["topic"], "arg": arg,
                      "url": url, "status_code": code, "success": 200 <= code < 303, "error": error,
                      "headers": headers, "body": body.decode("ascii")})
        with state.lock:
            if 200 <= code < 303:  # any 2xx, 300, 301 or 302 counts as delivered (§1.5)
                webhook["failure_count"] = 0
            elif webhook["failure_count"] > self.max_failures:
                webhook["status"] = "disabled"
            else:
                webhook["failure_count"] += 1
            state.touch("webhooks", webhook)
            state.commit()
            # The data store re-pings on every save while no ping has succeeded yet (§1.6).
            should_ping = webhook["status"] == "active" and webhook["pending_delivery"]
        if should_ping:
            self.ping(webhook_id)

    def _headers(self, webhook, body):
        resource, _, event = webhook["topic"].partition(".")
        return {
            "Content-Type": "application/json", "User-Agent": USER_AGENT,
            "X-WC-Webhook-Source": self.emulator.source_url(), "X-WC-Webhook-Topic": webhook["topic"],
            "X-WC-Webhook-Resource": resource, "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": sign(body, webhook["secret"]), "X-WC-Webhook-ID": str(webhook["id"]),
            "X-WC-Webhook-Delivery-ID": delivery_id(webhook["id"], time.time(), self.emulator.salt),
        }

    def ping(self, webhook_id):
        """POST webhook_id=N, unsigned; only exactly 200 clears pending_delivery (§1.6)."""
        state = self.emulator.state
        with state.lock:
            webhook = state.webhooks.get(webhook_id)
            if webhook is None:
                return False
            url = webhook["delivery_url"]
        headers = {"User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"}
        body = f"webhook_id={webhook_id}".encode("ascii")
        code, error = self._post(url, body, headers, 5, allow_redirects=True)
        self._record({"kind": "ping", "webhook_id": webhook_id, "topic": None, "arg": None, "url": url,
                      "status_code": code, "success": code == 200, "error": error, "headers": headers,
                      "body": body.decode("ascii")})
        if code == 200:
            with state.lock:
                webhook["pending_delivery"] = False
                state.touch("webhooks", webhook)
                state.commit()
        return code == 200

    def _post(self, url, body, headers, timeout, allow_redirects):
        try:
            response = requests.post(url, data=body, headers=headers, timeout=timeout,
                                          allow_redirects=allow_redirects)
            return response.status_code, None
        except requests.RequestException as exc:
            return 0, f"{type(exc).__name__}: {exc}"  # a WP_Error: intval(code) is 0 (§1.5)

    def _record(self, entry):
        entry["time"] = time.time()
        with self._cond:
            self.log.append(entry)
            del self.log[:-_LOG_CAP]


def build_payload(emulator, webhook, arg):
    """The body for one delivery, built now: the REST GET of the resource, {"id"} or an action."""
    resource, _, event = webhook["topic"].partition(".")
    if resource == "action":
        return {"action": event, "arg": arg}
    if event == "deleted":
        return {"id": arg}
    state, base = emulator.state, emulator.source_url()
    if resource == "product":
        product = state.products.get(arg)
        if product is None:
            return invalid_id("product").body()
        return product_json(state, product, base)
    if resource == "order":
        order = state.orders.get(arg)
        if order is None:
            return invalid_id("shop_order").body()
        return order_json(state, order, base)
    return {"id": arg}
