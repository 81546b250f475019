"""/wc/v3/orders/{id}/refunds: money back through the gateway or recorded, with restock (§2.6)."""
from decimal import Decimal, InvalidOperation

from flask import Blueprint, request

from . import lifecycle
from .checkout import q
from .context import base_url, emu, locked
from .errors import WooError, respond
from .events import emit_action
from .listing import as_bool, filter_fields, paginate, require_json
from .order_json import refund_json

bp = Blueprint("woo_refunds", __name__, url_prefix="/wp-json/wc/v3")
# Gateways whose plugin implements process_refund(); the rest cannot refund through the API.
REFUNDABLE_GATEWAYS = ("stripe", "ppcp-gateway", "paypal", "woocommerce_payments")


def _order(order_id):
    order = emu().state.orders.get(order_id)
    if order is None:
        # Passed with a bare 404 as error data, so WordPress answers HTTP 500 (§2.6).
        raise WooError(500, "woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
    return order


def _decimal(value):
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise WooError(400, "woocommerce_rest_invalid_order_refund", "Refund amount must be a number.") from None


def create_refund(emulator, order, body, api_refund_default=True):
    """wc_create_refund: validate, call the gateway if asked, restock, note, fire order.updated."""
    state = emulator.state
    requested = body.get("line_items") or []
    if body.get("amount") not in (None, ""):
        amount = _decimal(body["amount"])
    else:  # no amount: the sum of the lines' refund_total and refund_tax (§2.6)
        amount = sum((_decimal(line.get("refund_total") or 0)
                      + sum((_decimal(t.get("refund_total") or 0) for t in line.get("refund_tax") or []), Decimal(0))
                      for line in requested), Decimal(0))
    if amount < 0:
        raise WooError(400, "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.")
    amount = q(amount)
    refunded = sum((Decimal(state.refunds[i]["amount"]) for i in order["refund_ids"]), Decimal(0))
    remaining = Decimal(order["total"]) - refunded
    if amount <= 0 or amount > remaining:
        raise WooError(500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500)
    api_refund = body.get("api_refund", api_refund_default)
    api_refund = api_refund if isinstance(api_refund, bool) else True  # non-bool → true [REF]
    if api_refund and order["payment_method"] not in REFUNDABLE_GATEWAYS:
        raise WooError(500, "woocommerce_rest_cannot_create_order_refund",
                       "The payment gateway for this order does not support automatic refunds.", 500)
    items = {item["id"]: item for item in order["line_items"]}
    refund = {"id": state.next_id("post"), "order_id": order["id"], "date_created": state.now(),
              "amount": str(amount), "reason": str(body.get("reason") or ""), "refunded_by": 1,
              "refunded_payment": api_refund, "meta_data": [], "line_items": [], "shipping_lines": [],
              "tax_lines": [], "fee_lines": []}
    for line in requested:
        item = items.get(int(line.get("id", 0)))
        if item is None:
            continue
        refund["line_items"].append(_refund_line(state, item, line))
    restock = body.get("api_restock", True)
    if restock if isinstance(restock, bool) else as_bool(restock):
        _restock(emulator, order, refund, items)
    state.refunds[refund["id"]] = refund
    state.touch("refunds", refund)
    order["refund_ids"].append(refund["id"])
    lifecycle.add_note(state, order, f"Refunded £{amount} – Refund ID: {refund['id']} – Reason: {refund['reason']}"
                       if refund["reason"] else f"Refunded £{amount} – Refund ID: {refund['id']}")
    if amount == remaining:
        lifecycle.set_status(emulator, order, "refunded", "Order fully refunded.")
    # woocommerce_order_refunded is one of order.updated's hooks (§1.7/§1.8).
    lifecycle.save_order(emulator, order)
    emit_action(emulator, "woocommerce_order_refunded", order["id"])
    emit_action(emulator, "woocommerce_refund_created", refund["id"])
    return refund


def _refund_line(state, item, line):
    quantity = int(line.get("quantity") or 0)
    total = q(_decimal(line.get("refund_total") or 0))
    tax = q(sum((_decimal(t.get("refund_total") or 0) for t in line.get("refund_tax") or []), Decimal(0)))
    product = state.products.get(item["variation_id"] or item["product_id"])
    return {"id": state.next_id("item"), "name": item["name"], "product_id": item["product_id"],
            "variation_id": item["variation_id"], "quantity": -quantity, "tax_class": "",
            "subtotal": str(-total), "subtotal_tax": str(-tax), "total": str(-total), "total_tax": str(-tax),
            "taxes": [{"id": 1, "total": str(-tax), "subtotal": str(-tax)}] if tax else [],
            "meta_data": [{"id": state.next_id("meta"), "key": "_refunded_item_id", "value": str(item["id"]),
                           "display_key": "_refunded_item_id", "display_value": str(item["id"])}],
            "sku": product["sku"] if product else None,
            "price": float(-total / quantity) if quantity else float(-total)}


def _restock(emulator, order, refund, items):
    for line in refund["line_items"]:
        product = emulator.state.products.get(line["variation_id"] or line["product_id"])
        if product is None or not line["quantity"]:
            continue
        moved = lifecycle.change_stock(emulator, product, -line["quantity"])
        if moved:
            owner, old, new = moved
            lifecycle.add_note(emulator.state, order, f"Item #{owner['id']} stock increased from {old} to {new}.")


@bp.post("/orders/<int:order_id>/refunds")
@locked
def post_refund(order_id):
    """POST /orders/{id}/refunds → 201 with the refund."""
    emulator = emu()
    refund = create_refund(emulator, _order(order_id), require_json())
    return respond(refund_json(emulator.state, refund, base_url()), 201)


@bp.get("/orders/<int:order_id>/refunds")
@locked
def list_refunds(order_id):
    """GET /orders/{id}/refunds, newest first, paged."""
    state = emu().state
    refunds = sorted((state.refunds[i] for i in _order(order_id)["refund_ids"]), key=lambda r: -r["id"])
    page, headers = paginate(refunds)
    return respond(filter_fields([refund_json(state, r, base_url()) for r in page]), 200, headers)


def _refund(order_id, refund_id):
    refund = emu().state.refunds.get(refund_id)
    if refund is None or refund["order_id"] != order_id:
        raise WooError(404, "woocommerce_rest_invalid_id", "Invalid ID.")
    return refund


@bp.get("/orders/<int:order_id>/refunds/<int:refund_id>")
@locked
def get_refund(order_id, refund_id):
    """GET /orders/{id}/refunds/{refund_id}."""
    _order(order_id)
    return respond(filter_fields(refund_json(emu().state, _refund(order_id, refund_id), base_url())))


@bp.delete("/orders/<int:order_id>/refunds/<int:refund_id>")
@locked
def delete_refund(order_id, refund_id):
    """DELETE …?force=true; fires order.updated on the parent (WC ≥ 11.2.0, §1.8)."""
    emulator = emu()
    order, refund = _order(order_id), _refund(order_id, refund_id)
    if not as_bool(request.args.get("force", "false")):
        raise WooError(501, "woocommerce_rest_trash_not_supported", "Refunds do not support trashing.")
    data = refund_json(emulator.state, refund, base_url())
    order["refund_ids"].remove(refund_id)
    emulator.state.remove("refunds", refund_id)
    lifecycle.save_order(emulator, order)
    return respond(data)
