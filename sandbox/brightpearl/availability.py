"""Warehouse-service reads: product and bundle availability, goods-movement search (§6)."""
from flask import request

from .envelope import ApiError, not_found, ok
from .inventory import availability, bundle_availability
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked
from .search import Column, Search

blueprint = api_blueprint("bp_availability")


@blueprint.route("/warehouse-service/product-availability/<idset>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def product_availability(idset):
    """GET product-availability/{idset}: only stock-tracked, non-bundle products appear."""
    state = emu().state
    # The id-set limit here is UNCONFIRMED; the reference says to assume 200.
    ids = ids_for(idset, state.products, "/product-availability/{}")
    answer = {}
    for product_id in ids:
        product = state.products.get(product_id)
        if product is not None and product["stockTracked"] and not product["bundle"]:
            answer[str(product_id)] = availability(state, product_id)
    return ok(answer)


@blueprint.route("/warehouse-service/bundle-availability/<idset>")
@locked
def get_bundle_availability(idset):
    """GET bundle-availability/{id}: one bundle per call (§5 Bundles)."""
    if not idset.isdigit():
        raise ApiError(400, "WHSC-081", "bundle-availability takes exactly one product id")
    product = emu().state.products.get(int(idset))
    if product is None or not product["bundle"]:
        raise not_found("No bundle found")
    return ok({idset: bundle_availability(emu().state, product)})


def _movement_search():
    state = emu().state
    # Not recorded: the movement id an IDSET, other ids INTEGER (the stricter reading).
    # Movements are never edited, and a production integration polls them by updatedOn, so
    # theirs is filled at creation (UNCONFIRMED).
    return Search([
        Column("goodsMovementId", "IDSET", lambda m: m["goodsMovementId"]),
        Column("productId", "INTEGER", lambda m: m["productId"]),
        Column("quantity", "INTEGER", lambda m: m["quantity"]),
        Column("destinationLocationId", "INTEGER", lambda m: m["destinationLocationId"]),
        Column("warehouseId", "INTEGER", lambda m: m["warehouseId"]),
        Column("currencyCode", "STRING", lambda m: m["currencyCode"]),
        Column("goodsNoteTypeCode", "STRING", lambda m: m["goodsNoteTypeCode"]),
        Column("goodsNoteId", "INTEGER", lambda m: m["goodsNoteId"]),
        Column("batchId", "INTEGER", lambda m: m["batchId"]),
        Column("createdOn", "PERIOD", lambda m: m["createdOn"]),
        Column("updatedOn", "PERIOD", lambda m: m["updatedOn"]),
    ], lambda: state.movements.values())


@blueprint.route("/warehouse-service/goods-movement-search")
@locked
def goods_movement_search():
    """GET goods-movement-search: the polling backstop for stock changes (§6)."""
    payload, extra = _movement_search().run(request.args)
    return ok(payload, **extra)


@blueprint.route("/warehouse-service/goods-movement-search/meta-data")
def goods_movement_meta():
    """GET goods-movement-search/meta-data."""
    return ok(_movement_search().meta_data())
