"""The /_sandbox control API: seed, stock, order events, OAuth codes, faults, budget, counters."""
import time

from flask import Blueprint, current_app, request

from . import inventory
from . import refdata as rd
from .envelope import ApiError, raw
from .goodsin import create_drop_ship
from .notes import apply_events, create_gon
from .ordermodel import shipping_status
from .orders import change_status, invoice
from .seed import seed

blueprint = Blueprint("bp_control", __name__)


def _emu():
    return current_app.extensions["brightpearl"]


def _body():
    data = request.get_json(silent=True)
    return data if data is not None else {}


def _bad(message, status=400):
    return ApiError(status, "SANDBOX", message)


@blueprint.route("/seed", methods=["POST"])
def post_seed():
    """{"products": N, "customers": M, "seed": S, "bundles": K} -> a summary with id ranges."""
    emu, body = _emu(), _body()
    started = time.perf_counter()
    with emu.state.lock:
        summary = seed(emu, int(body.get("products", 40)), int(body.get("customers", 20)),
                       int(body.get("seed", 7)), int(body.get("bundles", 0)))
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return raw(summary)


def _stock_change(state, change):
    """Resolve one stock change to (product id, warehouse id, signed delta)."""
    product_id = change.get("productId")
    if product_id is None:
        product_id = state.sku_index.get(change.get("sku"))
    product = state.products.get(product_id)
    if product is None:
        raise _bad(f"Unknown product {change.get('productId') or change.get('sku')!r}", 404)
    if not product["stockTracked"] or product["bundle"]:
        raise _bad(f"Product {product_id} is not stock-tracked")
    warehouse_id = change.get("warehouseId", rd.DEFAULT_WAREHOUSE)
    if warehouse_id not in rd.WAREHOUSE_IDS:
        raise _bad(f"Unknown warehouse {warehouse_id}")
    if "onHand" in change:
        delta = int(change["onHand"]) - inventory.on_hand(state, product_id, warehouse_id)
    elif "delta" in change:
        delta = int(change["delta"])
    else:
        raise _bad("Give delta or onHand")
    return product_id, warehouse_id, delta


@blueprint.route("/stock", methods=["POST"])
def post_stock():
    """One change {"sku"|"productId", "warehouseId", "delta"|"onHand"}, or {"changes": [...]}.

    Each change is a stock correction (goods movement type SC); all are checked first, and the
    on-hand-modified webhook carries every changed product of the call.
    """
    emu, body = _emu(), _body()
    changes = body if isinstance(body, list) else body.get("changes") or [body]
    with emu.state.lock:
        resolved = [_stock_change(emu.state, c) for c in changes]
        totals = {}
        for product_id, warehouse_id, delta in resolved:
            key = (product_id, warehouse_id)
            totals[key] = totals.get(key, inventory.on_hand(emu.state, *key)) + delta
        if any(v < 0 for v in totals.values()):
            raise _bad("Stock cannot go negative")
        movements = [inventory.move(emu, p, w, d, "SC") for p, w, d in resolved if d]
        levels = {str(p): inventory.availability(emu.state, p) for p, _, _ in resolved}
    return raw({"movements": [m["goodsMovementId"] for m in movements], "availability": levels})


def _order(order_id):
    order = _emu().state.orders.get(order_id)
    if order is None:
        raise _bad(f"Order {order_id} not found", 404)
    return order


@blueprint.route("/orders/<int:order_id>/status", methods=["POST"])
def post_order_status(order_id):
    """{"orderStatusId": N}: a status change as staff would make it (same rules, webhook)."""
    emu = _emu()
    with emu.state.lock:
        change_status(emu, _order(order_id), int(_body().get("orderStatusId", 0)), _body().get("orderNote"))
    return raw({"orderId": order_id, "orderStatusId": _order(order_id)["statusId"]})


@blueprint.route("/orders/<int:order_id>/ship", methods=["POST"])
def post_ship(order_id):
    """{"rows"?: [rowId | {"rowId", "quantity"}], "reference", "shippingMethodId", "dropShip"}.

    Without rows, every row with something left to ship goes. A shipped GON (or drop-ship note)
    is created and its webhooks raised.
    """
    emu, body = _emu(), _body()
    with emu.state.lock:
        order = _order(order_id)
        method = body.get("shippingMethodId")
        if method is not None and method not in rd.SHIPPING_METHOD_IDS:
            raise _bad(f"Unknown shipping method {method}")
        drop_ship = bool(body.get("dropShip"))
        picks = _picks(emu.state, order, body.get("rows"), drop_ship)
        if not picks:
            raise _bad("Nothing left to ship on this order")
        if drop_ship:
            note = create_drop_ship(emu, order, picks, body.get("reference", ""), method)
            answer = {"dropShipNoteId": note["id"]}
        else:
            gon = create_gon(emu, order, order["warehouseId"], picks, method,
                             reference=body.get("reference", ""))
            apply_events(emu, gon, [{"eventCode": "SHW"}])
            answer = {"goodsOutNoteId": gon["id"]}
        answer["shippingStatusCode"] = shipping_status(emu.state, order)
    return raw(answer)


def _picks(state, order, rows, drop_ship):
    picks = []
    for item in rows if rows is not None else [None]:
        if item is None:
            candidates = [(r, r["quantity"] - r["onNotes"]) for r in order["rows"].values()]
        else:
            row_id = item if isinstance(item, int) else item.get("rowId", item.get("orderRowId"))
            row = order["rows"].get(row_id)
            if row is None:
                raise _bad(f"Row {row_id} is not on order {order['id']}")
            quantity = row["quantity"] - row["onNotes"] if isinstance(item, int) else item.get("quantity")
            candidates = [(row, row["quantity"] - row["onNotes"] if quantity is None else quantity)]
        for row, quantity in candidates:
            product = state.products.get(row["productId"]) if row["productId"] else None
            shippable = product is not None and not row["bundleParent"] and (
                drop_ship or product["stockTracked"])
            if shippable and quantity > 0:
                picks.append((row, quantity))
    return picks


@blueprint.route("/orders/<int:order_id>/invoice", methods=["POST"])
def post_invoice(order_id):
    """Invoice an order (it can then no longer be cancelled)."""
    emu = _emu()
    with emu.state.lock:
        reference = invoice(emu, _order(order_id))
    return raw({"orderId": order_id, "invoiceReference": reference})


@blueprint.route("/oauth/code", methods=["POST"])
def post_oauth_code():
    """{"redirect_uri"?} -> {"code"}: what the authorize redirect would carry."""
    emu = _emu()
    with emu.state.lock:
        return raw({"code": emu.oauth.issue_code(_body().get("redirect_uri"))})


@blueprint.route("/oauth/expire", methods=["POST"])
def post_oauth_expire():
    """Expire every access token now."""
    emu = _emu()
    with emu.state.lock:
        return raw({"expired": emu.oauth.expire_all()})


@blueprint.route("/oauth/config", methods=["POST"])
def post_oauth_config():
    """{"access_token_lifetime": seconds, "redirect_uri": registered URI or null}."""
    emu, body = _emu(), _body()
    with emu.state.lock:
        if "access_token_lifetime" in body:
            emu.oauth.data["lifetime"] = int(body["access_token_lifetime"])
            emu.state.changed("oauth")
        if "redirect_uri" in body:
            emu.config.oauth_redirect_uri = body["redirect_uri"] or None
        return raw({"access_token_lifetime": emu.oauth.data["lifetime"],
                    "redirect_uri": emu.config.oauth_redirect_uri})


@blueprint.route("/faults", methods=["GET", "POST", "DELETE"])
def faults():
    """POST a rule {"route", "method", "error_rate", "status", "body", "latency_ms",
    "timeout_seconds", "count"}; DELETE removes all; GET lists them."""
    emu = _emu()
    if request.method == "POST":
        try:
            return raw(emu.faults.add(_body()))
        except (ValueError, TypeError) as exc:
            raise _bad(f"Invalid fault: {exc}") from None
    if request.method == "DELETE":
        emu.faults.clear()
    return raw({"faults": emu.faults.list()})


@blueprint.route("/throttle", methods=["GET", "POST"])
def throttle():
    """POST {"rate_per_minute", "window_seconds", "exhaust": bool}; GET shows the budget."""
    emu, body = _emu(), _body()
    if request.method == "POST":
        if "rate_per_minute" in body or "window_seconds" in body:
            emu.throttle.configure(body.get("rate_per_minute"), body.get("window_seconds"))
        if body.get("exhaust"):
            _exhaust(emu)
    return raw(emu.throttle.snapshot())


@blueprint.route("/throttle/exhaust", methods=["POST"])
def throttle_exhaust():
    """Use up the whole budget now: the API answers 503 until the period ends."""
    emu = _emu()
    _exhaust(emu)
    return raw(emu.throttle.snapshot())


def _exhaust(emu):
    config = emu.config
    emu.throttle.exhaust([("private", config.account), ("oauth", config.account, config.dev_ref)])


@blueprint.route("/requests", methods=["GET", "DELETE"])
def requests_log():
    """API calls per (method, route template), with throttled counts; DELETE resets."""
    emu = _emu()
    if request.method == "DELETE":
        emu.requests.clear()
    return raw(emu.requests.snapshot())


@blueprint.route("/deliveries", methods=["GET", "DELETE"])
def deliveries():
    """Webhook deliveries made (url, body, status, attempts, history); DELETE forgets them."""
    emu = _emu()
    if request.method == "DELETE":
        emu.events.clear()
    return raw({"deliveries": emu.events.snapshot()})


@blueprint.route("/webhooks/config", methods=["GET", "POST"])
def webhook_config():
    """{"max_attempts", "backoff_seconds", "timeout_seconds", "muted"} for deliveries; while
    muted, raised events are dropped (lost webhooks, for planting drift)."""
    emu = _emu()
    if request.method == "POST":
        emu.events.settings.update({k: v for k, v in _body().items() if k in emu.events.settings})
    return raw(emu.events.settings)


@blueprint.route("/settings", methods=["GET", "POST"])
def settings():
    """{"auto_allocate": bool}: whether new sales orders reserve stock."""
    emu = _emu()
    if request.method == "POST":
        emu.settings.update({k: v for k, v in _body().items() if k in emu.settings})
    return raw(emu.settings)


@blueprint.route("/state")
def get_state():
    """Counts per collection, configuration, webhooks and the budget."""
    emu = _emu()
    with emu.state.lock:
        return raw({"account": emu.config.account, "counts": emu.state.counts(),
                    "webhooks": list(emu.state.webhooks.values()), "settings": emu.settings,
                    "throttle": emu.throttle.snapshot(), "faults": emu.faults.list(),
                    "instanceId": emu.config.instance_id,
                    "accessTokenLifetime": emu.oauth.data["lifetime"]})


@blueprint.route("/reset", methods=["POST"])
def post_reset():
    """Forget everything: data, webhooks, tokens, deliveries, counters, faults; budget and
    settings go back to what create_app was given."""
    emu = _emu()
    with emu.state.lock:
        emu.state.reset(keep=())
    emu.events.clear()
    emu.requests.clear()
    emu.faults.clear()
    emu.restore_defaults()
    return raw({"reset": True})
