"""The control API under /_sandbox: seed, shop activity, faults, counters, state. Never emulated."""
from flask import Blueprint, jsonify, request

from . import lifecycle
from .checkout import checkout as run_checkout
from .context import base_url, emu, locked
from .errors import WooError, respond
from .listing import as_bool
from .order_json import order_json, refund_json
from .refunds import create_refund
from .seed import seed as run_seed

bp = Blueprint("woo_control", __name__, url_prefix="/_sandbox")


def _body():
    body = request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else {}


def _order(order_id):
    order = emu().state.orders.get(order_id)
    if order is None:
        raise WooError(404, "sandbox_unknown_order", f"No order {order_id}.")
    return order


@bp.post("/seed")
@locked
def seed():
    """{"products": N, "customers": M, "seed": S} → counts; replaces catalog, customers, orders."""
    body = _body()
    counts = run_seed(emu().state, int(body.get("products", 40)), int(body.get("customers", 20)),
                      int(body.get("seed", 7)))
    return jsonify(counts)


@bp.post("/checkout")
@locked
def checkout():
    """A storefront checkout: {"email"|"customer_index", "lines":[{"sku","quantity"}], ...} → order."""
    emulator = emu()
    order = run_checkout(emulator, _body())
    return respond(order_json(emulator.state, order, base_url()), 201)


@bp.post("/orders/<int:order_id>/status")
@locked
def set_status(order_id):
    """An admin status change {"status": "completed"}; fires order.updated."""
    emulator, order = emu(), _order(order_id)
    lifecycle.set_status(emulator, order, _body().get("status", ""))
    lifecycle.save_order(emulator, order)
    return respond(order_json(emulator.state, order, base_url()))


@bp.post("/orders/<int:order_id>/refund")
@locked
def refund(order_id):
    """An admin refund {"amount","reason","line_items","api_refund"(false),"api_restock"} → refund."""
    emulator = emu()
    made = create_refund(emulator, _order(order_id), _body(), api_refund_default=False)
    return respond(refund_json(emulator.state, made, base_url()), 201)


@bp.route("/faults", methods=["GET", "POST", "DELETE"])
def faults():
    """POST adds a fault rule, DELETE removes all, GET lists them."""
    rules = emu().faults
    if request.method == "POST":
        return jsonify(rules.add(_body())), 201
    if request.method == "DELETE":
        rules.clear()
    return jsonify(rules.list())


@bp.route("/requests", methods=["GET", "DELETE"])
def requests_log():
    """Request counts per (method, route template); DELETE resets them."""
    log = emu().requests
    if request.method == "DELETE":
        log.reset()
    return jsonify(log.snapshot())


@bp.route("/deliveries", methods=["GET", "DELETE"])
def deliveries():
    """Webhook deliveries and pings made (url, topic, status code, headers, body); DELETE clears."""
    dispatcher = emu().dispatcher
    if request.method == "DELETE":
        dispatcher.log.clear()
    return jsonify(list(dispatcher.log))


@bp.post("/webhooks/flush")
def flush():
    """Deliver every pending webhook now and answer when done."""
    return jsonify({"delivered": emu().dispatcher.flush()})


@bp.post("/webhooks/config")
def webhook_config():
    """Tune delivery: {"delay": seconds, "timeout": seconds, "max_failures": n, "muted": bool}.

    While muted, events are dropped instead of delivered: lost webhooks, for planting drift.
    """
    dispatcher, body = emu().dispatcher, _body()
    dispatcher.delay = float(body.get("delay", dispatcher.delay))
    dispatcher.timeout = float(body.get("timeout", dispatcher.timeout))
    dispatcher.max_failures = int(body.get("max_failures", dispatcher.max_failures))
    dispatcher.muted = as_bool(body.get("muted", dispatcher.muted))
    return jsonify({"delay": dispatcher.delay, "timeout": dispatcher.timeout,
                    "max_failures": dispatcher.max_failures, "muted": dispatcher.muted})


@bp.post("/order-statuses")
@locked
def order_statuses():
    """{"slug", "label"}: a plugin registers an order status (wc_order_statuses)."""
    state, body = emu().state, _body()
    slug = str(body.get("slug") or "").strip().lower().removeprefix("wc-")
    if not slug or slug in lifecycle.STATUSES:
        return jsonify({"error": "give the slug of a new status"}), 400
    state.settings["custom_statuses"] = {**(state.settings.get("custom_statuses") or {}),
                                         slug: str(body.get("label") or slug)}
    return jsonify(state.settings["custom_statuses"])


@bp.post("/tracking-extension")
@locked
def tracking_extension():
    """{"enabled": bool}: install or remove the Shipment Tracking extension."""
    state = emu().state
    state.settings["tracking_extension"] = as_bool(_body().get("enabled", True))
    return jsonify(state.settings)


@bp.post("/reset")
@locked
def reset():
    """Forget everything: catalog, orders, webhooks, faults, counts, deliveries."""
    emulator = emu()
    emulator.state.clear()
    emulator.dispatcher.clear()
    emulator.faults.clear()
    emulator.requests.reset()
    return jsonify({"reset": True})


@bp.get("/state")
@locked
def state_summary():
    """Counts, settings and webhooks including secret, failure_count and pending_delivery."""
    emulator = emu()
    state = emulator.state
    webhooks = [{key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in w.items()}
                for w in state.webhooks.values()]
    return jsonify({"products": len(state.products), "orders": len(state.orders), "refunds": len(state.refunds),
                    "notes": len(state.notes), "customers": len(state.customers),
                    "settings": state.settings, "webhooks": webhooks,
                    "pending_deliveries": len(emulator.dispatcher.pending()), "site_url": emulator.source_url()})
