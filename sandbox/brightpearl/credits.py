"""Sales credits (refunds): POST with parentId and the duplicate key, GET, close (§9)."""
from .envelope import json_body, not_found, ok, raw
from .ordermodel import render_sales_doc
from .orders import create_order, invoice
from .routes import ID_METHODS, api_blueprint, emu, ids_for, locked

blueprint = api_blueprint("bp_credits")


@blueprint.route("/order-service/sales-credit", methods=["POST"])
@locked
def post_sales_credit():
    """POST sales-credit: same body as a sales order plus parentId; answers the id."""
    credit_id, _ = create_order(emu(), json_body(), "SC")
    return ok(credit_id)


@blueprint.route("/order-service/sales-credit/<idset>", methods=ID_METHODS,
                 provide_automatic_options=False)
@locked
def get_sales_credits(idset):
    """GET sales-credit/{idset}: 207 when only some ids exist (D:/order/sales-credit/get.html)."""
    state = emu().state
    credits = {i: o for i, o in state.orders.items() if o["type"] == "SC"}
    ids = ids_for(idset, credits, "/sales-credit/{}")
    found = [render_sales_doc(state, credits[i]) for i in ids if i in credits]
    if not found:
        raise not_found("No sales credits found")
    return ok(found, status=207 if len(found) < len(ids) else 200)


@blueprint.route("/order-service/sales-credit/<int:credit_id>/close", methods=["POST"])
@locked
def close_sales_credit(credit_id):
    """POST sales-credit/{id}/close: invoice the credit; rejected when already invoiced."""
    e = emu()
    credit = e.state.orders.get(credit_id)
    if credit is None or credit["type"] != "SC":
        raise not_found("Sales credit not found")
    invoice(e, credit)
    return raw({})
