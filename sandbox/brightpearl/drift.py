"""Control API for history and drift: many orders (with payments, credits, shipments and a
status) in one call, and deletions nobody is told about. Never part of the emulated API.

Everything here is silent: the events the same work raises through the API are dropped, as
if the deliveries had been lost.
"""
from flask import Blueprint, current_app, g, request

from .control import _bad, _picks
from .envelope import raw
from .goodsin import create_drop_ship
from .notes import apply_events, create_gon
from .ordermodel import release_order
from .orders import change_status, create_order
from .payments import create_payment

blueprint = Blueprint("bp_drift", __name__)


def _emu():
    return current_app.extensions["brightpearl"]


@blueprint.route("/orders/bulk", methods=["POST"])
def bulk_orders():
    """{"orders": [{"order": sales-order body, "payments": [payment body without orderId],
    "credits": [{"credit": sales-credit body without parentId, "payments": [...]}],
    "ship": {"reference", "shippingMethodId", "rows"?, "dropShip"?}, "statusId"?}]}
    → {"orders": [{"orderId", "paymentIds", "creditIds", "noteIds"}]}; auto-allocation is off
    meanwhile."""
    emu, made = _emu(), []
    items = (request.get_json(silent=True) or {}).get("orders") or []
    with emu.state.lock:
        allocate, emu.settings["auto_allocate"] = emu.settings["auto_allocate"], False
        try:
            for item in items:
                made.append(_one(emu, item))
        finally:
            emu.settings["auto_allocate"] = allocate
            g.pop("bp_events", None)  # silent: nobody hears of history
    return raw({"orders": made})


def _one(emu, item):
    order_id, _ = create_order(emu, item["order"], "SO")
    order = emu.state.orders[order_id]
    payments = [create_payment(emu, dict(payment, orderId=order_id))
                for payment in item.get("payments") or []]
    notes = []
    if item.get("ship"):
        notes.append(_ship(emu, order, item["ship"]))
    if item.get("statusId"):
        change_status(emu, order, int(item["statusId"]))
    credits = []
    for entry in item.get("credits") or []:
        credit_id, _ = create_order(emu, dict(entry["credit"], parentId=order_id), "SC")
        for payment in entry.get("payments") or []:
            create_payment(emu, dict(payment, orderId=credit_id))
        credits.append(credit_id)
    return {"orderId": order_id, "paymentIds": payments, "creditIds": credits, "noteIds": notes}


def _ship(emu, order, ship):
    picks = _picks(emu.state, order, ship.get("rows"), bool(ship.get("dropShip")))
    if not picks:
        raise _bad(f"Nothing to ship on order {order['id']}")
    method = ship.get("shippingMethodId")
    if ship.get("dropShip"):
        return create_drop_ship(emu, order, picks, ship.get("reference", ""), method)["id"]
    gon = create_gon(emu, order, order["warehouseId"], picks, method,
                     reference=ship.get("reference", ""))
    apply_events(emu, gon, [{"eventCode": "SHW"}])
    return gon["id"]


@blueprint.route("/orders/<int:order_id>", methods=["DELETE"])
def delete_order(order_id):
    """Remove an order (its payments, its stock reservation) as if someone deleted it: no
    event is raised."""
    emu = _emu()
    with emu.state.lock:
        order = emu.state.orders.get(order_id)
        if order is None:
            raise _bad(f"Order {order_id} not found", 404)
        release_order(emu, order)
        g.pop("bp_events", None)
        del emu.state.orders[order_id]
        if order.get("externalKey"):
            emu.state.order_keys.pop(order["externalKey"], None)
        removed = [_drop_payment(emu.state, p)
                   for p in list(emu.state.payments_by_order.get(order_id, []))]
        emu.state.changed("orders", "payments")
    return raw({"deleted": order_id, "payments": removed})


@blueprint.route("/payments/<int:payment_id>", methods=["DELETE"])
def delete_payment(payment_id):
    """Remove one customer payment as if it had never been recorded."""
    emu = _emu()
    with emu.state.lock:
        if payment_id not in emu.state.payments:
            raise _bad(f"Payment {payment_id} not found", 404)
        _drop_payment(emu.state, payment_id)
        emu.state.changed("payments")
    return raw({"deleted": payment_id})


def _drop_payment(state, payment_id):
    payment = state.payments.pop(payment_id)
    state.payments_by_order.get(payment["orderId"], []).remove(payment_id)
    if payment.get("uniqueKey"):
        state.payment_keys.pop(payment["uniqueKey"], None)
    return payment_id
