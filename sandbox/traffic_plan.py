"""What a shop day does next: a pure planner (random generator + what is known → an action)."""
from dataclasses import dataclass, field
from decimal import Decimal

from sandbox.traffic_known import ALL_SHIPPED, NO_STOCK_ITEMS, NOT_SHIPPED, PART_SHIPPED

RETURNING_SHARE = 0.7
# Shop-day seconds before staff act on an order: short, so a newcomer sees a whole order life
# (checkout → Brightpearl → ready → shipped → completed in Woo) within a minute or two.
READY_AFTER, SHIP_AFTER, PAY_AFTER, REFUND_AFTER = 15.0, 30.0, 45.0, 40.0
CORRECT_AFTER = 20.0                    # a tracking number is corrected soon after shipping
FREE_SHIPPING_FROM = Decimal("50.00")
CENT = Decimal("0.01")
OPEN_STATUSES = (2, 3, 4)               # new web / phone order, awaiting payment
READY, DISPATCHED = 5, 6                # "Ready to ship", "Dispatched" in the sandbox account
SHIPPING_METHOD = 49                    # Royal Mail Tracked 48
_FIRST = ("Maya", "Tom", "Zara", "Ollie", "Priya", "Sam", "Lena", "Kofi", "Ines", "Rory")
_LAST = ("Hughes", "Bakker", "Rossi", "Ahmed", "Byrne", "Novak", "Evans", "Sato")


@dataclass
class Action:
    """One thing to do: kind, the order it is about (if any), the HTTP body, a note for the log."""

    kind: str
    target: int = None
    body: dict = field(default_factory=dict)
    note: str = ""


def next_action(rng, known):
    """The next Action, weighted like a shop day; None when nothing is possible yet."""
    candidates = _candidates(known)
    choices = [(kind, weight) for kind, (weight, _) in candidates.items() if weight > 0]
    if not choices:
        return None
    kind = rng.choices([k for k, _ in choices], weights=[w for _, w in choices])[0]
    return candidates[kind][1](rng, known)


def _candidates(known):
    """kind → (weight, planner); backlogs weigh more, as a busy warehouse works faster."""
    woo, bp, now = known.woo_orders.values(), known.bp_orders.values(), known.clock
    unpaid = [o for o in woo if o.status == "on-hold" and now - o.seen_at >= PAY_AFTER]
    ready = [o for o in bp if o.status_id in OPEN_STATUSES and now - o.seen_at >= READY_AFTER]
    done = [o for o in bp if o.status_id == READY and o.shipping in (ALL_SHIPPED, NO_STOCK_ITEMS)
            and now - o.seen_at >= SHIP_AFTER]
    due = [o for o in bp if o.status_id == READY and o.shipping in (NOT_SHIPPED, PART_SHIPPED)
           and now - o.seen_at >= SHIP_AFTER]
    return {
        "checkout": (10 if _in_stock(known) else 0, checkout),
        "stock": (3 if known.bp_products else 0, stock),
        "woo_status": (min(3, len(unpaid)), lambda rng, k: woo_status(rng, unpaid)),
        "refund": (1 if _refundable(known) else 0, refund),
        "full_refund": (1 if _unshipped_paid(known) else 0, full_refund),
        "tracking": (1 if _correctable(known) else 0, correct_tracking),
        "bp_status": (min(6, 2 * len(ready + done)), lambda rng, k: bp_status(rng, ready, done)),
        "ship": (min(6, 2 * len(due)), lambda rng, k: ship(rng, due)),
    }


def _in_stock(known):
    return sorted(sku for sku, left in known.stock.items() if left is None or left > 0)


def checkout(rng, known):
    """A storefront checkout: 1–3 SKUs in stock, returning customers 70 % of the time."""
    skus = _in_stock(known)
    lines = []
    for sku in rng.sample(skus, min(len(skus), rng.choices((1, 2, 3), (55, 30, 15))[0])):
        left = known.stock[sku]
        wanted = rng.choices((1, 2, 3), (75, 20, 5))[0]
        lines.append({"sku": sku, "quantity": wanted if left is None else min(wanted, left)})
    body = {"lines": lines, "tax_rate": "20"}
    if known.customers and rng.random() < RETURNING_SHARE:
        body["customer_index"] = rng.randrange(known.customers)
    else:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        email = f"{first}.{last}.{rng.randrange(10**5)}@example.net".lower()
        body["email"] = email
        body["billing"] = {"first_name": first, "last_name": last, "email": email}
    method = rng.choices(("stripe", "paypal", "bacs"), (75, 10, 15))[0]
    # Bank transfers wait on-hold until the money arrives; card and PayPal are paid at once.
    body.update(payment_method=method, status="on-hold" if method == "bacs" else "processing")
    subtotal = sum(known.prices.get(l["sku"], Decimal(0)) * l["quantity"] for l in lines)
    if rng.random() < 0.05:
        body["shipping"] = {"method_id": "local_pickup", "total": "0.00"}
    elif subtotal >= FREE_SHIPPING_FROM:
        body["shipping"] = {"method_id": "free_shipping", "total": "0.00"}
    else:
        body["shipping"] = {"method_id": "flat_rate", "total": "4.99"}
    if rng.random() < 0.12 and subtotal > 10:
        body.update(coupon="5.00", coupon_code="welcome5")
    if rng.random() < 0.08:
        body["fees"] = [{"name": "Gift wrap", "total": "2.50"}]
    if rng.random() < 0.05:
        body["currency"] = "EUR"   # a currency-switcher plugin: the order is in euros
    if rng.random() < 0.05:
        body["customer_note"] = "Please leave with a neighbour if I'm out."
    return Action("checkout", body=body)


def woo_status(rng, unpaid):
    """An on-hold bank-transfer order: usually paid (processing), sometimes never (cancelled)."""
    order = rng.choice(unpaid)
    paid = rng.random() < 0.85
    return Action("woo_status", order.id, {"status": "processing" if paid else "cancelled"},
                  "bank transfer received" if paid else "never paid")


def _refundable(known):
    return [o for o in known.woo_orders.values()
            if o.status in ("processing", "completed") and o.refunded == 0 and o.total > 0
            and known.clock - o.seen_at >= REFUND_AFTER]


def refund(rng, known):
    """A partial refund in the Woo admin: one returned unit (restocked), or money back only."""
    order = rng.choice(sorted(_refundable(known), key=lambda o: o.id))
    if order.lines and rng.random() < 0.5:
        item_id, sku, _, unit, tax = rng.choice(order.lines)
        if 0 < unit + tax <= order.total:
            line = {"id": item_id, "quantity": 1, "refund_total": str(unit),
                    "refund_tax": [{"id": 1, "refund_total": str(tax)}]}
            return Action("refund", order.id, {"amount": str(unit + tax), "line_items": [line],
                                               "reason": "Returned: not as expected",
                                               "api_restock": True}, f"1 × {sku} returned")
    share = Decimal(rng.choice(("0.10", "0.15", "0.20")))
    amount = min(order.total, max(Decimal("1.00"), (order.total * share).quantize(CENT)))
    reason = rng.choice(("Late delivery", "Damaged packaging", "Goodwill"))
    return Action("refund", order.id, {"amount": str(amount), "reason": reason,
                                       "api_restock": False}, reason.lower())


def _unshipped_paid(known):
    """(Woo order, its Brightpearl order) pairs: paid, never refunded, not yet picked."""
    by_woo = {o.woo_id: o for o in known.bp_orders.values() if o.woo_id}
    return [(order, by_woo[order.id]) for order in known.woo_orders.values()
            if order.status == "processing" and order.refunded == 0 and order.total > 0
            and order.id in by_woo and by_woo[order.id].status_id in OPEN_STATUSES
            and by_woo[order.id].shipping in (NOT_SHIPPED, NO_STOCK_ITEMS)]


def full_refund(rng, known):
    """A whole order refunded in the Woo admin before the warehouse got to it."""
    order, bp_order = rng.choice(sorted(_unshipped_paid(known), key=lambda pair: pair[0].id))
    reason = rng.choice(("Out of stock: cancelled before dispatch",
                         "Customer changed their mind before dispatch"))
    return Action("full_refund", order.id, {"amount": str(order.total), "reason": reason,
                                            "api_restock": True}, str(bp_order.id))


def _correctable(known):
    return [n for n in known.shipped_notes.values()
            if not n.corrected and known.clock - n.seen_at >= CORRECT_AFTER]


def correct_tracking(rng, known):
    """Staff correct a shipped note's tracking number (a typo, or a relabelled parcel)."""
    note = rng.choice(sorted(_correctable(known), key=lambda n: n.id))
    reference = f"{note.reference[:2]}{rng.randrange(10**9):09d}GB"
    return Action("tracking", note.id, {"reference": reference}, note.reference)


def stock(rng, known):
    """A stock change in Brightpearl: a delivery, goods in, breakage or a stock take."""
    products = sorted(known.bp_products)
    if len(products) > 1 and rng.random() < 0.25:
        picked = rng.sample(products, min(len(products), rng.randint(2, 4)))
        changes = [{"productId": p, "warehouseId": 2, "delta": rng.choice((6, 12, 24))}
                   for p in picked]
        return Action("stock", body={"changes": changes}, note="supplier delivery")
    product, warehouse = rng.choice(products), rng.choice((2, 2, 2, 3))
    level = known.bp_levels.get((product, warehouse))
    change = {"productId": product, "warehouseId": warehouse}
    if level is not None and level >= 2 and rng.random() < 0.4:
        change["delta"], note = -rng.choice((1, 2)), "damaged in the warehouse"
    elif level is not None and rng.random() < 0.15:
        change["onHand"], note = max(0, level + rng.randint(-2, 2)), "stock take"
    else:
        change["delta"], note = rng.choice((5, 10, 12, 20)), "goods in"
    return Action("stock", body=change, note=note)


def bp_status(rng, ready, done):
    """Move a Brightpearl order along: picked orders become ready, shipped ones dispatched."""
    order = rng.choice(sorted(ready + done, key=lambda o: o.id))
    status = DISPATCHED if order in done else READY
    return Action("bp_status", order.id, {"orderStatusId": status},
                  "Dispatched" if status == DISPATCHED else "Ready to ship")


def ship(rng, due):
    """Ship a ready order: all of it usually, sometimes part of it, sometimes drop-shipped."""
    order = rng.choice(sorted(due, key=lambda o: o.id))
    carrier = rng.choice(("RM", "TT", "JD"))
    body = {"reference": f"{carrier}{rng.randrange(10**9):09d}GB",
            "shippingMethodId": SHIPPING_METHOD, "dropShip": rng.random() < 0.1}
    partial = order.shipping == NOT_SHIPPED and not body["dropShip"] and rng.random() < 0.2
    return Action("ship", order.id, body, "partial" if partial else "")


def partial_rows(rng, rows):
    """Rows for a partial shipment from [(row id, quantity)]: one row of several, or 1 unit."""
    rows = sorted(rows)
    if len(rows) > 1:
        return [rng.choice(rows)[0]]
    if rows and rows[0][1] > 1:
        return [{"rowId": rows[0][0], "quantity": 1}]
    return None   # nothing to split: ship it all
