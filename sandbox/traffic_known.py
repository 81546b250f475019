"""What the traffic generator knows about both shops, learned from their JSON (no I/O here)."""
from dataclasses import dataclass, field
from decimal import Decimal

# Brightpearl orderShippingStatusId values (reference §7 lookups, as the emulator numbers them).
NO_STOCK_ITEMS, NOT_SHIPPED, PART_SHIPPED, ALL_SHIPPED = 1, 2, 3, 4
SHIPPING_CODES = {"NST": NO_STOCK_ITEMS, "SNS": NOT_SHIPPED, "SPS": PART_SHIPPED, "ASS": ALL_SHIPPED}


@dataclass
class WooOrder:
    """A Woo order as the shop admin sees it."""

    id: int
    number: str
    status: str
    method: str
    currency: str
    total: Decimal
    refunded: Decimal
    lines: list          # [(item_id, sku, quantity, unit_total, unit_tax)]
    seen_at: float       # shop-day clock when first seen


@dataclass
class BpOrder:
    """A Brightpearl sales order as the warehouse sees it."""

    id: int
    status_id: int
    shipping: int        # one of the shipping status ids above
    seen_at: float
    woo_id: int = None   # its externalRef: the Woo order it came from (the service writes it)


@dataclass
class ShippedNote:
    """A goods-out note the day shipped, whose tracking number staff may correct once."""

    id: int
    order_id: int
    reference: str
    seen_at: float
    corrected: bool = False


@dataclass
class Known:
    """Everything the planner may look at; the clock is shop-day seconds (real seconds × speed)."""

    clock: float = 0.0
    stock: dict = field(default_factory=dict)        # Woo SKU → units left, None = unlimited
    prices: dict = field(default_factory=dict)       # Woo SKU → Decimal price
    customers: int = 0
    woo_orders: dict = field(default_factory=dict)   # id → WooOrder
    bp_products: dict = field(default_factory=dict)  # stock-tracked product id → SKU
    bp_levels: dict = field(default_factory=dict)    # (product id, warehouse id) → on hand
    bp_orders: dict = field(default_factory=dict)    # id → BpOrder (open ones)
    given_up: set = field(default_factory=set)       # ("woo" | "bp", order id) refused before
    shipped_notes: dict = field(default_factory=dict)  # goods-out note id → ShippedNote


def learn_woo_products(known, products):
    """Record purchasable SKUs, their stock and price from Woo product/variation JSON."""
    stock, prices = {}, {}
    for product in products:
        if not product.get("sku") or product.get("type") == "variable" \
                or product.get("status", "publish") != "publish":
            continue  # a variable parent is not purchasable itself; drafts are not on sale
        managed = product.get("manage_stock") not in (False, None)
        if product.get("backorders", "no") != "no":
            left = None
        elif managed:
            left = max(0, int(product.get("stock_quantity") or 0))
        else:
            left = 0 if product.get("stock_status") == "outofstock" else None
        stock[product["sku"]] = left
        prices[product["sku"]] = Decimal(str(product.get("price") or "0"))
    known.stock, known.prices = stock, prices


def record_sale(known, lines):
    """Take sold checkout lines off the known Woo stock, until the next re-read."""
    for line in lines:
        if known.stock.get(line["sku"]) is not None:
            known.stock[line["sku"]] = max(0, known.stock[line["sku"]] - line["quantity"])


def learn_woo_order(known, order):
    """Record (or refresh) one Woo order from its REST JSON."""
    lines = []
    for item in order.get("line_items", []):
        quantity = int(item.get("quantity") or 0)
        if quantity > 0:
            lines.append((item["id"], item.get("sku") or "", quantity,
                          (Decimal(item["total"]) / quantity).quantize(Decimal("0.01")),
                          (Decimal(item["total_tax"]) / quantity).quantize(Decimal("0.01"))))
    previous = known.woo_orders.get(order["id"])
    known.woo_orders[order["id"]] = WooOrder(
        order["id"], str(order.get("number", order["id"])), order["status"],
        order.get("payment_method", ""), order.get("currency", "GBP"), Decimal(order["total"]),
        sum((-Decimal(r["total"]) for r in order.get("refunds", [])), Decimal("0")), lines,
        previous.seen_at if previous else known.clock)


def learn_woo_orders(known, orders):
    """Replace the known Woo orders with a fresh listing (keeps first-seen times)."""
    previous, known.woo_orders = known.woo_orders, {}
    for order in orders:
        if ("woo", order["id"]) in known.given_up:
            continue
        if order["id"] in previous:
            known.woo_orders[order["id"]] = previous[order["id"]]
        learn_woo_order(known, order)


OPEN_STATUSES = range(2, 6)  # new web/phone order, awaiting payment, ready to ship


def learn_bp_orders(known, rows):
    """Replace the known open Brightpearl orders (statuses 2–5) from order-search rows.

    rows: [orderId, orderStatusId, orderShippingStatusId, externalRef?] as the search's
    positional results.
    """
    orders = {}
    for order_id, status_id, shipping, *external in rows:
        if status_id not in OPEN_STATUSES:
            continue
        if ("bp", order_id) in known.given_up:
            continue  # an order the emulator refused to move: leave it to staff
        old = known.bp_orders.get(order_id)
        woo_id = int(external[0]) if external and str(external[0] or "").isdigit() else None
        orders[order_id] = BpOrder(order_id, status_id, shipping,
                                   old.seen_at if old else known.clock, woo_id)
    known.bp_orders = orders


def learn_bp_levels(known, availability):
    """Record on-hand levels from a product-availability map {productId: {"warehouses": …}}."""
    for product_id, entry in (availability or {}).items():
        # Warehouses holding none are left out of the answer, so forget the old levels first.
        for key in [k for k in known.bp_levels if k[0] == int(product_id)]:
            known.bp_levels[key] = 0
        for warehouse_id, level in (entry.get("warehouses") or {}).items():
            known.bp_levels[(int(product_id), int(warehouse_id))] = int(level.get("onHand", 0))
