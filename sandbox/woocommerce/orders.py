"""/wc/v3/orders: list, read, update (status last, with side effects) and order notes (§2.5)."""
from flask import Blueprint, request

from . import lifecycle
from .context import base_url, emu, locked
from .errors import WooError, invalid_id, invalid_param, respond
from .listing import as_bool, csv_ints, date_predicates, filter_fields, order_by, paginate, require_json
from .order_json import note_json, order_json
from .product_model import apply_meta

bp = Blueprint("woo_orders", __name__, url_prefix="/wp-json/wc/v3")
_ADDRESS = ("first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode",
            "country", "email", "phone")


def get_order(order_id, status=404):
    """The order record, or WooCommerce's invalid-id error."""
    order = emu().state.orders.get(order_id)
    if order is None:
        raise invalid_id("shop_order", status)
    return order


@bp.get("/orders")
@locked
def list_orders():
    """GET /orders with status, customer, include/exclude, date filters and paging."""
    state = emu().state
    statuses = [s for s in request.args.get("status", "any").split(",") if s]
    for status in statuses:
        if status not in lifecycle.statuses(state) + ("any", "trash"):
            raise invalid_param("status", f"status[0] is not one of "
                                          f"{', '.join(lifecycle.statuses(state))}, any and trash.")
    include, exclude = csv_ints("include"), csv_ints("exclude")
    customer = request.args.get("customer")
    predicates = date_predicates(state)
    found = []
    for order in state.orders.values():
        if "any" not in statuses and order["status"] not in statuses:
            continue
        if (include and order["id"] not in include) or (exclude and order["id"] in exclude):
            continue
        if customer is not None and str(order["customer_id"]) != customer:
            continue
        if all(p(order) for p in predicates):
            found.append(order)
    page, headers = paginate(order_by(found))
    base = base_url()
    return respond(filter_fields([order_json(state, o, base) for o in page]), 200, headers)


@bp.get("/orders/<int:order_id>")
@locked
def get_one(order_id):
    """GET /orders/{id}."""
    return respond(filter_fields(order_json(emu().state, get_order(order_id), base_url())))


@bp.route("/orders/<int:order_id>", methods=["PUT", "POST", "PATCH"])
@locked
def update_order(order_id):
    """PUT /orders/{id}: fields first, status last "so transitions have new data" [ORD]."""
    emulator, order = emu(), get_order(order_id, 400)
    body = require_json()
    if "status" in body:
        lifecycle.check_status(emulator.state, body["status"])
    for key in ("customer_note", "transaction_id", "payment_method", "payment_method_title", "currency"):
        if key in body:
            order[key] = str(body[key] or "")
    for key in ("billing", "shipping"):
        if isinstance(body.get(key), dict):
            order[key].update({k: v for k, v in body[key].items() if k in _ADDRESS})
    if "meta_data" in body:
        apply_meta(emulator.state, order, body["meta_data"])
    if as_bool(body.get("set_paid", False)) and order["date_paid"] is None:
        # payment_complete(): paid now, and processing unless the body says otherwise.
        order["date_paid"] = emulator.state.now()
        body.setdefault("status", "processing")
    if "status" in body:
        lifecycle.set_status(emulator, order, body["status"])
    lifecycle.save_order(emulator, order)
    return respond(order_json(emulator.state, order, base_url()))


@bp.get("/orders/<int:order_id>/notes")
@locked
def list_notes(order_id):
    """GET /orders/{id}/notes?type=any|customer|internal, newest first."""
    state = emu().state
    get_order(order_id)
    kind = request.args.get("type", "any")
    if kind not in ("any", "customer", "internal"):
        raise invalid_param("type", "type is not one of any, customer, and internal.")
    notes = [n for n in state.notes.values() if n["order_id"] == order_id
             and (kind == "any" or n["customer_note"] == (kind == "customer"))]
    notes.sort(key=lambda n: -n["id"])
    return respond(filter_fields([note_json(state, n, base_url()) for n in notes]))


@bp.post("/orders/<int:order_id>/notes")
@locked
def create_note(order_id):
    """POST /orders/{id}/notes; a note does not save the order, so no order.updated (§1.8)."""
    state = emu().state
    order = get_order(order_id, 400)
    body = require_json()
    if not body.get("note"):
        raise WooError(400, "woocommerce_rest_missing_note", "Missing note.")
    author = "admin" if as_bool(body.get("added_by_user", False)) else "WooCommerce"
    note = lifecycle.add_note(state, order, str(body["note"]), as_bool(body.get("customer_note", False)), author)
    return respond(note_json(state, note, base_url()), 201)


def _note(order_id, note_id):
    note = emu().state.notes.get(note_id)
    if note is None or note["order_id"] != order_id:
        raise WooError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")
    return note


@bp.get("/orders/<int:order_id>/notes/<int:note_id>")
@locked
def get_note(order_id, note_id):
    """GET /orders/{id}/notes/{note_id}."""
    get_order(order_id)
    return respond(note_json(emu().state, _note(order_id, note_id), base_url()))


@bp.delete("/orders/<int:order_id>/notes/<int:note_id>")
@locked
def delete_note(order_id, note_id):
    """DELETE /orders/{id}/notes/{note_id}?force=true (notes cannot be trashed)."""
    state = emu().state
    get_order(order_id)
    note = _note(order_id, note_id)
    if not as_bool(request.args.get("force", "false")):
        raise WooError(501, "woocommerce_rest_trash_not_supported", "Order notes do not support trashing.")
    data = note_json(state, note, base_url())
    state.remove("notes", note_id)
    return respond(data)
