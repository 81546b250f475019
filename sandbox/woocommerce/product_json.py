"""Products and variations as the REST API (and so webhook payloads) show them (§2.4, §7)."""
from . import product_model as pm


def _link(base, path):
    return [{"href": f"{base}wp-json/wc/v3/{path}"}]


def product_json(state, product, base, as_variation=False):
    """The REST representation; as_variation uses the /products/{pid}/variations/{id} shape."""
    managed = pm.managing_stock(state, product)
    owner = pm.stock_owner(state, product)
    status = pm.stock_status(state, product)
    price = pm.price(state, product)
    parent = state.products.get(product["parent_id"]) if product["parent_id"] else None
    slug = pm.slugify(product["name"]) or str(product["id"])
    permalink = f"{base}product/{slug}/"
    if parent:
        permalink = f"{base}product/{pm.slugify(parent['name'])}/?" + "&".join(
            f"attribute_{pm.slugify(a['name'])}={pm.slugify(a['option'])}" for a in product["attributes"])
    data = {"id": product["id"], "name": display_name(product, parent), "slug": slug, "permalink": permalink}
    data.update(state.dates("date_created", product["date_created"]))
    data.update(state.dates("date_modified", product["date_modified"]))
    data.update({
        "type": product["type"], "status": product["status"], "featured": False,
        "catalog_visibility": product["catalog_visibility"], "description": product["description"],
        "short_description": product["short_description"], "sku": product["sku"], "global_unique_id": "",
        "price": price, "regular_price": product["regular_price"], "sale_price": product["sale_price"],
        "date_on_sale_from": None, "date_on_sale_from_gmt": None, "date_on_sale_to": None,
        "date_on_sale_to_gmt": None, "on_sale": bool(product["sale_price"]),
        "purchasable": bool(price) and product["status"] == "publish", "total_sales": product["total_sales"],
        "virtual": False, "downloadable": False, "downloads": [], "download_limit": -1,
        "download_expiry": -1, "external_url": "", "button_text": "", "tax_status": product["tax_status"],
        "tax_class": product["tax_class"], "manage_stock": managed,
        "stock_quantity": owner["stock_quantity"] if owner else None, "stock_status": status,
        "backorders": product["backorders"], "backorders_allowed": product["backorders"] != "no",
        "backordered": bool(owner and (owner["stock_quantity"] or 0) < 0),
        "low_stock_amount": product["low_stock_amount"], "sold_individually": False,
        "weight": product["weight"],
        "dimensions": dict(product.get("dimensions") or {"length": "", "width": "", "height": ""}),
        "shipping_required": True, "shipping_taxable": True, "shipping_class": "", "shipping_class_id": 0,
        "reviews_allowed": True, "average_rating": "0.00", "rating_count": 0, "upsell_ids": [],
        "cross_sell_ids": [], "parent_id": product["parent_id"], "purchase_note": product["purchase_note"],
        "categories": product["categories"], "tags": product["tags"], "images": product["images"],
        "attributes": product["attributes"], "default_attributes": product["default_attributes"],
        "variations": list(product["variations"]), "grouped_products": [], "menu_order": 0,
        "price_html": f'<span class="woocommerce-Price-amount amount">{price}</span>' if price else "",
        "related_ids": [], "meta_data": product["meta_data"], "has_options": product["type"] == "variable",
        "post_password": "",
    })
    if as_variation:
        data = _variation_shape(data, product)
    data["_links"] = _links(product, base, as_variation)
    return data


def display_name(product, parent):
    """The name REST shows: a variation is "Parent - Option, Option"."""
    # A variation's name is "Parent - Option, Option" (WC_Product_Variation::generate_product_title).
    if parent and product["attributes"]:
        return f"{parent['name']} - " + ", ".join(a["option"] for a in product["attributes"])
    return product["name"]


_VARIATION_KEYS = (
    "id", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "description",
    "permalink", "sku", "global_unique_id", "price", "regular_price", "sale_price", "date_on_sale_from",
    "date_on_sale_from_gmt", "date_on_sale_to", "date_on_sale_to_gmt", "on_sale", "status",
    "purchasable", "virtual", "downloadable", "downloads", "download_limit", "download_expiry",
    "tax_status", "tax_class", "manage_stock", "stock_quantity", "stock_status", "backorders",
    "backorders_allowed", "backordered", "low_stock_amount", "weight", "dimensions", "shipping_class",
    "shipping_class_id", "attributes", "menu_order", "meta_data", "name", "type", "parent_id",
)


def _variation_shape(data, product):
    shaped = {key: data[key] for key in _VARIATION_KEYS}
    shaped["image"] = product["images"][0] if product["images"] else None
    return shaped


def _links(product, base, as_variation):
    if as_variation:
        pid = product["parent_id"]
        return {"self": _link(base, f"products/{pid}/variations/{product['id']}"),
                "collection": _link(base, f"products/{pid}/variations"), "up": _link(base, f"products/{pid}")}
    links = {"self": _link(base, f"products/{product['id']}"), "collection": _link(base, "products")}
    if product["parent_id"]:
        links["up"] = _link(base, f"products/{product['parent_id']}")
    return links
