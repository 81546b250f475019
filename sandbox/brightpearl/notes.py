"""Goods-out notes: create, read by order/note ID sets (cap 500), update, events, ship (§10)."""
from flask import request

from . import inventory
from . import refdata as rd
from .envelope import ApiError, invalid, json_body, not_found, ok, raw, strip_nulls
from .fmt import now, parse_ts, ts
from .idset import GOODS_OUT_CAP, parse
from .ordermodel import shipping_status
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked
from .search import Column, Search

blueprint = api_blueprint("bp_goods_out")
_EVENT_FLAGS = {"PRI": ("printed", True), "UPR": ("printed", False), "PIC": ("picked", True),
                "UPI": ("picked", False), "PAC": ("packed", True), "UPA": ("packed", False)}
_EVENT_NAMES = {"PRI": "printed", "UPR": "un-printed", "PIC": "picked", "UPI": "un-picked",
                "PAC": "packed", "UPA": "un-packed", "SHW": "shipped"}


def create_gon(e, order, warehouse_id, picks, shipping_method_id=None, priority=False, reference=""):
    """A goods-out note for [(row, quantity)] picks; stock must be (or become) allocated."""
    state = e.state
    if order["type"] != "SO":
        raise invalid("WHSC-090", "Goods-out notes are for sales orders")
    if warehouse_id not in rd.WAREHOUSE_IDS:
        raise invalid("WHSB-038", f"Warehouse {warehouse_id} does not exist")
    for row, quantity in picks:
        product = state.products.get(row["productId"]) if row["productId"] else None
        if product is None or not product["stockTracked"] or row["bundleParent"]:
            raise invalid("WHSC-091", f"Row {row['id']} is not a stock-tracked product row")
        if quantity <= 0 or quantity > row["quantity"] - row["onNotes"]:
            raise invalid("WHSC-092", f"Row {row['id']}: {quantity} is more than is left to fulfil")
    # Check every pick's stock before reserving any, so a refused request changes nothing.
    needed = {}
    for row, quantity in picks:
        short = int(quantity) - row["allocated"].get(warehouse_id, 0)
        if short > 0:
            needed[row["productId"]] = needed.get(row["productId"], 0) + short
    for product_id, short in needed.items():
        if inventory.on_hand(state, product_id, warehouse_id) < short:
            raise invalid("WHSC-070", f"Not enough stock of product {product_id} in warehouse {warehouse_id}")
    for row, quantity in picks:
        short = int(quantity) - row["allocated"].get(warehouse_id, 0)
        if short > 0:
            got = inventory.allocate(e, row["productId"], warehouse_id, short)
            row["allocated"][warehouse_id] = row["allocated"].get(warehouse_id, 0) + got
    moment = now()
    gon = {"id": state.next_id("goods_out"), "orderId": order["id"], "warehouseId": warehouse_id,
           "transfer": False, "priority": bool(priority),
           "status": {"shipped": False, "packed": False, "picked": False, "printed": False},
           "shipping": {"reference": reference or "", "shippingMethodId": shipping_method_id or order["shippingMethodId"] or 0},
           "releaseDate": moment, "createdOn": moment, "updatedOn": None, "createdBy": 4,
           "orderRows": {}, "sequence": 1 + sum(1 for g in state.goods_out.values() if g["orderId"] == order["id"]),
           "events": [], "lastEventVersion": 1, "labelUri": None}
    for row, quantity in picks:
        row["onNotes"] += quantity
        gon["orderRows"].setdefault(str(row["id"]), []).append(
            {"productId": row["productId"], "quantity": int(quantity),
             "locationId": rd.default_location(warehouse_id)})
    state.goods_out[gon["id"]] = gon
    state.changed("goods_out", "orders")
    e.events.raise_("goods-out-note.created", [gon["id"]])
    return gon


def apply_events(e, gon, events):
    """Record GON events; SHW ships (and adds missing PRI/PIC/PAC); none once shipped (§10)."""
    if gon["status"]["shipped"]:
        raise invalid("WHSC-095", f"Goods-out note {gon['id']} is shipped and cannot change")
    for event in events:
        code, owner = event.get("eventCode"), event.get("eventOwnerId", 4)
        if code not in _EVENT_NAMES:
            raise invalid("WHSC-096", f"Unknown eventCode {code!r}")
        when = parse_ts(event["occured"]) if event.get("occured") else now()
        if code == "SHW":
            for implied in ("PRI", "PIC", "PAC"):
                if not gon["status"][_EVENT_FLAGS[implied][0]]:
                    _record(e, gon, implied, when, owner)
            _ship(e, gon, when, owner)
        else:
            _record(e, gon, code, when, owner)


def _record(e, gon, code, when, owner):
    gon["events"].append({"occured": when, "eventOwnerId": owner, "eventCode": code})
    gon["lastEventVersion"] += 1
    gon["updatedOn"] = now()
    if code in _EVENT_FLAGS:
        flag, value = _EVENT_FLAGS[code]
        gon["status"][flag] = value
        gon["status"][f"{flag}On"] = when if value else None
    e.state.changed("goods_out")
    e.events.raise_(f"goods-out-note.modified.{_EVENT_NAMES[code]}", [gon["id"]])


def _ship(e, gon, when, owner):
    state = e.state
    order = state.orders[gon["orderId"]]
    before = shipping_status(state, order)
    for row_id, picks in gon["orderRows"].items():
        row = order["rows"][int(row_id)]
        for pick in picks:
            inventory.ship(e, pick["productId"], gon["warehouseId"], pick["quantity"], gon["id"])
            row["allocated"][gon["warehouseId"]] -= pick["quantity"]
            row["shipped"] += pick["quantity"]
    gon["status"].update(shipped=True, shippedById=owner)
    _record(e, gon, "SHW", when, owner)
    gon["status"]["shippedOn"] = when
    # The order's updatedOn is left alone: the stricter reading of an UNCONFIRMED point, so
    # polls must find shipped notes through goods-out-search, not through the order.
    if shipping_status(state, order) == "ASS" and before != "ASS":
        e.events.raise_("order.modified.fully-shipped", [order["id"]])


def render(gon):
    """A GON as GET shows it: orderRows keyed by SO row id, each a list of picks."""
    status = {k: (ts(v) if hasattr(v, "astimezone") else v) for k, v in gon["status"].items()}
    return strip_nulls({
        "orderId": gon["orderId"], "warehouseId": gon["warehouseId"], "transfer": gon["transfer"],
        "priority": gon["priority"], "status": status, "shipping": gon["shipping"],
        "releaseDate": ts(gon["releaseDate"]), "createdOn": ts(gon["createdOn"]),
        "createdBy": gon["createdBy"], "orderRows": gon["orderRows"], "sequence": gon["sequence"],
        "labelUri": gon["labelUri"],
        "events": [{"occured": ts(ev["occured"]), "eventOwnerId": ev["eventOwnerId"],
                    "eventCode": ev["eventCode"]} for ev in gon["events"]],
        "lastEventVersion": gon["lastEventVersion"]})


@blueprint.route("/warehouse-service/order/<orders>/goods-note/goods-out", methods=ID_METHODS,
                 defaults={"notes": None}, provide_automatic_options=False)
@blueprint.route("/warehouse-service/order/<orders>/goods-note/goods-out/<notes>",
                 methods=ID_METHODS, provide_automatic_options=False)
@locked
def get_goods_out(orders, notes):
    """GET by order ID set and/or GON ID set ("*" for any order); each set at most 500 ids."""
    state = emu().state
    order_ids = None if orders == "*" else set(parse(orders, GOODS_OUT_CAP))
    if notes is None:
        if order_ids is None:
            raise ApiError(400, "CMNC-016", "Give an order ID set or a goods-out note ID set")
        wanted = [g for g in state.goods_out.values() if g["orderId"] in order_ids]
    else:
        ids = ids_for(notes, state.goods_out, f"/order/{orders}/goods-note/goods-out/{{}}", GOODS_OUT_CAP)
        wanted = [state.goods_out[i] for i in ids if i in state.goods_out
                  and (order_ids is None or state.goods_out[i]["orderId"] in order_ids)]
    if not wanted:
        raise not_found("No goods-out notes found")
    return ok({str(g["id"]): render(g) for g in wanted})


@blueprint.route("/warehouse-service/order/<int:order_id>/goods-note/goods-out", methods=["POST"])
@locked
def post_goods_out(order_id):
    """POST: one GON per warehouse entry; partial fulfilment allowed; answers the new ids."""
    e = emu()
    order = e.state.orders.get(order_id)
    if order is None:
        raise not_found("Order not found")
    body = json_body()
    created = []
    for entry in body.get("warehouses") or []:
        picks = []
        for item in entry.get("products") or []:
            row = order["rows"].get(item.get("salesOrderRowId"))
            if row is None or row["productId"] != item.get("productId"):
                raise invalid("WHSC-093", f"salesOrderRowId {item.get('salesOrderRowId')} does not "
                                          f"match product {item.get('productId')} on order {order_id}")
            picks.append((row, int(item.get("quantity", 0))))
        created.append(create_gon(e, order, entry.get("warehouseId"), picks,
                                  body.get("shippingMethodId"), body.get("priority", False))["id"])
    if not created:
        raise invalid("WHSC-094", "warehouses[].products is required")
    return ok(created)


@blueprint.route("/warehouse-service/goods-note/goods-out/<int:note_id>", methods=["PUT"])
@locked
def put_goods_out(note_id):
    """PUT a GON's shipping/priority/label; refused once shipped; fires .modified."""
    e = emu()
    gon = e.state.goods_out.get(note_id)
    if gon is None:
        raise not_found("Goods-out note not found")
    if gon["status"]["shipped"]:
        raise invalid("WHSC-095", f"Goods-out note {note_id} is shipped and cannot change")
    body = json_body()
    shipping = body.get("shipping") or {}
    if shipping.get("reference") is not None and len(str(shipping["reference"])) > 64:
        raise invalid("WHSC-097", "shipping.reference is at most 64 characters")
    if shipping.get("shippingMethodId") not in (None, *rd.SHIPPING_METHOD_IDS):
        raise invalid("WHSC-098", f"Shipping method {shipping['shippingMethodId']} does not exist")
    gon["shipping"].update({k: v for k, v in shipping.items()
                            if k in ("reference", "shippingMethodId", "boxes", "weight")})
    if "priority" in body:
        gon["priority"] = bool(body["priority"])
    if "labelUri" in body:
        gon["labelUri"] = body["labelUri"]
    gon["updatedOn"] = now()
    e.state.changed("goods_out")
    e.events.raise_("goods-out-note.modified", [note_id])
    return raw({})


@blueprint.route("/warehouse-service/goods-note/goods-out/<int:note_id>/event", methods=["POST"])
@locked
def post_event(note_id):
    """POST GON events (PRI/PIC/PAC/SHW/...); If-Match must equal lastEventVersion if sent."""
    e = emu()
    gon = e.state.goods_out.get(note_id)
    if gon is None:
        raise not_found("Goods-out note not found")
    expected = request.headers.get("If-Match")
    if expected is not None and expected.strip('"') != str(gon["lastEventVersion"]):
        raise ApiError(412, "WHSC-099", "If-Match does not equal the note's lastEventVersion")
    apply_events(e, gon, json_body().get("events") or [])
    return raw({})


def _search():
    state = emu().state
    # Only the columns the reference confirms (goodsOutNoteId, createdOn); others are
    # UNCONFIRMED, so asking for them (or filtering on them) is refused.
    return Search([
        Column("goodsOutNoteId", "IDSET", lambda g: g["id"]),
        Column("createdOn", "PERIOD", lambda g: g["createdOn"]),
    ], lambda: state.goods_out.values())


@blueprint.route("/warehouse-service/goods-note/goods-out-search")
@locked
def goods_out_search():
    """GET goods-note/goods-out-search: goodsOutNoteId and createdOn only (AIRBYTE, TAP)."""
    payload, extra = _search().run(request.args)
    return ok(payload, **extra)
