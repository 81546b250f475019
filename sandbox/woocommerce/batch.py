"""Batch endpoints: ≤100 items in total, per-item errors inside a 200 answer (§2.3)."""
from flask import Blueprint

from .context import base_url, emu, locked
from .errors import WooError, respond
from .listing import require_json
from .product_json import product_json
from .products import create_product, delete_product, get_product, get_variation, update_product

bp = Blueprint("woo_batch", __name__, url_prefix="/wp-json/wc/v3")
BATCH_LIMIT = 100  # woocommerce_rest_batch_items_limit


def _run(body, create, update, lookup, render):
    total = sum(len(body.get(key) or []) for key in ("create", "update", "delete"))
    if total > BATCH_LIMIT:
        raise WooError(413, "woocommerce_rest_request_entity_too_large",
                       f"Unable to accept more than {BATCH_LIMIT} items for this request.")
    answer = {}
    if "create" in body:
        answer["create"] = [_item(0, lambda item=item: render(create(item))) for item in body["create"] or []]
    if "update" in body:
        answer["update"] = [_item(item.get("id", 0), lambda item=item: render(
            update(lookup(int(item.get("id", 0)), 400), item))) for item in body["update"] or []]
    if "delete" in body:
        answer["delete"] = [_item(item_id, lambda item_id=item_id: _delete(lookup, render, int(item_id)))
                            for item_id in body["delete"] or []]
    return answer


def _delete(lookup, render, item_id):
    product = lookup(item_id, 404)
    data = render(product)
    delete_product(emu(), product, True)  # batch deletes are always force=true (§2.3)
    return data


def _item(item_id, action):
    try:
        return action()
    except WooError as error:
        return {"id": item_id, "error": error.body()}
    except (TypeError, ValueError, AttributeError) as error:
        return {"id": item_id, "error": {"code": "rest_invalid_param", "message": str(error),
                                         "data": {"status": 400}}}


@bp.route("/products/batch", methods=["POST", "PUT", "PATCH"])
@locked
def products_batch():
    """POST /products/batch {"create":[…],"update":[…],"delete":[ids]}."""
    emulator = emu()
    state, base = emulator.state, base_url()
    answer = _run(require_json(), lambda item: create_product(emulator, item),
                  lambda product, item: update_product(emulator, product, item), get_product,
                  lambda product: product_json(state, product, base))
    return respond(answer)


@bp.route("/products/<int:product_id>/variations/batch", methods=["POST", "PUT", "PATCH"])
@locked
def variations_batch(product_id):
    """POST /products/{id}/variations/batch."""
    emulator = emu()
    state, base = emulator.state, base_url()
    parent = get_product(product_id)
    answer = _run(require_json(), lambda item: create_product(emulator, item, parent),
                  lambda variation, item: update_product(emulator, variation, item),
                  lambda vid, status: get_variation(product_id, vid, status),
                  lambda variation: product_json(state, variation, base, True))
    return respond(answer)
