"""Reference-data endpoints: warehouses, price lists, statuses, channels, methods, codes."""
from flask import request

from sandbox.catalog import WAREHOUSES

from . import refdata as rd
from .envelope import not_found, ok
from .idset import parse
from .routes import api_blueprint
from .search import Column, Search

blueprint = api_blueprint("bp_reference")


def _listing(items, key, idset):
    """All items, or those in the ID set; 404 CMNC-404 when an ID set matches none."""
    if idset is None:
        return ok(items)
    wanted = set(parse(idset))
    found = [i for i in items if i[key] in wanted]
    if not found:
        raise not_found()
    return ok(found)


def _warehouse(w):
    return {"id": w["id"], "name": w["name"], "typeCode": "OWN", "clickAndCollectEnabled": False,
            "address": {"addressLine1": f"Unit {w['id']}, Pearl Park", "addressLine3": "Leeds",
                        "postalCode": f"LS{w['id']} 1AA", "countryIsoCode": "GBR"}}


@blueprint.route("/warehouse-service/warehouse", defaults={"idset": None})
@blueprint.route("/warehouse-service/warehouse/<idset>")
def warehouses(idset):
    """GET warehouse/{idset?}: the catalog's warehouses (§6)."""
    return _listing([_warehouse(w) for w in WAREHOUSES], "id", idset)


@blueprint.route("/warehouse-service/warehouse/<int:warehouse_id>/location/default")
def default_location(warehouse_id):
    """GET a warehouse's default location id (BSITC uses it for goods-in)."""
    if warehouse_id not in rd.WAREHOUSE_IDS:
        raise not_found()
    return ok(rd.default_location(warehouse_id))


@blueprint.route("/warehouse-service/shipping-method", defaults={"idset": None})
@blueprint.route("/warehouse-service/shipping-method/<idset>")
def shipping_methods(idset):
    """GET shipping-method/{idset?}: [{id,name,code}] (VCR:shipping_method_get)."""
    return _listing(rd.SHIPPING_METHODS, "id", idset)


@blueprint.route("/product-service/price-list", defaults={"idset": None})
@blueprint.route("/product-service/price-list/<idset>")
def price_lists(idset):
    """GET price-list/{idset?} (§5)."""
    return _listing(rd.PRICE_LISTS, "id", idset)


@blueprint.route("/order-service/order-status", defaults={"idset": None})
@blueprint.route("/order-service/order-status/<idset>")
def order_statuses(idset):
    """GET order-status/{idset?}: per-account statuses with state (§7)."""
    return _listing(list(rd.STATUS_BY_ID.values()), "statusId", idset)


@blueprint.route("/order-service/order-type")
def order_types():
    """GET order-type: 1 SO, 2 PO, 3 SC, 4 PC."""
    return ok(rd.ORDER_TYPES)


@blueprint.route("/order-service/order-shipping-status")
def shipping_statuses():
    """GET order-shipping-status: NST/SNS/SPS/ASS."""
    # "description", not "name" (VCR:order_shipping_status_get).
    return ok([{"id": rd.SHIPPING_STATUS_ID[c], "code": c, "description": n}
               for c, n in rd.SHIPPING_STATUSES.items()])


@blueprint.route("/order-service/order-stock-status")
def stock_statuses():
    """GET order-stock-status (the sales/credit subset the sandbox uses)."""
    return ok([{"id": rd.STOCK_STATUS_ID[c], "code": c, "name": n}
               for c, n in rd.STOCK_STATUSES.items()])


@blueprint.route("/product-service/channel", defaults={"idset": None})
@blueprint.route("/product-service/channel/<idset>")
def channels(idset):
    """GET channel/{idset?}."""
    return _listing(rd.CHANNELS, "id", idset)


@blueprint.route("/product-service/brand", defaults={"idset": None})
@blueprint.route("/product-service/brand/<idset>")
def brands(idset):
    """GET brand/{idset?}."""
    return _listing(rd.BRANDS, "id", idset)


@blueprint.route("/product-service/brightpearl-category", defaults={"idset": None})
@blueprint.route("/product-service/brightpearl-category/<idset>")
def categories(idset):
    """GET brightpearl-category/{idset?}: [{id, name, parentId?}] (a tree by parentId)."""
    return _listing(rd.BRIGHTPEARL_CATEGORIES, "id", idset)


@blueprint.route("/product-service/product-type")
def product_types():
    """GET product-type."""
    return ok(rd.PRODUCT_TYPES)


@blueprint.route("/product-service/option")
def options():
    """GET option: the variation options."""
    return ok([{"id": i, "name": n} for n, i in rd.OPTIONS.items()])


@blueprint.route("/product-service/option/<int:option_id>/value")
def option_values(option_id):
    """GET option/{id}/value."""
    names = {i: n for n, i in rd.OPTIONS.items()}
    if option_id not in names:
        raise not_found()
    return ok([{"optionValueId": vid, "optionValueName": value}
               for (option, value), vid in rd.OPTION_VALUES.items() if option == names[option_id]])


@blueprint.route("/accounting-service/payment-method", defaults={"idset": None})
@blueprint.route("/accounting-service/payment-method/<idset>")
def payment_methods(idset):
    """GET payment-method/{idset?} (§7)."""
    return _listing(rd.PAYMENT_METHODS, "id", idset)


@blueprint.route("/accounting-service/tax-code", defaults={"idset": None})
@blueprint.route("/accounting-service/tax-code/<idset>")
def tax_codes(idset):
    """GET tax-code/{idset?} (§7)."""
    return _listing(rd.TAX_CODES, "id", idset)


@blueprint.route("/accounting-service/nominal-code", defaults={"idset": None})
@blueprint.route("/accounting-service/nominal-code/<idset>")
def nominal_codes(idset):
    """GET nominal-code/{idset?}."""
    return _listing(list(rd.NOMINAL_BY_CODE.values()), "id", idset)


_NOMINAL_SEARCH = Search(
    [Column("id", "IDSET", lambda n: n["id"]), Column("code", "STRING", lambda n: n["code"]),
     Column("name", "SEARCH_STRING", lambda n: n["name"]),
     Column("type", "STRING", lambda n: n["type"])],
    lambda: list(rd.NOMINAL_BY_CODE.values()))


@blueprint.route("/accounting-service/nominal-code-search")
def nominal_code_search():
    """GET nominal-code-search (BSITC)."""
    payload, extra = _NOMINAL_SEARCH.run(request.args)
    return ok(payload, **extra)
