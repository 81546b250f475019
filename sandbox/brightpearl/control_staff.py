"""The /_sandbox control calls for what staff do in Brightpearl's own screens, where the API
has no call for it (or refuses it): correct a shipped note's tracking reference, archive or
delete a product, put a product in categories. Each raises the webhook Brightpearl would."""
from flask import Blueprint, current_app, request

from . import refdata as rd
from .envelope import ApiError, raw
from .fmt import now

blueprint = Blueprint("bp_control_staff", __name__)
_CATEGORY_IDS = rd.CATEGORY_CODES


def _emu():
    return current_app.extensions["brightpearl"]


def _body():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _product(state, product_id):
    product = state.products.get(product_id)
    if product is None:
        raise ApiError(404, "SANDBOX", f"Product {product_id} not found")
    return product


@blueprint.route("/goods-out-notes/<int:note_id>/reference", methods=["POST"])
def post_reference(note_id):
    """{"reference"}: staff correct the tracking reference of a (shipped) goods-out note.

    The API refuses edits to a shipped note (§10); whether the screens still allow the reference
    to change is UNCONFIRMED. It raises goods-out-note.modified, the event §10 names for it.
    """
    emu, reference = _emu(), str(_body().get("reference") or "").strip()
    if not reference or len(reference) > 64:
        raise ApiError(400, "SANDBOX", "reference must be 1 to 64 characters")
    with emu.state.lock:
        gon = emu.state.goods_out.get(note_id)
        if gon is None:
            raise ApiError(404, "SANDBOX", f"Goods-out note {note_id} not found")
        before = gon["shipping"].get("reference")
        gon["shipping"]["reference"] = reference
        gon["updatedOn"] = now()
        emu.state.changed("goods_out")
        emu.events.raise_("goods-out-note.modified", [note_id])
    return raw({"goodsOutNoteId": note_id, "reference": reference, "was": before})


@blueprint.route("/products/<int:product_id>/status", methods=["POST"])
def post_product_status(product_id):
    """{"status": "ARCHIVED" | "LIVE" | …}: archive a product (or bring it back); product.modified.

    The value an archived product carries is UNCONFIRMED; anything but LIVE is off sale.
    """
    emu, status = _emu(), str(_body().get("status") or "").strip().upper()
    if not status:
        raise ApiError(400, "SANDBOX", "status is required")
    with emu.state.lock:
        product = _product(emu.state, product_id)
        product.update(status=status, updatedOn=now())
        emu.state.changed("products")
        emu.events.raise_("product.modified", [product_id])
    return raw({"productId": product_id, "status": status})


@blueprint.route("/products/<int:product_id>/categories", methods=["POST"])
def post_product_categories(product_id):
    """{"categories": [category ids]}: the product's categories; product.modified."""
    emu, wanted = _emu(), _body().get("categories")
    if not isinstance(wanted, list) or any(c not in _CATEGORY_IDS for c in wanted):
        raise ApiError(400, "SANDBOX", f"categories must be a list of {sorted(_CATEGORY_IDS)}")
    with emu.state.lock:
        product = _product(emu.state, product_id)
        product.update(categories=list(wanted), updatedOn=now())
        emu.state.changed("products")
        emu.events.raise_("product.modified", [product_id])
    return raw({"productId": product_id, "categories": wanted})


@blueprint.route("/products/<int:product_id>", methods=["DELETE"])
def delete_product(product_id):
    """Delete a product for good (the API has no delete): GET answers 404, product.destroyed."""
    emu = _emu()
    with emu.state.lock:
        state = emu.state
        product = _product(state, product_id)
        if any(r["productId"] == product_id for o in state.orders.values()
               for r in o["rows"].values()):
            raise ApiError(400, "SANDBOX", f"Product {product_id} is on orders; archive it")
        del state.products[product_id]
        state.prices.pop(product_id, None)
        state.stock.pop(product_id, None)
        if state.sku_index.get(product["sku"]) == product_id:
            del state.sku_index[product["sku"]]
        state.changed("products", "prices", "stock")
        emu.events.raise_("product.destroyed", [product_id])
    return raw({"productId": product_id, "deleted": True})
