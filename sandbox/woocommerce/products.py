"""/wc/v3/products and /products/{id}/variations: list, read, create, update, delete (§2.4)."""
import copy

from flask import Blueprint, request

from . import product_model as pm
from .context import base_url, emu, locked
from .errors import WooError, invalid_id, invalid_param, respond
from .events import emit
from .listing import as_bool, csv_ints, date_predicates, filter_fields, order_by, paginate, require_json
from .product_json import product_json

bp = Blueprint("woo_products", __name__, url_prefix="/wp-json/wc/v3")


def create_product(emulator, body, parent=None):
    """Create a product or variation and fire product.created with its id (§1.8)."""
    product = pm.new_product(emulator.state, body, parent)
    emit(emulator, "product", "created", product["id"])
    return product


def update_product(emulator, product, body):
    """Apply body, stamp date_modified, fire product.updated (stock writes included, §1.8)."""
    snapshot = copy.deepcopy(product)
    try:
        pm.apply_changes(emulator.state, product, body)
    except Exception:
        product.clear()
        product.update(snapshot)  # WooCommerce saves nothing when a prop is rejected
        raise
    product["date_modified"] = emulator.state.now()
    emulator.state.touch("products", product)
    emit(emulator, "product", "updated", product["id"])
    return product


def delete_product(emulator, product, force):
    """Trash (fires product.deleted) or, with force, delete for good (no webhook, §1.7)."""
    state = emulator.state
    if not force:
        product["status"] = "trash"
        if state.sku_index.get(product["sku"]) == product["id"]:
            del state.sku_index[product["sku"]]
        state.touch("products", product)
        emit(emulator, "product", "deleted", product["id"])
        return
    for child_id in list(product["variations"]):
        if child_id in state.products:
            delete_product(emulator, state.products[child_id], True)
    parent = state.products.get(product["parent_id"])
    if parent and product["id"] in parent["variations"]:
        parent["variations"].remove(product["id"])
        state.touch("products", parent)
    if state.sku_index.get(product["sku"]) == product["id"]:
        del state.sku_index[product["sku"]]
    state.remove("products", product["id"])


def get_product(product_id, status=404):
    """A product or variation by id, or WooCommerce's invalid-id error."""
    product = emu().state.products.get(product_id)
    if product is None:
        raise invalid_id("product", status)
    return product


def get_variation(parent_id, variation_id, status=404):
    """A variation that belongs to parent_id."""
    get_product(parent_id)
    variation = emu().state.products.get(variation_id)
    if variation is None or variation["parent_id"] != parent_id:
        raise invalid_id("product_variation", status)
    return variation


def _sku_matches(state, raw):
    # A comma list, and the whole string as one SKU too; variations are included (§2.4).
    skus = {s.strip() for s in raw.split(",") if s.strip()} | {raw}
    ids = {state.sku_index[s] for s in skus if s in state.sku_index}
    return [state.products[i] for i in sorted(ids)]


def _listing(candidates, state, variations=False):
    statuses = request.args.get("status", "any")
    if statuses not in ("any", "trash") + pm.STATUSES:
        raise invalid_param("status", f"status is not one of any, future, trash, {', '.join(pm.STATUSES)}.")
    product_type = request.args.get("type")
    include, exclude, parents = csv_ints("include"), csv_ints("exclude"), csv_ints("parent")
    search = (request.args.get("search") or "").lower()
    stock_status = request.args.get("stock_status")
    predicates = date_predicates(state)
    found = []
    for product in candidates:
        if product["status"] == "trash" and statuses != "trash":
            continue
        if statuses not in ("any",) and product["status"] != statuses:
            continue
        if not variations and not request.args.get("sku") and product["type"] == "variation":
            continue
        if (product_type and product["type"] != product_type) or (include and product["id"] not in include) \
                or (exclude and product["id"] in exclude) or (parents and product["parent_id"] not in parents):
            continue
        if search and search not in product["name"].lower():
            continue
        if stock_status and pm.stock_status(state, product) != stock_status:
            continue
        if all(p(product) for p in predicates):
            found.append(product)
    return found


@bp.get("/products")
@locked
def list_products():
    """GET /products with sku, status, type, include, parent, search, dates, paging, _fields."""
    state = emu().state
    if request.args.get("sku"):
        candidates = _sku_matches(state, request.args["sku"])
    else:
        candidates = state.products.values()
    found = _listing(candidates, state)
    if request.args.get("orderby", "date") in ("date", "id") and request.args.get("order", "desc") == "desc":
        found.sort(key=lambda p: p["id"], reverse=True)  # ids grow with creation time: cheap date order
    else:
        found = order_by(found)
    page, headers = paginate(found)
    base = base_url()
    return respond(filter_fields([product_json(state, p, base) for p in page]), 200, headers)


@bp.post("/products")
@locked
def post_product():
    """POST /products → 201 with the new product."""
    emulator = emu()
    body = require_json()
    if body.get("type") == "variation":
        raise invalid_param("type", "type is not one of simple, grouped, external, and variable.")
    product = create_product(emulator, body)
    return respond(product_json(emulator.state, product, base_url()), 201)


@bp.get("/products/<int:product_id>")
@locked
def get_one(product_id):
    """GET /products/{id}; a variation id answers with type "variation" and parent_id (§1.8)."""
    return respond(filter_fields(product_json(emu().state, get_product(product_id), base_url())))


@bp.route("/products/<int:product_id>", methods=["PUT", "POST", "PATCH"])
@locked
def put_product(product_id):
    """PUT /products/{id}."""
    emulator = emu()
    product = update_product(emulator, get_product(product_id, 400), require_json())
    return respond(product_json(emulator.state, product, base_url()))


@bp.delete("/products/<int:product_id>")
@locked
def remove_product(product_id):
    """DELETE /products/{id}[?force=true]; answers with the product as it was."""
    emulator = emu()
    product = get_product(product_id)
    data = product_json(emulator.state, product, base_url())
    delete_product(emulator, product, as_bool(request.args.get("force", "false")))
    return respond(data)


@bp.get("/products/<int:product_id>/variations")
@locked
def list_variations(product_id):
    """GET /products/{id}/variations (menu order, i.e. creation order)."""
    state = emu().state
    parent = get_product(product_id)
    candidates = [state.products[v] for v in parent["variations"] if v in state.products]
    if request.args.get("sku"):
        wanted = {s.strip() for s in request.args["sku"].split(",")}
        candidates = [v for v in candidates if v["sku"] in wanted]
    page, headers = paginate(order_by(_listing(candidates, state, True), "menu_order"))
    base = base_url()
    return respond(filter_fields([product_json(state, v, base, True) for v in page]), 200, headers)


@bp.post("/products/<int:product_id>/variations")
@locked
def post_variation(product_id):
    """POST /products/{id}/variations → 201 with the variation."""
    emulator = emu()
    parent = get_product(product_id)
    if parent["type"] != "variable":
        raise WooError(400, "woocommerce_rest_product_variation_invalid_parent",
                       "Variations can only be added to variable products.")
    variation = create_product(emulator, require_json(), parent)
    return respond(product_json(emulator.state, variation, base_url(), True), 201)


@bp.get("/products/<int:product_id>/variations/<int:variation_id>")
@locked
def get_variation_view(product_id, variation_id):
    """GET /products/{id}/variations/{variation_id}."""
    variation = get_variation(product_id, variation_id)
    return respond(filter_fields(product_json(emu().state, variation, base_url(), True)))


@bp.route("/products/<int:product_id>/variations/<int:variation_id>", methods=["PUT", "POST", "PATCH"])
@locked
def put_variation(product_id, variation_id):
    """PUT /products/{id}/variations/{variation_id}."""
    emulator = emu()
    variation = update_product(emulator, get_variation(product_id, variation_id, 400), require_json())
    return respond(product_json(emulator.state, variation, base_url(), True))


@bp.delete("/products/<int:product_id>/variations/<int:variation_id>")
@locked
def remove_variation(product_id, variation_id):
    """DELETE /products/{id}/variations/{variation_id}[?force=true]."""
    emulator = emu()
    variation = get_variation(product_id, variation_id)
    data = product_json(emulator.state, variation, base_url(), True)
    delete_product(emulator, variation, as_bool(request.args.get("force", "false")))
    return respond(data)
