"""Customer payments: POST with the transactionRef + paymentMethodCode key, search, totals (§7)."""
from decimal import Decimal

from flask import request

from .envelope import ApiError, invalid, json_body, ok
from .fmt import dec, money, now, parse_ts
from .idset import parse
from .ordermodel import paid
from .routes import api_blueprint, emu, locked
from .search import Column, Search

blueprint = api_blueprint("bp_payments")
_TYPES = ("RECEIPT", "PAYMENT", "AUTH", "CAPTURE", "VOID")
# RECEIPT/AUTH/CAPTURE/VOID settle a sales order, PAYMENT refunds a sales credit (§7, §9) or
# pays a sales order's receipts back (UNCONFIRMED: never more than the order holds); the sandbox
# refuses the other pairings rather than guess what they would mean.
_ORDER_TYPES = {"RECEIPT": ("SO",), "AUTH": ("SO",), "CAPTURE": ("SO",), "VOID": ("SO",),
                "PAYMENT": ("SC", "SO")}


def _text(body, key, limit, required=False):
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise invalid("ACCC-011", f"{key} is required")
        return None
    if len(str(value)) > limit:
        raise invalid("ACCC-012", f"{key} is at most {limit} characters")
    return str(value)


def _amount(body, key):
    try:
        value = dec(body.get(key))
    except ValueError:
        raise invalid("ACCC-014", f"{key} is required and must be a number") from None
    if value < 0:
        raise invalid("ACCC-014", f"{key} cannot be negative")
    return value


@blueprint.route("/accounting-service/customer-payment", methods=["POST"])
@locked
def post_payment():
    """POST customer-payment: answers the payment id; a repeated key is refused."""
    return ok(create_payment(emu(), json_body()))


def create_payment(e, body):
    """Validate and record one customer payment (the POST's rules); returns its id."""
    state = e.state
    method = _text(body, "paymentMethodCode", 36, required=True)
    reference = _text(body, "transactionRef", 64)
    code = _text(body, "transactionCode", 64)
    kind = body.get("paymentType")
    if kind not in _TYPES:
        raise invalid("ACCC-013", f"paymentType must be one of {', '.join(_TYPES)}")
    order = state.orders.get(body.get("orderId"))
    if order is None:
        raise invalid("ACCC-015", f"Order {body.get('orderId')} does not exist")
    if order["type"] not in _ORDER_TYPES[kind]:
        raise invalid("ACCC-016", f"A {kind} cannot be recorded against a {order['type']} order")
    if body.get("paymentDate") in (None, ""):
        raise invalid("ACCC-011", "paymentDate is required")
    try:
        payment_date = parse_ts(str(body["paymentDate"]))
        expiry = parse_ts(str(body["authorizationExpiry"])) if body.get("authorizationExpiry") else None
    except ValueError:
        raise invalid("ACCC-017", "paymentDate/authorizationExpiry must be ISO-8601 dates") from None
    if kind == "AUTH" and expiry is None:
        raise invalid("ACCC-011", "authorizationExpiry is required for AUTH")
    authorized = _amount(body, "amountAuthorized") if kind in ("AUTH", "VOID") else Decimal(0)
    amount = _amount(body, "amountPaid") if kind in ("CAPTURE", "PAYMENT", "RECEIPT") else Decimal(0)
    if kind == "PAYMENT" and order["type"] == "SO" and amount > paid(state, order):
        raise invalid("ACCC-019", f"Order {order['id']} holds {paid(state, order)}: a PAYMENT "
                                  f"cannot pay back more than it received")
    currency = str(body.get("currencyIsoCode") or order["currency"])
    if len(currency) != 3:
        raise invalid("ACCC-018", "currencyIsoCode must be 3 letters")
    key = f"{reference}|{method}" if reference else None
    if key and key in state.payment_keys:
        # transactionRef + paymentMethodCode must be unique (doc, §7 Payments).
        raise ApiError(400, "ACCC-020", f"A payment with transactionRef {reference!r} and "
                       f"paymentMethodCode {method!r} already exists (payment {state.payment_keys[key]})")
    payment_id = state.next_id("payment")
    state.payments[payment_id] = {
        "paymentId": payment_id, "transactionRef": reference, "transactionCode": code,
        "paymentMethodCode": method, "paymentType": kind, "orderId": order["id"],
        "currencyCode": currency, "currencyId": 1, "amountAuthorized": authorized, "amountPaid": amount,
        "expires": expiry, "paymentDate": payment_date, "createdOn": now(),
        "journalId": None, "uniqueKey": key}
    if key:
        state.payment_keys[key] = payment_id
    state.payments_by_order.setdefault(order["id"], []).append(payment_id)
    # A payment leaves the order's updatedOn alone (UNCONFIRMED; the stricter reading).
    state.changed("payments", "orders")
    return payment_id


def _search():
    state = emu().state
    return Search([Column(name, kind, (lambda n: lambda p: p[n])(name)) for name, kind in (
        # Types not recorded: the payment id an IDSET, other ids INTEGER (the stricter reading).
        ("paymentId", "IDSET"), ("transactionRef", "STRING"), ("transactionCode", "STRING"),
        ("paymentMethodCode", "STRING"), ("paymentType", "STRING"), ("orderId", "INTEGER"),
        ("currencyId", "INTEGER"), ("currencyCode", "STRING"), ("amountAuthorized", "DECIMAL"),
        ("amountPaid", "DECIMAL"), ("expires", "PERIOD"), ("paymentDate", "PERIOD"),
        ("createdOn", "PERIOD"), ("journalId", "INTEGER"))], lambda: state.payments.values())


@blueprint.route("/accounting-service/customer-payment-search")
@locked
def payment_search():
    """GET customer-payment-search (D:/accounting/customer-payment/search.html)."""
    payload, extra = _search().run(request.args)
    return ok(payload, **extra)


@blueprint.route("/accounting-service/customer-payment-search/meta-data")
def payment_search_meta():
    """GET customer-payment-search/meta-data."""
    return ok(_search().meta_data())


@blueprint.route("/accounting-service/sale-payment-total/<idset>")
@locked
def sale_payment_total(idset):
    """GET sale-payment-total/{orderIds}: amountPaid, amountAuthorized, amountCaptured per order."""
    state = emu().state
    answer = {}
    for order_id in parse(idset):
        order = state.orders.get(order_id)
        if order is None:
            continue
        mine = [state.payments[p] for p in state.payments_by_order.get(order_id, [])]
        answer[str(order_id)] = {
            "amountPaid": money(paid(state, order)),
            "amountAuthorized": money(sum((p["amountAuthorized"] for p in mine if p["paymentType"] == "AUTH"), Decimal(0))),
            "amountCaptured": money(sum((p["amountPaid"] for p in mine if p["paymentType"] == "CAPTURE"), Decimal(0)))}
    return ok(answer)
