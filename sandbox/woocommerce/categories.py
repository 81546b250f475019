"""Product categories, wc/v3/products/categories: a term tree by parent, and products' links to
it (WooCommerce's product_cat taxonomy). Terms have their own id sequence, apart from posts."""
from flask import Blueprint, request

from .context import base_url, emu, locked
from .errors import WooError, invalid_param, respond
from .listing import csv_ints, filter_fields, paginate, require_json
from .product_model import slugify

bp = Blueprint("woo_categories", __name__, url_prefix="/wp-json/wc/v3")


def _json(state, term):
    count = sum(1 for p in state.products.values() if p["status"] != "trash"
                and any(c["id"] == term["id"] for c in p["categories"]))
    link = f"{base_url()}wp-json/wc/v3/products/categories"
    return {"id": term["id"], "name": term["name"], "slug": term["slug"], "parent": term["parent"],
            "description": term["description"], "display": "default", "image": None,
            "menu_order": 0, "count": count,
            "_links": {"self": [{"href": f"{link}/{term['id']}"}], "collection": [{"href": link}]}}


def _term(term_id):
    term = emu().state.categories.get(term_id)
    if term is None:
        raise WooError(404, "woocommerce_rest_term_invalid", "Resource does not exist.")
    return term


def _check(state, name, parent, term_id=None):
    """Validate a name/parent pair; WordPress refuses a sibling with the same name."""
    if not name:
        raise invalid_param("name", "name is a required property of category.")
    if parent and parent not in state.categories:
        raise WooError(400, "woocommerce_rest_term_invalid", "Parent resource does not exist.")
    for other in state.categories.values():
        if other["id"] != term_id and other["parent"] == parent \
                and other["name"].lower() == name.lower():
            raise WooError(400, "term_exists", "A term with the name provided already exists "
                           "with this parent.", {"status": 400, "resource_id": other["id"]})


def _unique_slug(state, wanted, term_id=None):
    slug, n = wanted, 2
    while any(t["slug"] == slug and t["id"] != term_id for t in state.categories.values()):
        slug, n = f"{wanted}-{n}", n + 1
    return slug


@bp.get("/products/categories")
@locked
def list_categories():
    """GET categories with parent, include, search, slug and paging."""
    state = emu().state
    parents, include = csv_ints("parent"), csv_ints("include")
    search, slug = (request.args.get("search") or "").lower(), request.args.get("slug")
    found = [t for t in sorted(state.categories.values(), key=lambda t: t["name"].lower())
             if (parents is None or t["parent"] in parents) and (not include or t["id"] in include)
             and (not search or search in t["name"].lower()) and (not slug or t["slug"] == slug)]
    page, headers = paginate(found)
    return respond(filter_fields([_json(state, t) for t in page]), 200, headers)


@bp.post("/products/categories")
@locked
def post_category():
    """POST a category {name, parent?, slug?, description?} → 201."""
    state, body = emu().state, require_json()
    name, parent = str(body.get("name") or "").strip(), int(body.get("parent") or 0)
    _check(state, name, parent)
    term_id = state.next_id("term")
    state.categories[term_id] = {
        "id": term_id, "name": name, "parent": parent,
        "slug": _unique_slug(state, slugify(str(body.get("slug") or name))),
        "description": str(body.get("description") or "")}
    state.touch("categories", state.categories[term_id])
    return respond(_json(state, state.categories[term_id]), 201)


@bp.get("/products/categories/<int:term_id>")
@locked
def get_category(term_id):
    """GET one category."""
    return respond(filter_fields(_json(emu().state, _term(term_id))))


@bp.route("/products/categories/<int:term_id>", methods=["PUT", "POST", "PATCH"])
@locked
def put_category(term_id):
    """PUT a category's name, parent, slug or description."""
    state, term, body = emu().state, _term(term_id), require_json()
    name = str(body.get("name", term["name"])).strip()
    parent = int(body.get("parent", term["parent"]) or 0)
    _check(state, name, parent, term_id)
    term.update(name=name, parent=parent, description=str(body.get("description",
                                                                   term["description"])))
    if "slug" in body:
        term["slug"] = _unique_slug(state, slugify(str(body["slug"])), term_id)
    state.touch("categories", term)
    return respond(_json(state, term))


@bp.delete("/products/categories/<int:term_id>")
@locked
def delete_category(term_id):
    """DELETE a category (force=true required: terms have no trash); children move up."""
    state, term = emu().state, _term(term_id)
    if request.args.get("force") not in ("true", "1"):
        raise WooError(501, "woocommerce_rest_trash_not_supported",
                       "Resource does not support trashing.")
    answer = _json(state, term)
    for child in state.categories.values():
        if child["parent"] == term_id:
            child["parent"] = term["parent"]
            state.touch("categories", child)
    for product in state.products.values():
        if any(c["id"] == term_id for c in product["categories"]):
            product["categories"] = [c for c in product["categories"] if c["id"] != term_id]
            state.touch("products", product)
    state.remove("categories", term_id)
    return respond(answer)

