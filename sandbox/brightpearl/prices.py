"""Product prices per price list: quantityPrice maps of 4-place strings (§5 Price lists)."""

from . import refdata as rd
from .envelope import invalid, json_body, not_found, ok, raw
from .fmt import dec, money
from .idset import parse
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked

blueprint = api_blueprint("bp_prices")


def _entry(state, product_id, list_ids):
    product = state.products[product_id]
    lists = []
    for list_id, breaks in sorted(state.prices.get(product_id, {}).items()):
        if list_ids is not None and list_id not in list_ids:
            continue
        price_list = next(p for p in rd.PRICE_LISTS if p["id"] == list_id)
        lists.append({"priceListId": list_id, "currencyCode": price_list["currencyCode"],
                      "currencyId": price_list["currencyId"], "sku": product["sku"],
                      "quantityPrice": {q: money(v) for q, v in sorted(breaks.items(), key=lambda x: int(x[0]))}})
    return {"productId": product_id, "priceLists": lists}


@blueprint.route("/product-service/product-price/<idset>", methods=ID_METHODS,
                 defaults={"lists": None}, provide_automatic_options=False)
@blueprint.route("/product-service/product-price/<idset>/price-list/<lists>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def get_prices(idset, lists):
    """GET product-price/{ids}[/price-list/{ids}]; "*" is every product; 404 when none found."""
    state = emu().state
    suffix = f"/price-list/{lists}" if lists else ""
    if idset == "*":
        ids = list(state.products)
    else:
        ids = ids_for(idset, state.products, "/product-price/{}" + suffix)
    list_ids = set(parse(lists)) if lists else None
    found = [_entry(state, i, list_ids) for i in ids if i in state.products]
    if not found:
        # VCR:product_price_get_not_found: missing ids answer 404 CMNC-404 (§3).
        raise not_found("No product prices found")
    return ok(found)


@blueprint.route("/product-service/product-price/<int:product_id>/price-list", methods=["PUT"])
@locked
def put_prices(product_id):
    """PUT product-price/{id}/price-list {"priceLists":[{priceListId, quantityPrice}]}; {}."""
    state = emu().state
    if product_id not in state.products:
        raise not_found()
    updates = {}
    for item in json_body().get("priceLists") or []:
        if item.get("priceListId") not in rd.PRICE_LIST_IDS:
            raise invalid("PRDC-060", f"Price list {item.get('priceListId')} does not exist")
        try:
            breaks = {str(int(q)): dec(v) for q, v in (item.get("quantityPrice") or {}).items()}
        except ValueError:
            raise invalid("PRDC-061", "quantityPrice needs integer quantities and numeric prices") from None
        if any(v < 0 for v in breaks.values()):
            raise invalid("PRDC-061", "Prices cannot be negative")
        updates[item["priceListId"]] = breaks
    state.prices.setdefault(product_id, {}).update(updates)
    state.changed("prices")
    # Price changes fire no webhook (§5: none is listed in H-EV).
    return raw({})
