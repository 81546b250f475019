"""The Shipment Tracking extension's REST API, wc-shipment-tracking/v3 (§2.7); switchable per store."""
import datetime
import re
import secrets

from flask import Blueprint

from . import lifecycle
from .context import base_url, emu, locked
from .errors import WooError, respond
from .listing import require_json

PREFIX = "/wp-json/wc-shipment-tracking/v3"
bp = Blueprint("woo_tracking", __name__, url_prefix=PREFIX)
META_KEY = "_wc_shipment_tracking_items"
PROVIDERS = {
    "United Kingdom": {"Royal Mail": "https://www.royalmail.com/track-your-item#/tracking-results/%1$s",
                       "DPD.co.uk": "https://www.dpd.co.uk/apps/tracking/?reference=%1$s&postcode=%2$s",
                       "Evri": "https://www.evri.com/track/parcel/%1$s",
                       "ParcelForce": "https://www.parcelforce.com/track-trace?trackNumber=%1$s"},
    "United States": {"UPS": "https://www.ups.com/track?tracknum=%1$s",
                      "USPS": "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s",
                      "FedEx": "https://www.fedex.com/apps/fedextrack/?tracknumbers=%1$s"},
    "Global": {"DHL Express": "https://www.dhl.com/en/express/tracking.html?AWB=%1$s"},
}


def _title(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _order(order_id):
    order = emu().state.orders.get(order_id)
    if order is None:
        raise WooError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid order ID.")
    return order


def _items(order):
    meta = next((m for m in order["meta_data"] if m["key"] == META_KEY), None)
    return meta["value"] if meta else []


def _item_json(order, item):
    provider_name, link = item["custom_tracking_provider"], item["custom_tracking_link"]
    for providers in PROVIDERS.values():
        for name, pattern in providers.items():
            if _title(name) == item["tracking_provider"]:
                provider_name, link = name, pattern
    link = link.replace("%1$s", item["tracking_number"]).replace("%2$s", order["shipping"].get("postcode", "")) \
        .replace("%3$s", order["shipping"].get("country", ""))
    base = f"{base_url()}wp-json/wc-shipment-tracking/v3/orders/{order['id']}/shipment-trackings"
    shipped = datetime.datetime.fromtimestamp(int(item["date_shipped"]), datetime.timezone.utc)
    return {"tracking_id": item["tracking_id"], "tracking_provider": provider_name,
            "custom_tracking_provider": item["custom_tracking_provider"], "tracking_link": link,
            "tracking_number": item["tracking_number"], "date_shipped": shipped.strftime("%Y-%m-%d"),
            "_links": {"self": [{"href": f"{base}/{item['tracking_id']}"}], "collection": [{"href": base}],
                       "up": [{"href": f"{base_url()}wp-json/wc/v3/orders/{order['id']}"}]}}


@bp.get("/orders/<int:order_id>/shipment-trackings")
@locked
def list_trackings(order_id):
    """GET …/orders/{id}/shipment-trackings."""
    order = _order(order_id)
    return respond([_item_json(order, item) for item in _items(order)])


@bp.post("/orders/<int:order_id>/shipment-trackings")
@locked
def add_tracking(order_id):
    """POST …/shipment-trackings → 201 + Location; stored in the order's meta (§2.7)."""
    emulator, order = emu(), _order(order_id)
    body = require_json()
    if not body.get("tracking_number"):
        raise WooError(400, "rest_missing_callback_param", "Missing parameter(s): tracking_number",
                       {"status": 400, "params": ["tracking_number"]})
    shipped = body.get("date_shipped") or emulator.state.now().strftime("%Y-%m-%d")
    try:
        when = datetime.datetime.fromisoformat(str(shipped)[:10]).replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise WooError(400, "rest_invalid_param", "Invalid parameter(s): date_shipped") from None
    item = {"tracking_provider": _title(str(body.get("tracking_provider") or "")),
            "custom_tracking_provider": str(body.get("custom_tracking_provider") or ""),
            "custom_tracking_link": str(body.get("custom_tracking_link") or ""),
            "tracking_number": str(body["tracking_number"]), "date_shipped": str(int(when.timestamp())),
            "tracking_id": secrets.token_hex(16)}
    items = _items(order) + [item]
    _store(emulator, order, items)
    data = _item_json(order, item)
    return respond(data, 201, {"Location": data["_links"]["self"][0]["href"]})


def _store(emulator, order, items):
    meta = next((m for m in order["meta_data"] if m["key"] == META_KEY), None)
    if meta is None:
        order["meta_data"].append({"id": emulator.state.next_id("meta"), "key": META_KEY, "value": items})
    else:
        meta["value"] = items
    # The extension saves the order; we treat that as an order save (order.updated) — UNCONFIRMED.
    lifecycle.save_order(emulator, order)


def _find(order, tracking_id):
    item = next((i for i in _items(order) if i["tracking_id"] == tracking_id), None)
    if item is None:
        raise WooError(404, "woocommerce_rest_shipment_tracking_invalid_id", "Invalid tracking ID.")
    return item


@bp.get("/orders/<int:order_id>/shipment-trackings/<tracking_id>")
@locked
def get_tracking(order_id, tracking_id):
    """GET …/shipment-trackings/{tracking_id}."""
    order = _order(order_id)
    return respond(_item_json(order, _find(order, tracking_id)))


@bp.delete("/orders/<int:order_id>/shipment-trackings/<tracking_id>")
@locked
def delete_tracking(order_id, tracking_id):
    """DELETE …/shipment-trackings/{tracking_id}; answers with the removed item."""
    emulator, order = emu(), _order(order_id)
    item = _find(order, tracking_id)
    data = _item_json(order, item)
    _store(emulator, order, [i for i in _items(order) if i["tracking_id"] != tracking_id])
    return respond(data)


@bp.get("/shipment-trackings/providers")
@bp.get("/orders/<int:order_id>/shipment-trackings/providers")
def providers(order_id=None):
    """GET the provider list: region → name → URL pattern (%1$s number, %2$s postcode)."""
    return respond(PROVIDERS)
