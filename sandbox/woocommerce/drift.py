"""Control API for history and drift: many historical orders at once, and silent edits (no
webhook fires) of orders and products — what a plugin writing the database, an import, or a
lost delivery leaves behind. Never part of the emulated API."""
from decimal import Decimal

from flask import Blueprint, jsonify

from . import lifecycle
from .checkout import checkout as run_checkout
from .checkout import q
from .context import emu, locked
from .control import _body, _order
from .errors import WooError
from .refunds import create_refund

bp = Blueprint("woo_drift", __name__, url_prefix="/_sandbox")
_PRODUCT_FIELDS = ("name", "description", "short_description", "regular_price", "sale_price",
                   "weight", "status", "manage_stock", "stock_quantity")


class _Muted:
    """Deliveries dropped for the block (the edits are silent); the old setting restored."""

    def __init__(self, emulator):
        self.dispatcher = emulator.dispatcher

    def __enter__(self):
        self.was, self.dispatcher.muted = self.dispatcher.muted, True

    def __exit__(self, *exc):
        self.dispatcher.muted = self.was


@bp.post("/orders/bulk")
@locked
def bulk_orders():
    """{"orders": [checkout body + "date_created_gmt", "meta_data", "refunds": [{"amount",
    "reason"}]]} → [{id, number, total, status, refund_ids}]: historical orders (stock not
    checked or moved), created silently."""
    emulator, made = emu(), []
    with _Muted(emulator):
        for body in _body().get("orders") or []:
            order = run_checkout(emulator, dict(body, historical=True))
            for meta in body.get("meta_data") or []:
                order["meta_data"].append({"id": emulator.state.next_id("meta"), **meta})
            for refund in body.get("refunds") or []:
                create_refund(emulator, order, dict(refund, api_refund=False))
            made.append({"id": order["id"], "number": order["number"], "total": order["total"],
                         "status": order["status"], "refund_ids": list(order["refund_ids"])})
    return jsonify(made)


@bp.post("/orders/edit")
@locked
def edit_orders():
    """{"edits": [{"id", "status"?, "total"?, "meta_data"? [{key, value}], "remove_meta"?
    [keys]}]}: change orders silently (no side effects, no webhook)."""
    emulator, changed = emu(), []
    for edit in _body().get("edits") or []:
        order = _order(int(edit["id"]))
        if "status" in edit:
            if edit["status"] not in lifecycle.STATUSES:
                raise WooError(400, "sandbox_invalid_status", f"Unknown status {edit['status']}.")
            order["status"] = edit["status"]
        if "total" in edit:
            order["total"] = str(q(Decimal(str(edit["total"]))))
        drop = set(edit.get("remove_meta") or ())
        order["meta_data"] = [m for m in order["meta_data"] if m["key"] not in drop]
        for meta in edit.get("meta_data") or []:
            order["meta_data"] = [m for m in order["meta_data"] if m["key"] != meta["key"]]
            order["meta_data"].append({"id": emulator.state.next_id("meta"), **meta})
        emulator.state.touch("orders", order)
        changed.append(order["id"])
    return jsonify({"changed": changed})


@bp.post("/products/edit")
@locked
def edit_products():
    """{"edits": [{"id" | "sku", fields…, "delete"?: true}]}: change or delete products and
    variations silently; fields: name, description, prices, weight, status, stock."""
    emulator, changed = emu(), []
    state = emulator.state
    for edit in _body().get("edits") or []:
        product_id = edit.get("id") or state.sku_index.get(edit.get("sku"))
        product = state.products.get(product_id)
        if product is None:
            raise WooError(404, "sandbox_unknown_product", f"No product {edit}.")
        if edit.get("delete"):
            _delete(state, product)
        else:
            product.update({k: edit[k] for k in _PRODUCT_FIELDS if k in edit})
            state.touch("products", product)
        changed.append(product["id"])
    return jsonify({"changed": changed})


def _delete(state, product):
    parent = state.products.get(product["parent_id"]) if product["parent_id"] else None
    if parent is not None and product["id"] in parent["variations"]:
        parent["variations"].remove(product["id"])
    for child in list(product.get("variations") or []):
        _delete(state, state.products[child])
    if product["sku"]:
        state.sku_index.pop(product["sku"], None)
    state.remove("products", product["id"])
