"""Shipment tracking on WooCommerce orders (§2.7): the Shipment Tracking extension's endpoint
when the store has it (detected once and remembered), an order note + order meta otherwise."""
import threading
import time
from dataclasses import dataclass
from datetime import date

from connectors.errors import NotFoundError

TRACKING_ROOT = "/wp-json/wc-shipment-tracking/v3"
REMEMBER_SECONDS = 3600  # a store rarely installs or removes the extension; re-check hourly
META_KEYS = ("_tracking_number", "_tracking_provider", "_tracking_link", "_date_shipped")

_known = {}  # site URL -> (has extension, provider names, checked at): shared by clients
_known_lock = threading.Lock()


@dataclass
class TrackingResult:
    """How tracking was written: "extension" (with its tracking_id) or "note" (note id)."""

    method: str
    tracking_id: str | None = None
    note_id: int | None = None


class TrackingMixin:
    """Tracking calls; needs call/add_order_note/update_order_meta from the client."""

    def has_tracking_extension(self):
        """True when the store answers the Shipment Tracking extension's REST routes."""
        return self._tracking_state()[0]

    def forget_tracking_extension(self):
        """Detect the extension again on next use (after it was installed or removed)."""
        with _known_lock:
            _known.pop(self.site_url, None)

    def remove_tracking(self, order_id, method, ref):
        """Take back tracking written earlier: the extension's item (method "extension") or the
        order note ("note"; the next write overwrites its meta). True when something was
        removed; already gone is not an error."""
        if not ref:
            return False
        order_id = int(order_id)
        try:
            if method == "extension":
                self.call("DELETE", "/orders/{id}/shipment-trackings/{tracking_id}",
                          f"/orders/{order_id}/shipment-trackings/{ref}", root=TRACKING_ROOT)
            else:
                self.call("DELETE", "/orders/{id}/notes/{note_id}",
                          f"/orders/{order_id}/notes/{int(ref)}", params={"force": "true"})
        except NotFoundError:
            return False
        return True

    def add_tracking(self, order_id, tracking_number, *, provider=None, link=None,
                     date_shipped=None, notify_customer=True, replaces=None):
        """Attach a tracking number to an order; returns a TrackingResult.

        replaces names a number this one corrects (the note says so when there is no extension).
        """
        shipped = (date_shipped or date.today()).isoformat()[:10]
        has_extension, providers = self._tracking_state()
        if has_extension:
            body = {"tracking_number": tracking_number, "date_shipped": shipped}
            if provider and provider in providers:
                body["tracking_provider"] = provider
            else:
                body["custom_tracking_provider"] = provider or "Carrier"
                if link:
                    body["custom_tracking_link"] = link
            try:
                answer = self.call("POST", "/orders/{id}/shipment-trackings",
                                   f"/orders/{int(order_id)}/shipment-trackings", body=body,
                                   idempotent=False, root=TRACKING_ROOT).data or {}
                return TrackingResult("extension", tracking_id=answer.get("tracking_id"))
            except NotFoundError as exc:
                if exc.code != "rest_no_route":
                    raise
                self._remember(False, set())  # removed since we looked: fall back below
        return self._note_fallback(order_id, tracking_number, provider, link, shipped,
                                   notify_customer, replaces)

    def _note_fallback(self, order_id, number, provider, link, shipped, notify_customer,
                       replaces=None):
        text = f"Shipped{f' with {provider}' if provider else ''}: tracking number {number}"
        if replaces:
            text = f"Tracking number corrected. {text} (replaces {replaces})"
        if link:
            text += f" ({link})"
        note = self.add_order_note(order_id, text, customer_note=notify_customer) or {}
        self.update_order_meta(order_id, dict(zip(META_KEYS, (number, provider or "",
                                                              link or "", shipped))))
        return TrackingResult("note", note_id=note.get("id"))

    def _tracking_state(self):
        with _known_lock:
            known = _known.get(self.site_url)
        if known and time.monotonic() - known[2] < REMEMBER_SECONDS:
            return known[0], known[1]
        try:
            answer = self.call("GET", "/shipment-trackings/providers",
                               root=TRACKING_ROOT).data or {}
        except NotFoundError:
            return self._remember(False, set())
        return self._remember(True, _provider_names(answer))

    def _remember(self, present, providers):
        with _known_lock:
            _known[self.site_url] = (present, providers, time.monotonic())
        return present, providers


def _provider_names(answer):
    # region -> {provider name -> URL pattern}; older versions answer a flat name -> URL map.
    names = set()
    for key, value in (answer.items() if isinstance(answer, dict) else []):
        if isinstance(value, dict):
            names.update(value)
        else:
            names.add(key)
    return names
