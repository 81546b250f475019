"""Derived order state (totals, payment/stock/shipping statuses) and the two GET shapes (§7)."""
from decimal import Decimal

from . import inventory
from . import refdata as rd
from .envelope import strip_nulls
from .fmt import money, ts

_ZERO = Decimal(0)


def tracked_rows(state, order):
    """Rows whose product is stock-tracked (bundle parents carry no stock themselves)."""
    return [r for r in order["rows"].values() if r["productId"] is not None
            and state.products[r["productId"]]["stockTracked"] and not r["bundleParent"]]


def totals(order):
    """(net, tax, total) of an order as Decimals."""
    net = sum((r["net"] for r in order["rows"].values()), _ZERO)
    tax = sum((r["tax"] for r in order["rows"].values()), _ZERO)
    return net, tax, net + tax


def paid(state, order):
    """Money settled against the order: payments out for SC; for SO, receipts and captures less
    what was paid back to the customer against the order (PAYMENT)."""
    mine = [state.payments[p] for p in state.payments_by_order.get(order["id"], ())]
    if order["type"] == "SC":
        return sum((p["amountPaid"] for p in mine if p["paymentType"] == "PAYMENT"), _ZERO)
    received = sum((p["amountPaid"] for p in mine if p["paymentType"] in ("RECEIPT", "CAPTURE")),
                   _ZERO)
    return received - sum((p["amountPaid"] for p in mine if p["paymentType"] == "PAYMENT"), _ZERO)


def payment_status(state, order):
    """PAID / PARTIALLY_PAID / UNPAID / NOT_APPLICABLE, computed as Brightpearl does."""
    total = totals(order)[2]
    if total <= 0:
        return "NOT_APPLICABLE"
    settled = paid(state, order)
    return "PAID" if settled >= total else "PARTIALLY_PAID" if settled > 0 else "UNPAID"


def shipping_status(state, order):
    """NST / SNS / SPS / ASS from shipped quantities of stock-tracked rows."""
    rows = tracked_rows(state, order)
    if not rows:
        return "NST"
    shipped = [min(r["shipped"], r["quantity"]) for r in rows]
    if all(s >= r["quantity"] for s, r in zip(shipped, rows)):
        return "ASS"
    return "SPS" if any(shipped) else "SNS"


def stock_status(state, order):
    """SON/SOP/SOA for sales orders (allocated or shipped), SCN/SCA for credits (received)."""
    rows = tracked_rows(state, order)
    if order["type"] == "SC":
        return "SCA" if rows and all(r["received"] >= r["quantity"] for r in rows) else "SCN"
    done = [sum(r["allocated"].values()) + r["shipped"] >= r["quantity"] for r in rows]
    if not rows or all(done):
        return "SOA"
    covered = any(sum(r["allocated"].values()) + r["shipped"] > 0 for r in rows)
    return "SOP" if covered else "SON"


def allocation_status(state, order):
    """AAA all allocated, APA part, ANA none, ANR not required."""
    rows = [r for r in tracked_rows(state, order) if r["shipped"] < r["quantity"]]
    if not rows or order["type"] != "SO":
        return "ANR"
    need = [r["quantity"] - r["shipped"] for r in rows]
    have = [sum(r["allocated"].values()) for r in rows]
    if all(h >= n for h, n in zip(have, need)):
        return "AAA"
    return "APA" if any(have) else "ANA"


def allocate_order(emu, order):
    """Reserve stock for each stock-tracked row in the order's warehouse, as far as it goes."""
    for row in tracked_rows(emu.state, order):
        wanted = int(row["quantity"] - row["shipped"]) - sum(row["allocated"].values())
        if wanted > 0:
            got = inventory.allocate(emu, row["productId"], order["warehouseId"], wanted)
            if got:
                row["allocated"][order["warehouseId"]] = row["allocated"].get(order["warehouseId"], 0) + got


def release_order(emu, order):
    """Give back every reservation (cancellation removes reservations, §7)."""
    for row in order["rows"].values():
        for warehouse_id, amount in list(row["allocated"].items()):
            inventory.release(emu, row["productId"], warehouse_id, amount)
        row["allocated"] = {}


def _money_block(order):
    net, tax, total = totals(order)
    rate = order["exchangeRate"] or Decimal(1)
    return {"net": money(net), "taxAmount": money(tax), "baseNet": money(net / rate),
            "baseTaxAmount": money(tax / rate), "baseTotal": money(total / rate), "total": money(total)}


def render_order(state, order):
    """GET order/{id}: orderRows keyed by row id, money as strings (VCR:order_get_one)."""
    status = rd.STATUS_BY_ID[order["statusId"]]
    rows = {}
    for row in sorted(order["rows"].values(), key=lambda r: r["id"]):
        quantity = row["quantity"]
        rows[str(row["id"])] = {
            "orderRowSequence": str(row["sequence"]), "productId": row["productId"],
            "productName": row["name"], "productSku": row["sku"],
            "quantity": {"magnitude": money(quantity)},
            "itemCost": {"currencyCode": order["currency"], "value": "0.0000"},
            "productPrice": {"currencyCode": order["currency"], "value": money(row["net"] / quantity)},
            "discountPercentage": "0.00",
            "rowValue": {"taxRate": money(Decimal(str(rd.TAX_BY_CODE[row["taxCode"]]["rate"]))),
                         "taxCode": row["taxCode"], "taxCalculator": "brightpearl",
                         "rowNet": {"currencyCode": order["currency"], "value": money(row["net"])},
                         "rowTax": {"currencyCode": order["currency"], "value": money(row["tax"])},
                         "taxClassId": rd.TAX_BY_CODE[row["taxCode"]]["id"]},
            "nominalCode": row["nominalCode"],
            "composition": {"bundleParent": row["bundleParent"], "bundleChild": row["bundleChild"],
                            "parentOrderRowId": row["parentRowId"] or 0},
            "clonedFromId": 0}
    body = {
        "id": order["id"], "parentOrderId": order["parentId"] or 0, "orderTypeCode": order["type"],
        "reference": order["reference"], "version": int((order["updatedOn"] or order["createdOn"]).timestamp() * 1000),
        "state": {"tax": "INC" if order["priceModeCode"] == "INC" else "EXC"},
        "orderStatus": {"orderStatusId": status["statusId"], "name": status["name"]},
        "orderPaymentStatus": payment_status(state, order),
        "stockStatusCode": stock_status(state, order),
        "allocationStatusCode": allocation_status(state, order),
        "shippingStatusCode": shipping_status(state, order),
        "placedOn": ts(order["placedOn"]), "createdOn": ts(order["createdOn"]),
        "updatedOn": ts(order["updatedOn"]) if order["updatedOn"] else None, "closedOn": ts(order["closedOn"]) if order.get("closedOn") else None,
        "createdById": 4, "priceListId": order["priceListId"], "priceModeCode": order["priceModeCode"],
        "delivery": {"shippingMethodId": order["shippingMethodId"] or 0,
                     "deliveryDate": ts(order["deliveryDate"]) if order["deliveryDate"] else None},
        "invoices": [{"invoiceReference": i["invoiceReference"], "taxDate": ts(i["taxDate"]),
                      "dueDate": ts(i["dueDate"])} for i in order["invoices"]],
        "currency": {"accountingCurrencyCode": "GBP", "orderCurrencyCode": order["currency"],
                     "exchangeRate": str(order["exchangeRate"]), "fixedExchangeRate": order["fixedExchangeRate"]},
        "totalValue": _money_block(order),
        "assignment": {"current": {"channelId": order["channelId"] or 0, "leadSourceId": 0,
                                   "projectId": 0, "staffOwnerContactId": order["staffOwnerId"] or 0,
                                   "teamId": 0}},
        "parties": order["parties"], "orderRows": rows, "warehouseId": order["warehouseId"],
        "historicalOrder": False,
    }
    return strip_nulls(body)


def render_sales_doc(state, order):
    """GET sales-order/{id} or sales-credit/{id}: rows as an array (SNOW get-sales-order.json)."""
    net, tax, total = totals(order)
    rows = [strip_nulls({"id": r["id"], "productId": r["productId"], "name": r["name"], "sku": r["sku"],
                         "quantity": money(r["quantity"]), "taxCode": r["taxCode"], "net": money(r["net"]),
                         "tax": money(r["tax"]), "nominalCode": r["nominalCode"],
                         "externalRef": r["externalRef"], "sequence": r["sequence"],
                         "bundleParent": r["bundleParent"], "bundleChild": r["bundleChild"],
                         "parentRowId": r["parentRowId"]})
            for r in sorted(order["rows"].values(), key=lambda r: r["id"])]
    body = {
        "id": order["id"], "customer": {"id": order["contactId"], "address": order["parties"]["customer"]},
        "billing": {"contactId": order["billingContactId"], "address": order["parties"]["billing"]},
        "delivery": {"address": order["parties"]["delivery"], "shippingMethodId": order["shippingMethodId"]},
        "ref": order["reference"], "externalRef": order["externalRef"],
        "installedIntegrationInstanceId": order["installedIntegrationInstanceId"],
        "parentId": order["parentId"], "statusId": order["statusId"], "warehouseId": order["warehouseId"],
        "channelId": order["channelId"], "priceListId": order["priceListId"],
        "placedOn": ts(order["placedOn"]), "createdOn": ts(order["createdOn"]),
        "currency": {"code": order["currency"], "exchangeRate": str(order["exchangeRate"]),
                     "fixedExchangeRate": order["fixedExchangeRate"]},
        "total": {"net": money(net), "tax": money(tax), "gross": money(total), "baseNet": money(net),
                  "baseTax": money(tax), "baseGross": money(total)},
        "isCanceled": rd.STATUS_BY_ID[order["statusId"]]["state"] == "cancelled",
        "orderPaymentStatus": payment_status(state, order),
        "allocationStatusCode": allocation_status(state, order),
        "shippingStatusCode": shipping_status(state, order), "rows": rows,
    }
    return strip_nulls(body)
