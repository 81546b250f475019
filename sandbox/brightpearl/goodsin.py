"""Goods-in notes against a sales credit (restock: stock + goods movement), and drop-ship notes."""
from flask import request

from . import inventory
from . import refdata as rd
from .envelope import invalid, json_body, not_found, ok, strip_nulls
from .fmt import now, parse_ts, ts
from .idset import parse
from .ordermodel import shipping_status
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked
from .search import Column, Search

blueprint = api_blueprint("bp_goods_in")


@blueprint.route("/warehouse-service/order/<int:order_id>/goods-note/goods-in", methods=["POST"])
@locked
def post_goods_in(order_id):
    """POST goods-in against an SC: goodsMoved rows name the SC row in purchaseOrderRowId (§9)."""
    e = emu()
    state = e.state
    credit = state.orders.get(order_id)
    if credit is None:
        raise not_found("Order not found")
    if credit["type"] != "SC":
        raise invalid("WHSC-100", "The sandbox receives goods in against sales credits only")
    body = json_body()
    warehouse_id = body.get("warehouseId")
    if warehouse_id not in rd.WAREHOUSE_IDS:
        raise invalid("WHSB-038", f"Warehouse {warehouse_id} does not exist")
    moved = body.get("goodsMoved") or []
    if not moved:
        raise invalid("WHSC-101", "goodsMoved is required")
    checked = []
    for item in moved:
        row = credit["rows"].get(item.get("purchaseOrderRowId"))
        if row is None or row["productId"] is None or row["productId"] != item.get("productId"):
            raise invalid("WHSC-102", f"purchaseOrderRowId {item.get('purchaseOrderRowId')} is not a "
                                      f"row of credit {order_id} for product {item.get('productId')}")
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or quantity <= 0 or quantity > row["quantity"] - row["received"]:
            raise invalid("WHSC-103", f"Row {row['id']}: quantity {quantity!r} exceeds what is left to receive")
        location = item.get("destinationLocationId", rd.default_location(warehouse_id))
        if location != rd.default_location(warehouse_id):
            raise invalid("WHSC-070", f"Location {location} is not in warehouse {warehouse_id}")
        checked.append((row, quantity))
    note_id = state.next_id("goods_in")
    received = parse_ts(body["receivedOn"]) if body.get("receivedOn") else now()
    for row, quantity in checked:
        inventory.move(e, row["productId"], warehouse_id, quantity, "GI", note_id)
        row["received"] += quantity
    state.goods_in[note_id] = {
        "id": note_id, "orderId": order_id, "warehouseId": warehouse_id, "transfer": False,
        "receivedOn": received, "createdOn": now(),
        "goodsMoved": [{"productId": r["productId"], "quantity": q, "purchaseOrderRowId": r["id"],
                        "destinationLocationId": rd.default_location(warehouse_id)} for r, q in checked]}
    credit["updatedOn"] = now()
    state.changed("goods_in", "orders")
    e.events.raise_("goods-in-note.created", [note_id])
    return ok(note_id)


def _render_in(note):
    return dict(note, receivedOn=ts(note["receivedOn"]), createdOn=ts(note["createdOn"]))


@blueprint.route("/warehouse-service/order/<orders>/goods-note/goods-in", methods=ID_METHODS,
                 defaults={"notes": None}, provide_automatic_options=False)
@blueprint.route("/warehouse-service/order/<orders>/goods-note/goods-in/<notes>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def get_goods_in(orders, notes):
    """GET goods-in notes by order and/or note ID set (200 ids each)."""
    state = emu().state
    order_ids = None if orders == "*" else set(parse(orders))
    note_ids = None if notes is None else ids_for(notes, state.goods_in, f"/order/{orders}/goods-note/goods-in/{{}}")
    found = {str(n["id"]): _render_in(n) for n in state.goods_in.values()
             if (order_ids is None or n["orderId"] in order_ids) and (note_ids is None or n["id"] in note_ids)}
    if not found or (order_ids is None and note_ids is None):
        raise not_found("No goods-in notes found")
    return ok(found)


@blueprint.route("/warehouse-service/goods-in-search")
@locked
def goods_in_search():
    """GET goods-in-search."""
    state = emu().state
    # Not recorded: the note id an IDSET, other ids INTEGER (the stricter reading).
    search = Search([Column("goodsInNoteId", "IDSET", lambda n: n["id"]),
                     Column("orderId", "INTEGER", lambda n: n["orderId"]),
                     Column("warehouseId", "INTEGER", lambda n: n["warehouseId"]),
                     Column("receivedOn", "PERIOD", lambda n: n["receivedOn"]),
                     Column("createdOn", "PERIOD", lambda n: n["createdOn"])],
                    lambda: state.goods_in.values())
    payload, extra = search.run(request.args)
    return ok(payload, **extra)


def create_drop_ship(e, order, picks, reference="", shipping_method_id=None):
    """A shipped drop-ship note for [(row, quantity)]: no own stock moves (§10 Drop-ship)."""
    state = e.state
    before = shipping_status(state, order)
    note_id, moment = state.next_id("drop_ship"), now()
    rows = {}
    for row, quantity in picks:
        for warehouse_id, held in list(row["allocated"].items()):
            freed = inventory.release(e, row["productId"], warehouse_id, min(held, int(quantity)))
            row["allocated"][warehouse_id] = held - freed
        row["onNotes"] += quantity
        row["shipped"] += quantity
        rows.setdefault(str(row["id"]), []).append({"productId": row["productId"], "quantity": int(quantity)})
    state.drop_ship[note_id] = {
        "id": note_id, "orderId": order["id"], "supplierId": 0, "createdOn": moment,
        "status": {"shipped": True, "shippedOn": moment},
        "shipping": {"reference": reference or "", "shippingMethodId": shipping_method_id or order["shippingMethodId"] or 0},
        "orderRows": rows, "events": [{"occured": moment, "eventOwnerId": 4, "eventCode": "SHS"}]}
    # Whether warehouse notes count as a modification of the order is UNCONFIRMED; leaving the
    # order's updatedOn alone is the stricter reading (an updatedOn poll would not see it).
    state.changed("drop_ship", "orders")
    e.events.raise_("drop-ship-note.created", [note_id])
    e.events.raise_("drop-ship-note.modified.shipped", [note_id])
    if shipping_status(state, order) == "ASS" and before != "ASS":
        e.events.raise_("order.modified.fully-shipped", [order["id"]])
    return state.drop_ship[note_id]


def _render_ds(note):
    return strip_nulls(dict(note, createdOn=ts(note["createdOn"]),
                            status=dict(note["status"], shippedOn=ts(note["status"]["shippedOn"])),
                            events=[dict(ev, occured=ts(ev["occured"])) for ev in note["events"]]))


@blueprint.route("/warehouse-service/order/<orders>/goods-note/drop-ship", methods=ID_METHODS,
                 defaults={"notes": None}, provide_automatic_options=False)
@blueprint.route("/warehouse-service/order/<orders>/goods-note/drop-ship/<notes>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def get_drop_ship(orders, notes):
    """GET drop-ship notes by order and/or note ID set."""
    state = emu().state
    order_ids = None if orders == "*" else set(parse(orders))
    note_ids = None if notes is None else ids_for(notes, state.drop_ship, f"/order/{orders}/goods-note/drop-ship/{{}}")
    found = {str(n["id"]): _render_ds(n) for n in state.drop_ship.values()
             if (order_ids is None or n["orderId"] in order_ids) and (note_ids is None or n["id"] in note_ids)}
    if not found:
        raise not_found("No drop-ship notes found")
    return ok(found)
