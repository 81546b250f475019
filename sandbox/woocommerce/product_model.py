"""Products and variations: creation, the REST write rules for stock and SKU, derived fields (§2.4)."""
import re
from decimal import Decimal, InvalidOperation

from .errors import WooError, invalid_param
from .listing import as_bool

TYPES = ("simple", "grouped", "external", "variable")
STATUSES = ("draft", "pending", "private", "publish")
_TEXT_FIELDS = ("name", "description", "short_description", "weight", "tax_status", "tax_class",
                "purchase_note", "catalog_visibility")
_LIST_FIELDS = ("tags", "images", "default_attributes")
_NO_DIMENSIONS = {"length": "", "width": "", "height": ""}


def new_product(state, body, parent=None):
    """Create a product (or, with parent, a variation) from a REST body; returns the record."""
    now = state.now()
    product_type = "variation" if parent else body.get("type", "simple")
    if product_type not in TYPES + ("variation",):
        raise invalid_param("type", f"type is not one of {', '.join(TYPES)}.")
    product = {
        "id": state.next_id("post"), "type": product_type, "parent_id": parent["id"] if parent else 0,
        "name": "", "sku": "", "status": "publish", "description": "", "short_description": "",
        "regular_price": "", "sale_price": "", "manage_stock": False, "stock_quantity": None,
        "stock_status": "instock", "backorders": "no", "low_stock_amount": None, "weight": "",
        "dimensions": dict(_NO_DIMENSIONS), "attributes": [], "default_attributes": [], "variations": [], "meta_data": [],
        "categories": [], "tags": [], "images": [], "tax_status": "taxable", "tax_class": "",
        "purchase_note": "", "catalog_visibility": "visible", "total_sales": 0,
        "date_created": now, "date_modified": now,
    }
    if parent:
        product["name"] = parent["name"]
    apply_changes(state, product, body)
    state.products[product["id"]] = product
    if parent:
        parent["variations"].append(product["id"])
        state.touch("products", parent)
    state.touch("products", product)
    return product


def apply_changes(state, product, body):
    """Apply a REST create/update body to product, following WooCommerce's write rules."""
    for field in _TEXT_FIELDS:
        if field in body:
            product[field] = "" if body[field] is None else str(body[field])
    for field in _LIST_FIELDS:
        if field in body:
            product[field] = list(body[field] or [])
    if "categories" in body:
        product["categories"] = category_refs(state, body["categories"])
    for field in ("regular_price", "sale_price"):
        if field in body:
            product[field] = _price(field, body[field])
    if "status" in body:
        if body["status"] not in STATUSES:
            raise invalid_param("status", f"status is not one of {', '.join(STATUSES)}.")
        product["status"] = body["status"]
    if isinstance(body.get("dimensions"), dict):
        # Stored as the strings sent (WC_Product::set_length etc.); keys not sent are kept.
        dimensions = dict(product.get("dimensions") or _NO_DIMENSIONS)
        for key in _NO_DIMENSIONS:
            if key in body["dimensions"]:
                value = body["dimensions"][key]
                dimensions[key] = "" if value is None else str(value)
        product["dimensions"] = dimensions
    if "attributes" in body:
        product["attributes"] = _attributes(body["attributes"], product["type"] == "variation")
    if "meta_data" in body:
        apply_meta(state, product, body["meta_data"])
    _apply_stock(product, body)
    if "sku" in body:  # last: it either raises before changing anything or updates the index
        set_sku(state, product, str(body["sku"] or "").strip())


def category_refs(state, items):
    """A product's categories from a REST body [{id}]: {id, name, slug} of terms that exist.

    Ids of terms that do not exist are dropped, as wp_set_object_terms does (UNCONFIRMED).
    """
    refs = []
    for item in items or []:
        term = state.categories.get(item.get("id") if isinstance(item, dict) else None)
        if term is not None and all(r["id"] != term["id"] for r in refs):
            refs.append({"id": term["id"], "name": term["name"], "slug": term["slug"]})
    return refs


def _apply_stock(product, body):
    # stock_quantity counts only when the product manages stock after this request (§2.4);
    # "parent" (or false) on a variation means the variation itself does not manage it.
    if "manage_stock" in body:
        value = body["manage_stock"]
        product["manage_stock"] = False if value == "parent" else as_bool(value)
    if "backorders" in body:
        if body["backorders"] not in ("no", "notify", "yes"):
            raise invalid_param("backorders", "backorders is not one of no, notify, and yes.")
        product["backorders"] = body["backorders"]
    if "low_stock_amount" in body:
        product["low_stock_amount"] = None if body["low_stock_amount"] is None else int(body["low_stock_amount"])
    if product["manage_stock"]:
        if body.get("stock_quantity") is not None:
            product["stock_quantity"] = _stock_amount("stock_quantity", body["stock_quantity"])
        elif body.get("inventory_delta") is not None:
            current = product["stock_quantity"] or 0
            product["stock_quantity"] = current + _stock_amount("inventory_delta", body["inventory_delta"])
        elif product["stock_quantity"] is None:
            product["stock_quantity"] = 0
    else:
        product["stock_quantity"] = None
        if product["type"] == "variation":
            product["backorders"] = "no"
    if "stock_status" in body:
        if body["stock_status"] not in ("instock", "outofstock", "onbackorder"):
            raise invalid_param("stock_status", "stock_status is not one of instock, outofstock, and onbackorder.")
        product["stock_status"] = body["stock_status"]


def set_sku(state, product, sku):
    """Change a SKU, refusing one another live product holds (WC_Product::set_sku)."""
    holder = state.sku_index.get(sku) if sku else None
    if holder is not None and holder != product["id"]:
        raise WooError(400, "product_invalid_sku", "Invalid or duplicated SKU.",
                       {"status": 400, "resource_id": holder, "unique_sku": _unique_sku(state, sku)})
    if product["sku"] and state.sku_index.get(product["sku"]) == product["id"]:
        del state.sku_index[product["sku"]]
    product["sku"] = sku
    if sku:
        state.sku_index[sku] = product["id"]


def _unique_sku(state, sku):
    n = 1
    while f"{sku}-{n}" in state.sku_index:
        n += 1
    return f"{sku}-{n}"


def apply_meta(state, obj, entries):
    """Upsert meta_data entries by id, else by key, as WC_Data::set_meta_data does."""
    for entry in entries or []:
        key, value = entry.get("key"), entry.get("value")
        existing = next((m for m in obj["meta_data"] if ("id" in entry and m["id"] == entry["id"])
                         or ("id" not in entry and m["key"] == key)), None)
        if existing and value is None:
            obj["meta_data"].remove(existing)
        elif existing:
            existing["value"] = value
        elif key is not None:
            obj["meta_data"].append({"id": state.next_id("meta"), "key": key, "value": value})


def _price(field, value):
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise invalid_param(field, f"{field} is not of type string.") from None
    # wc_format_decimal keeps the value as entered ("10" stays "10").
    return str(amount)


def _stock_amount(field, value):
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise invalid_param(field, f"{field} is not of type integer.") from None


def _attributes(items, variation):
    result = []
    for position, item in enumerate(items or []):
        if variation:
            result.append({"id": int(item.get("id", 0)), "name": item.get("name", ""),
                           "option": str(item.get("option", ""))})
        else:
            options = item.get("options") or []
            result.append({"id": int(item.get("id", 0)), "name": item.get("name", ""),
                           "slug": slugify(item.get("name", "")), "position": item.get("position", position),
                           "visible": as_bool(item.get("visible", True)),
                           "variation": as_bool(item.get("variation", False)), "options": list(options)})
    return result


def slugify(text):
    """A WordPress-style slug: lowercase words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def managing_stock(state, product):
    """manage_stock as REST shows it: True, False, or "parent" for parent-managed variations."""
    if product["manage_stock"]:
        return True
    parent = state.products.get(product["parent_id"]) if product["parent_id"] else None
    if product["type"] == "variation" and parent and parent["manage_stock"]:
        return "parent"
    return False


def stock_owner(state, product):
    """The product whose stock_quantity a sale of product changes, or None if stock is unmanaged."""
    managed = managing_stock(state, product)
    if managed == "parent":
        return state.products[product["parent_id"]]
    return product if managed else None


def stock_status(state, product):
    """stock_status derived from quantity and backorders when stock is managed (§2.4)."""
    owner = stock_owner(state, product)
    if owner is not None:
        if (owner["stock_quantity"] or 0) > 0:
            return "instock"
        return "outofstock" if product["backorders"] == "no" else "onbackorder"
    if product["type"] == "variable" and product["variations"]:
        statuses = {stock_status(state, state.products[v]) for v in product["variations"]
                    if v in state.products}
        for status in ("instock", "onbackorder"):
            if status in statuses:
                return status
        return "outofstock"
    return product["stock_status"]


def price(state, product):
    """The active price: sale price if set, else regular; a variable product shows its lowest."""
    if product["type"] == "variable":
        prices = [Decimal(price(state, state.products[v])) for v in product["variations"]
                  if v in state.products and price(state, state.products[v])]
        return str(min(prices)) if prices else ""
    return product["sale_price"] or product["regular_price"]
