"""What a shop day does next: a pure planner (random generator + what is known → an action)."""
from dataclasses import dataclass, field

RETURNING_SHARE = 0.7
# (action, weight): checkouts dominate, as they do in a shop.
WEIGHTS = (("checkout", 6), ("stock", 2), ("ship", 2), ("status", 1), ("refund", 1))


@dataclass
class Known:
    """What the generator has seen: store SKUs, customers, orders on both sides."""

    skus: list = field(default_factory=list)
    customers: int = 0
    woo_orders: list = field(default_factory=list)     # (id, total, payment_method)
    bp_products: list = field(default_factory=list)
    bp_orders: list = field(default_factory=list)      # unshipped Brightpearl order ids
    new_customers: int = 0


def next_action(rng, known):
    """(kind, request body) of the next thing to happen; checkout when nothing else can."""
    choices = [(kind, weight) for kind, weight in WEIGHTS if _possible(kind, known)]
    if not choices:
        return None
    total = sum(weight for _, weight in choices)
    pick = rng.uniform(0, total)
    for kind, weight in choices:
        pick -= weight
        if pick <= 0:
            return kind, PLANS[kind](rng, known)
    return choices[-1][0], PLANS[choices[-1][0]](rng, known)


def _possible(kind, known):
    return {"checkout": bool(known.skus), "stock": bool(known.bp_products),
            "ship": bool(known.bp_orders), "status": bool(known.bp_orders),
            "refund": any(m == "stripe" for _, _, m in known.woo_orders)}[kind]


def checkout(rng, known):
    """A storefront checkout: returning customers 70 % of the time, 1–3 lines, mostly card."""
    body = {"lines": [{"sku": sku, "quantity": rng.choice((1, 1, 1, 2, 3))}
                      for sku in rng.sample(known.skus, min(len(known.skus), rng.randint(1, 3)))],
            "tax_rate": "20"}
    if known.customers and rng.random() < RETURNING_SHARE:
        body["customer_index"] = rng.randrange(known.customers)
    else:
        known.new_customers += 1
        body["email"] = f"shopper-{rng.randrange(10**6)}-{known.new_customers}@example.com"
    method = rng.choices(("stripe", "paypal", "bacs"), weights=(75, 10, 15))[0]
    body["payment_method"] = method
    body["status"] = "on-hold" if method == "bacs" else "processing"
    body["shipping"] = rng.choice(({"method_id": "flat_rate", "total": "4.99"},
                                   {"method_id": "free_shipping", "total": "0.00"}))
    if rng.random() < 0.2:
        body["coupon"] = "5.00"
    if rng.random() < 0.1:
        body["fees"] = [{"name": "Gift wrap", "total": "2.50"}]
    return body


def stock(rng, known):
    """A stock change in Brightpearl: goods in, or a correction down."""
    return {"productId": rng.choice(known.bp_products), "warehouseId": rng.choice((2, 2, 3)),
            "delta": rng.choice((5, 10, 20, -1, -2))}


def ship(rng, known):
    """Ship a Brightpearl order: usually all of it, sometimes drop-shipped."""
    return {"order_id": rng.choice(known.bp_orders), "reference": f"RM{rng.randrange(10**8):08d}GB",
            "shippingMethodId": 49, "dropShip": rng.random() < 0.1}


def status(rng, known):
    """Move a Brightpearl order along (ready to ship)."""
    return {"order_id": rng.choice(known.bp_orders), "orderStatusId": 5}


def refund(rng, known):
    """A partial refund in the Woo admin of a card order."""
    candidates = [(i, total) for i, total, method in known.woo_orders if method == "stripe"]
    order_id, total = rng.choice(candidates)
    amount = max(1.0, round(float(total) * rng.choice((0.1, 0.2, 0.25)), 2))
    return {"order_id": order_id, "amount": f"{amount:.2f}",
            "reason": rng.choice(("Damaged in transit", "Late delivery", "Goodwill"))}


PLANS = {"checkout": checkout, "stock": stock, "ship": ship, "status": status, "refund": refund}
