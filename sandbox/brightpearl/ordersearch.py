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
    """The top-level reference object: names for the ids that appear on the page (the
    shipping status by its description, as recorded: "No stock tracked products on order")."""
    state = emu().state
    statuses = {str(o["statusId"]): rd.STATUS_BY_ID[o["statusId"]]["name"] for o in page}
    shipping = {shipping_status(state, o) for o in page}
    return {"orderStatusNames": statuses, "orderTypeNames": _TYPE_NAMES,
            "orderPaymentStatusNames": {str(rd.PAYMENT_STATUS_ID[p]): p for p in
                                        {payment_status(state, o) for o in page}},
            "orderShippingStatusNames": {str(rd.SHIPPING_STATUS_ID[c]): rd.SHIPPING_STATUSES[c]
                                         for c in shipping},
            "orderStockStatusNames": {str(rd.STOCK_STATUS_ID[c]): rd.STOCK_STATUSES[c]
                                      for c in {stock_status(state, o) for o in page}}}


def _order_search():
    state = emu().state
    # Types, flags and referenceData as the recorded metaData.columns has them (VCR:order_search):
    # most id-like columns are INTEGER (one value per filter), customerRef is an exact STRING.
    return Search([
        Column("orderId", "IDSET", lambda o: o["id"]),
        Column("orderTypeId", "IDSET", lambda o: rd.ORDER_TYPE_ID[o["type"]],
               reference=["orderTypeNames"]),
        Column("contactId", "INTEGER", lambda o: o["contactId"]),
        Column("orderStatusId", "INTEGER", lambda o: o["statusId"], reference=["orderStatusNames"]),
        Column("orderStockStatusId", "INTEGER",
               lambda o: rd.STOCK_STATUS_ID[stock_status(state, o)],
               reference=["orderStockStatusNames"]),
        Column("createdOn", "PERIOD", lambda o: o["createdOn"]),
        Column("createdById", "INTEGER", lambda o: 4),
        Column("customerRef", "STRING", lambda o: o["reference"]),
        Column("orderPaymentStatusId", "INTEGER",
               lambda o: rd.PAYMENT_STATUS_ID[payment_status(state, o)],
               reference=["orderPaymentStatusNames"]),
        Column("updatedOn", "PERIOD", lambda o: o["updatedOn"]),
        Column("parentOrderId", "IDSET", lambda o: o["parentId"] or 0),
        Column("orderShippingStatusId", "INTEGER",
               lambda o: rd.SHIPPING_STATUS_ID[shipping_status(state, o)],
               reference=["orderShippingStatusNames"]),
        Column("externalRef", "STRING", lambda o: o["externalRef"]),
        Column("installedIntegrationInstanceId", "INTEGER",
               lambda o: o["installedIntegrationInstanceId"]),
        Column("warehouseId", "IDSET", lambda o: o["warehouseId"]),
        Column("staffOwnerContactId", "INTEGER", lambda o: o["staffOwnerId"] or 0),
        Column("taxDate", "PERIOD", lambda o: o["taxDate"]),
        Column("departmentId", "INTEGER", lambda o: 0),
        Column("deliveryDate", "PERIOD", lambda o: o["deliveryDate"]),
    ], lambda: state.orders.values(), reference=lambda page: _reference(page, "orderStatusId"))


def _sales_order_search():
    state = emu().state
    # Not recorded: typed like order-search (the sales-order id an IDSET, other ids INTEGER),
    # the stricter reading of an UNCONFIRMED list.
    return Search([
        Column("salesOrderId", "IDSET", lambda o: o["id"]),
        Column("customerId", "INTEGER", lambda o: o["contactId"]),
        Column("orderStatusId", "INTEGER", lambda o: o["statusId"], reference=["orderStatusNames"]),
        Column("orderStockStatus", "STRING", lambda o: stock_status(state, o)),
        Column("createdOn", "PERIOD", lambda o: o["createdOn"]),
        Column("createdById", "INTEGER", lambda o: 4),
        Column("customerRef", "STRING", lambda o: o["reference"]),
        Column("orderPaymentStatus", "STRING", lambda o: payment_status(state, o)),
        Column("updatedOn", "PERIOD", lambda o: o["updatedOn"]),
        Column("orderShippingStatus", "STRING", lambda o: shipping_status(state, o)),
        Column("externalRef", "STRING", lambda o: o["externalRef"]),
        Column("installedIntegrationInstanceId", "INTEGER",
               lambda o: o["installedIntegrationInstanceId"]),
        Column("warehouseId", "IDSET", lambda o: o["warehouseId"]),
        Column("staffOwnerId", "INTEGER", lambda o: o["staffOwnerId"] or 0),
        Column("taxDate", "PERIOD", lambda o: o["taxDate"]),
        Column("channelId", "INTEGER", lambda o: o["channelId"]),
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
