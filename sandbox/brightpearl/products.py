"""Products: GET by ID set, POST, PUT, bundles, and product-search (§5)."""
from decimal import Decimal

from flask import request

from . import refdata as rd
from .envelope import invalid, json_body, not_found, ok, raw, strip_nulls
from .fmt import dec, now, ts
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked
from .search import Column, Search

blueprint = api_blueprint("bp_products")


def new_product(state, sku, name, **fields):
    """Add a product record to the state and its SKU index; returns it.

    updatedOn stays None until the product is first modified: real search rows show null for
    never-edited products (reference, "Column types and values confirmed").
    """
    product = {"id": state.next_id("product"), "sku": sku, "name": name, "description": "",
               "weight": Decimal(0), "dimensions": None, "categories": [], "groupId": None,
               "options": {}, "stockTracked": True, "bundle": False, "components": [],
               "brandId": 1, "productTypeId": 1, "status": "LIVE", "taxCode": "T",
               "barcode": None, "ean": None, "createdOn": fields.pop("createdOn", None) or now(),
               "updatedOn": None}
    product.update(fields)
    state.products[product["id"]] = product
    state.sku_index[sku] = product["id"]
    state.changed("products")
    return product


def _dimensions(p):
    # Numbers, present and 0.0 when unset (VCR:product_get_one); volume follows the sides.
    sides = {k: float((p.get("dimensions") or {}).get(k) or 0) for k in ("length", "height", "width")}
    return dict(sides, volume=round(sides["length"] * sides["height"] * sides["width"], 2))


def render(p):
    """A product as GET product/{id} shows it; the name lives in salesChannels[0] (§5)."""
    variations = [{"optionId": rd.OPTIONS[o], "optionName": o,
                   "optionValueId": rd.OPTION_VALUES[(o, v)], "optionValue": v}
                  for o, v in p["options"].items()]
    tax = rd.TAX_BY_CODE[p["taxCode"]]
    body = {
        "id": p["id"], "brandId": p["brandId"], "productTypeId": p["productTypeId"],
        "identity": {"sku": p["sku"], "barcode": p["barcode"] or "", "ean": p["ean"]},
        "productGroupId": p["groupId"], "featured": False,
        "stock": {"stockTracked": p["stockTracked"] and not p["bundle"],
                  "weight": {"magnitude": float(p["weight"] or 0)}, "dimensions": _dimensions(p)},
        "financialDetails": {"taxable": tax["rate"] > 0, "taxCode": {"id": tax["id"], "code": tax["code"]}},
        "salesChannels": [{"salesChannelName": "Brightpearl", "productName": p["name"],
                           "productCondition": "new",
                           # Codes are strings here, numbers in search results (both recorded).
                           "categories": [{"categoryCode": str(c)} for c in p["categories"]],
                           "description": {"languageCode": "en", "text": p["description"],
                                           "format": "HTML_FRAGMENT"},
                           "shortDescription": {"languageCode": "en", "text": "",
                                                "format": "HTML_FRAGMENT"}}],
        "composition": {"bundle": p["bundle"],
                        "bundleComponents": [{"productId": c, "productQuantity": q}
                                             for c, q in p["components"]] if p["bundle"] else None},
        "variations": variations or None,
        "createdOn": ts(p["createdOn"]), "updatedOn": ts(p["updatedOn"]) if p["updatedOn"] else None,
        "warehouses": {str(w): {"defaultLocationId": rd.default_location(w),
                                "overflowLocationId": rd.default_location(w),
                                "reorderLevel": 0, "reorderQuantity": 0} for w in sorted(rd.WAREHOUSE_IDS)},
        "nominalCodeStock": "1001", "nominalCodePurchases": "5000", "nominalCodeSales": "4000",
        "seasonIds": [], "reporting": {}, "status": p["status"], "salesPopupMessage": "",
        "warehousePopupMessage": "",
        "version": int((p["updatedOn"] or p["createdOn"]).timestamp() * 1000),
    }
    return strip_nulls(body)


@blueprint.route("/product-service/product/<idset>", methods=ID_METHODS, provide_automatic_options=False)
@locked
def get_products(idset):
    """GET product/{idset} (max 200; OPTIONS gives getUris); 404 CMNC-404 when none exist."""
    state = emu().state
    ids = ids_for(idset, state.products, "/product/{}")
    found = [render(state.products[i]) for i in ids if i in state.products]
    if not found:
        raise not_found("No products found")
    return ok(found)


@blueprint.route("/product-service/product/<int:product_id>/bundle")
@locked
def get_bundle(product_id):
    """GET product/{id}/bundle: the components of a bundle."""
    product = emu().state.products.get(product_id)
    if product is None or not product["bundle"]:
        raise not_found("No bundle found")
    return ok({"productId": product_id, "bundleComponents": [
        {"productId": c, "productQuantity": q} for c, q in product["components"]]})


def _validated(body, state, current=None):
    """Product fields from a POST/PUT body, validated as §5 "POST rules" describes."""
    fields = {}
    if current is None or "brandId" in body:
        if body.get("brandId") is None:
            raise invalid("PRDC-014", "brandId is required")
        if body["brandId"] not in rd.BRAND_IDS:
            raise invalid("PRDC-015", f"Brand {body['brandId']} does not exist")
        fields["brandId"] = body["brandId"]
    identity = body.get("identity") or {}
    if "sku" in identity:
        sku = str(identity["sku"] or "")
        if not sku or len(sku) > 32:
            raise invalid("PRDC-019", "identity.sku must be 1 to 32 characters")
        owner = state.sku_index.get(sku)
        if owner is not None and (current is None or owner != current["id"]):
            raise invalid("PRDC-020", f"SKU {sku} is already used by product {owner}")
        fields["sku"] = sku
    for key in ("ean", "barcode"):
        if identity.get(key) is not None:
            if len(str(identity[key])) > 14:
                raise invalid("PRDC-021", f"identity.{key} must be at most 14 characters")
            fields[key] = str(identity[key])
    channels = body.get("salesChannels") or []
    if channels:
        channel = channels[0]
        if channel.get("salesChannelName", "Brightpearl") != "Brightpearl":
            raise invalid("PRDC-030", "Only the Brightpearl sales channel is supported")
        if channel.get("productName"):
            fields["name"] = str(channel["productName"])
        if isinstance(channel.get("description"), dict):
            fields["description"] = str(channel["description"].get("text", ""))
    if current is None and not fields.get("name"):
        raise invalid("PRDC-024", "salesChannels[0].productName is required")
    stock = body.get("stock") or {}
    if "stockTracked" in stock:
        fields["stockTracked"] = bool(stock["stockTracked"])
    if isinstance(stock.get("weight"), dict) and "magnitude" in stock["weight"]:
        try:
            fields["weight"] = dec(stock["weight"]["magnitude"])
        except ValueError:
            raise invalid("PRDC-031", "stock.weight.magnitude must be a number") from None
    if isinstance(stock.get("dimensions"), dict):
        try:
            fields["dimensions"] = {k: dec(stock["dimensions"].get(k) or 0)
                                    for k in ("length", "height", "width")}
        except ValueError:
            raise invalid("PRDC-032", "stock.dimensions must be numbers") from None
    categories = (channels[0].get("categories") if channels else None)
    if isinstance(categories, list):
        codes = []
        for entry in categories:
            code = str((entry or {}).get("categoryCode", ""))
            if not code.isdigit() or int(code) not in rd.CATEGORY_CODES:
                raise invalid("PRDC-033", f"Category {code!r} does not exist")
            codes.append(int(code))
        fields["categories"] = codes
    composition = body.get("composition") or {}
    if composition.get("bundle"):
        components = [(int(c["productId"]), int(c.get("productQuantity", 1)))
                      for c in composition.get("bundleComponents") or []]
        if not components or any(c not in state.products or q < 1 for c, q in components):
            raise invalid("PRDC-040", "A bundle needs existing components with positive quantities")
        fields.update(bundle=True, components=components, stockTracked=False)
    return fields


@blueprint.route("/product-service/product", methods=["POST"])
@locked
def post_product():
    """POST product: returns the new id; fires product.created."""
    e = emu()
    body = json_body()
    fields = _validated(body, e.state)
    sku = fields.pop("sku", None) or f"AUTO-{e.state.meta['seq'].get('product', 1001)}"
    variations = body.get("variations") or []
    options = {}
    for variation in variations:
        names = {i: n for n, i in rd.OPTIONS.items()}
        option = names.get(variation.get("optionId"))
        values = {vid: v for (o, v), vid in rd.OPTION_VALUES.items() if o == option}
        if option is None or variation.get("optionValueId") not in values:
            raise invalid("PRDC-050", "Variation option or value does not exist")
        options[option] = values[variation["optionValueId"]]
    group = body.get("productGroupId")
    if group is None and options:
        # A product whose name matches an existing one joins (or starts) its group (§5).
        twin = next((p for p in e.state.products.values() if p["name"] == fields["name"]), None)
        if twin is not None:
            twin["groupId"] = twin["groupId"] or twin["id"]
            group = twin["groupId"]
    product = new_product(e.state, sku, fields.pop("name"), groupId=group, options=options, **fields)
    e.events.raise_("product.created", [product["id"]])
    return ok(product["id"])


@blueprint.route("/product-service/product/<int:product_id>", methods=["PUT"])
@locked
def put_product(product_id):
    """PUT product/{id} with a partial body; answers {} and fires product.modified."""
    e = emu()
    product = e.state.products.get(product_id)
    if product is None:
        raise not_found()
    fields = _validated(json_body(), e.state, current=product)
    if "sku" in fields:
        e.state.sku_index.pop(product["sku"], None)
        e.state.sku_index[fields["sku"]] = product_id
    product.update(fields, updatedOn=now())
    e.state.changed("products")
    e.events.raise_("product.modified", [product_id])
    return raw({})


def _membership(page):
    """reference.productCategoryMembership: every category of each product on the page."""
    return {"productCategoryMembership": {str(p["id"]): list(p["categories"])
                                          for p in page if p["categories"]}}


def _search():
    state = emu().state
    def by_sku(value):
        pid = state.sku_index.get(value)
        return [state.products[pid]] if pid is not None else []
    # Types and flags as the recorded metaData.columns has them (VCR:product_search).
    return Search([
        Column("productId", "IDSET", lambda p: p["id"], reference=["productCategoryMembership"]),
        Column("productName", "SEARCH_STRING", lambda p: p["name"]),
        Column("SKU", "STRING", lambda p: p["sku"]),
        Column("barcode", "STRING", lambda p: p["barcode"] or ""),
        Column("EAN", "STRING", lambda p: p["ean"]),
        Column("UPC", "STRING", lambda p: None), Column("ISBN", "STRING", lambda p: None),
        Column("MPN", "STRING", lambda p: None),
        Column("stockTracked", "BOOLEAN", lambda p: p["stockTracked"] and not p["bundle"]),
        Column("salesChannelName", "STRING", lambda p: "Brightpearl", filterable=False),
        Column("createdOn", "PERIOD", lambda p: p["createdOn"]),
        Column("updatedOn", "PERIOD", lambda p: p["updatedOn"]),
        # One (the primary) category per row; the full membership is in the reference.
        Column("brightpearlCategoryCode", "IDSET",
               lambda p: p["categories"][0] if p["categories"] else None, sortable=False),
        Column("productGroupId", "INTEGER", lambda p: p["groupId"]),
        Column("brandId", "IDSET", lambda p: p["brandId"]),
        Column("productTypeId", "IDSET", lambda p: p["productTypeId"]),
        Column("productStatus", "STRING", lambda p: p["status"]),
        Column("primarySupplierId", "IDSET", lambda p: None),
    ], lambda: state.products.values(), indexes={"SKU": by_sku}, reference=_membership)


@blueprint.route("/product-service/product-search")
@locked
def product_search():
    """GET product-search: SKU is an exact STRING, productName a substring (§4, §13.7)."""
    payload, extra = _search().run(request.args)
    return ok(payload, **extra)


@blueprint.route("/product-service/product-search/meta-data")
def product_search_meta():
    """GET product-search/meta-data: the columns and their types."""
    return ok(_search().meta_data())
