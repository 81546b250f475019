"""order-search and sales-order-search over every order (§4 "Order search columns")."""
from flask import request

from . import refdata as rd
from .envelope import ok
from .ordermodel import payment_status, shipping_status, stock_status
from .routes import api_blueprint, emu, locked
from .search import Column, Search

blueprint = api_blueprint("bp_order_search")
_TYPE_NAMES = {str(t["id"]): t["name"] for t in rd.ORDER_TYPES}


def _reference(page, status_key):
    """The top-level reference object: names for the ids that appear on the page."""
    statuses = {str(o["statusId"]): rd.STATUS_BY_ID[o["statusId"]]["name"] for o in page}
    return {"orderStatusNames": statuses, "orderTypeNames": _TYPE_NAMES,
            "orderPaymentStatusNames": {str(v): k for k, v in rd.PAYMENT_STATUS_ID.items()},
            "orderShippingStatusNames": {str(v): k for k, v in rd.SHIPPING_STATUS_ID.items()},
            "orderStockStatusNames": {str(v): k for k, v in rd.STOCK_STATUS_ID.items()}}


def _order_search():
    state = emu().state
    return Search([
        Column("orderId", "IDSET", lambda o: o["id"]),
        Column("orderTypeId", "IDSET", lambda o: rd.ORDER_TYPE_ID[o["type"]]),
        Column("contactId", "IDSET", lambda o: o["contactId"]),
        Column("orderStatusId", "IDSET", lambda o: o["statusId"]),
        Column("orderStockStatusId", "IDSET", lambda o: rd.STOCK_STATUS_ID[stock_status(state, o)]),
        Column("createdOn", "PERIOD", lambda o: o["createdOn"]),
        Column("createdById", "IDSET", lambda o: 4),
        # customerRef is the order's reference; matching it as a substring is the stricter reading.
        Column("customerRef", "SEARCH_STRING", lambda o: o["reference"]),
        Column("orderPaymentStatusId", "IDSET", lambda o: rd.PAYMENT_STATUS_ID[payment_status(state, o)]),
        Column("updatedOn", "PERIOD", lambda o: o["updatedOn"]),
        Column("parentOrderId", "IDSET", lambda o: o["parentId"]),
        Column("orderShippingStatusId", "IDSET",
               lambda o: rd.SHIPPING_STATUS_ID[shipping_status(state, o)]),
        Column("externalRef", "STRING", lambda o: o["externalRef"]),
        Column("installedIntegrationInstanceId", "IDSET", lambda o: o["installedIntegrationInstanceId"]),
        Column("warehouseId", "IDSET", lambda o: o["warehouseId"]),
        Column("staffOwnerContactId", "IDSET", lambda o: o["staffOwnerId"]),
        Column("taxDate", "PERIOD", lambda o: o["taxDate"]),
        Column("departmentId", "IDSET", lambda o: None),
        Column("deliveryDate", "PERIOD", lambda o: o["deliveryDate"]),
    ], lambda: state.orders.values(), reference=lambda page: _reference(page, "orderStatusId"))


def _sales_order_search():
    state = emu().state
    return Search([
        Column("salesOrderId", "IDSET", lambda o: o["id"]),
        Column("customerId", "IDSET", lambda o: o["contactId"]),
        Column("orderStatusId", "IDSET", lambda o: o["statusId"]),
        Column("orderStockStatus", "STRING", lambda o: stock_status(state, o)),
        Column("createdOn", "PERIOD", lambda o: o["createdOn"]),
        Column("createdById", "IDSET", lambda o: 4),
        Column("customerRef", "SEARCH_STRING", lambda o: o["reference"]),
        Column("orderPaymentStatus", "STRING", lambda o: payment_status(state, o)),
        Column("updatedOn", "PERIOD", lambda o: o["updatedOn"]),
        Column("orderShippingStatus", "STRING", lambda o: shipping_status(state, o)),
        Column("externalRef", "STRING", lambda o: o["externalRef"]),
        Column("installedIntegrationInstanceId", "IDSET", lambda o: o["installedIntegrationInstanceId"]),
        Column("warehouseId", "IDSET", lambda o: o["warehouseId"]),
        Column("staffOwnerId", "IDSET", lambda o: o["staffOwnerId"]),
        Column("taxDate", "PERIOD", lambda o: o["taxDate"]),
        Column("channelId", "IDSET", lambda o: o["channelId"]),
        Column("deliveryDate", "PERIOD", lambda o: o["deliveryDate"]),
    ], lambda: [o for o in state.orders.values() if o["type"] == "SO"],
        reference=lambda page: _reference(page, "orderStatusId"), extra_filters=[
        Column("productIds", "IDSET", lambda o: [r["productId"] for r in o["rows"].values()]),
        Column("isHistoricalOrder", "BOOLEAN", lambda o: False),
        # customerRefs is a STRING_SET; the separator is UNCONFIRMED, the sandbox uses commas.
        Column("customerRefs", "STRING_SET", lambda o: o["reference"]),
    ])


@blueprint.route("/order-service/order-search")
@locked
def order_search():
    """GET order-search: every order type; filter orderTypeId=1 for sales orders."""
    payload, extra = _order_search().run(request.args)
    return ok(payload, **extra)


@blueprint.route("/order-service/order-search/meta-data")
def order_search_meta():
    """GET order-search/meta-data."""
    return ok(_order_search().meta_data())


@blueprint.route("/order-service/sales-order-search")
@locked
def sales_order_search():
    """GET sales-order-search: sales orders only, with productIds/customerRefs filters."""
    payload, extra = _sales_order_search().run(request.args)
    return ok(payload, **extra)


@blueprint.route("/order-service/sales-order-search/meta-data")
def sales_order_search_meta():
    """GET sales-order-search/meta-data."""
    return ok(_sales_order_search().meta_data())
