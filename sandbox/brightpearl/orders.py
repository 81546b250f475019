"""Sales orders: atomic POST with the externalRef duplicate rule, GETs, status PUT (§7)."""
from datetime import timedelta

from . import refdata as rd
from .envelope import invalid, json_body, not_found, ok, raw
from .fmt import now, ts
from .ordermodel import allocate_order, paid, release_order, render_order, render_sales_doc
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked
from .salesdoc import add_rows, parse_header, parse_rows

blueprint = api_blueprint("bp_orders")


def create_order(e, body, type_code):
    """Create an SO or SC from a sales-order/credit body; returns (id, created?).

    externalRef + installedIntegrationInstanceId form one unique key across all orders: a
    repeat answers the first id and changes nothing (doc, §7 Idempotency).
    """
    state = e.state
    if not isinstance(body, dict):
        raise invalid("CMNC-010", "The body must be a JSON object")
    key = body.get("externalRef"), body.get("installedIntegrationInstanceId")
    if None not in key and f"{key[0]}|{key[1]}" in state.order_keys:
        return state.order_keys[f"{key[0]}|{key[1]}"], False
    order, contact = parse_header(state, body, type_code)
    parsed = parse_rows(state, body, contact)  # validate everything before anything is stored
    if type_code == "SC":
        parent = state.orders.get(order["parentId"]) if order["parentId"] is not None else None
        if order["parentId"] is not None and (parent is None or parent["type"] != "SO"):
            raise invalid("ORDC-050", f"parentId {order['parentId']} is not a sales order")
    order["id"] = state.next_id("order")
    add_rows(state, order, parsed)
    state.orders[order["id"]] = order
    if order["externalKey"]:
        state.order_keys[order["externalKey"]] = order["id"]
    contact["lastOrderedOn"] = order["createdOn"]
    state.changed("orders", "contacts")
    if type_code == "SO":
        if e.settings["auto_allocate"]:
            allocate_order(e, order)
        e.events.raise_("sales-order.created", [order["id"]])
    return order["id"], True


def touch(e, order):
    """Mark an order modified now."""
    order["updatedOn"] = now()
    e.state.changed("orders")


@blueprint.route("/order-service/sales-order", methods=["POST"])
@locked
def post_sales_order():
    """POST sales-order: atomic; answers the new (or, for a duplicate key, existing) id."""
    order_id, _ = create_order(emu(), json_body(), "SO")
    return ok(order_id)


@blueprint.route("/order-service/order/<idset>", methods=ID_METHODS, provide_automatic_options=False)
@locked
def get_orders(idset):
    """GET order/{idset}: unknown ids answer 200 {"response": []} (VCR:order_get_empty_not_found)."""
    state = emu().state
    ids = ids_for(idset, state.orders, "/order/{}")
    return ok([render_order(state, state.orders[i]) for i in ids if i in state.orders])


@blueprint.route("/order-service/sales-order/<idset>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def get_sales_orders(idset):
    """GET sales-order/{idset}: rows as an array; only sales orders."""
    state = emu().state
    orders = {i: o for i, o in state.orders.items() if o["type"] == "SO"}
    ids = ids_for(idset, orders, "/sales-order/{}")
    return ok([render_sales_doc(state, orders[i]) for i in ids if i in orders])


def change_status(e, order, status_id, note=None):
    """Move an order to a status, enforcing §7's rules; raises order.modified.order-status."""
    state = e.state
    status = rd.STATUS_BY_ID.get(status_id)
    if status is None:
        raise invalid("ORDC-060", f"Order status {status_id} does not exist")
    if status["orderTypeCode"] != order["type"] or not status["visible"]:
        raise invalid("ORDC-061", f"Order status {status_id} cannot be used for this order")
    if status["state"] == "cancelled" and order["statusId"] != status_id:
        # Cancelling needs: no goods-out notes, not invoiced, zero payments (doc, §7).
        if any(g["orderId"] == order["id"] for g in state.goods_out.values()) or any(
                d["orderId"] == order["id"] for d in state.drop_ship.values()):
            raise invalid("ORDC-062", "Cannot cancel an order that has goods-out notes")
        if order["invoices"]:
            raise invalid("ORDC-063", "Cannot cancel an invoiced order")
        # "Zero payments" read as nothing held: receipts all paid back count (UNCONFIRMED).
        if paid(state, order) > 0 or any(state.payments[p]["paymentType"] == "AUTH"
                                         for p in state.payments_by_order.get(order["id"], ())):
            raise invalid("ORDC-064", "Cannot cancel an order that has payments")
        release_order(e, order)
    text = (note or {}).get("text") or f"Order status changed to {status['name']}"
    note_id = state.next_id("note")
    state.notes[note_id] = {"id": note_id, "orderId": order["id"], "text": text,
                            "isPublic": bool((note or {}).get("isPublic", False)), "addedOn": now()}
    state.changed("notes")
    if order["statusId"] != status_id:
        order["statusId"] = status_id
        touch(e, order)
        e.events.raise_("order.modified.order-status", [order["id"]])


@blueprint.route("/order-service/order/<int:order_id>/status", methods=["PUT"])
@locked
def put_status(order_id):
    """PUT order/{id}/status {"orderStatusId", "orderNote"}: answers {} (VCR)."""
    e = emu()
    order = e.state.orders.get(order_id)
    if order is None:
        raise not_found("Order not found")
    body = json_body()
    if not isinstance(body.get("orderStatusId"), int):
        raise invalid("ORDC-060", "orderStatusId is required")
    change_status(e, order, body["orderStatusId"], body.get("orderNote"))
    return raw({})


@blueprint.route("/order-service/order/<int:order_id>/note", methods=["GET"])
@locked
def get_notes(order_id):
    """GET order/{id}/note: the notes added to an order (status changes add one each)."""
    state = emu().state
    if order_id not in state.orders:
        raise not_found("Order not found")
    return ok([{"noteId": n["id"], "orderId": order_id, "text": n["text"], "isPublic": n["isPublic"],
                "addedOn": ts(n["addedOn"])} for n in state.notes.values() if n["orderId"] == order_id])


def invoice(e, order, tax_date=None):
    """Invoice (close) an order once; a second call is rejected (doc, §9 close)."""
    if order["invoices"]:
        raise invalid("ORDC-070", f"Order {order['id']} is already invoiced")
    moment = now()
    number = e.state.next_id("invoice")
    prefix = "SC" if order["type"] == "SC" else "INV"
    order["invoices"].append({"invoiceReference": f"{prefix}-{number:05d}", "taxDate": tax_date or moment,
                              "dueDate": (tax_date or moment) + timedelta(days=30)})
    order["closedOn"] = moment
    touch(e, order)
    return order["invoices"][0]["invoiceReference"]


@blueprint.route("/order-service/sales-order/<int:order_id>/close", methods=["POST"])
@locked
def close_sales_order(order_id):
    """POST sales-order/{id}/close: invoice the order (path UNCONFIRMED, by analogy with SC)."""
    e = emu()
    order = e.state.orders.get(order_id)
    if order is None or order["type"] != "SO":
        raise not_found("Sales order not found")
    invoice(e, order)
    return raw({})


@blueprint.route("/order-service/order/<int:order_id>/row", methods=["POST"])
@locked
def post_order_row(order_id):
    """POST order/{id}/row (generic, §7 Order row POST): {productId | productName,
    quantity{magnitude}, rowValue{taxCode, rowNet{value}, rowTax{value}}, nominalCode}; answers
    the new row id. Invoiced orders take no new rows."""
    e = emu()
    order = e.state.orders.get(order_id)
    if order is None:
        raise not_found("Order not found")
    if order["invoices"]:
        raise invalid("ORDC-071", f"Order {order_id} is invoiced; rows cannot be added")
    body = json_body()
    value = body.get("rowValue") or {}
    row = {"productId": body.get("productId"), "name": body.get("productName"),
           "quantity": str((body.get("quantity") or {}).get("magnitude", "1")),
           "net": str((value.get("rowNet") or {}).get("value", "0")),
           "tax": str((value.get("rowTax") or {}).get("value", "0")),
           "taxCode": value.get("taxCode"), "nominalCode": body.get("nominalCode"),
           "sequence": max((r["sequence"] for r in order["rows"].values()), default=0) + 10}
    contact = e.state.contacts.get(order["contactId"]) or {}
    parsed = parse_rows(e.state, {"rows": [row]}, contact)
    before = set(order["rows"])
    add_rows(e.state, order, parsed)
    touch(e, order)
    return ok(min(set(order["rows"]) - before))
