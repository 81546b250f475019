"""Woo orders and refunds against Brightpearl sales orders and credits: pure, facts in,
findings out.

A Woo order is found in Brightpearl by externalRef (the Woo order id, which the orders flow
writes), a refund by its credit's externalRef "woo-refund-{id}". Cancelled Brightpearl orders
do not count as copies: a duplicate cancelled by a repair is no longer a duplicate.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from jobs.core.money import money
from jobs.orders.mapping import is_paid
from jobs.orders.status_mapping import woo_status_for
from jobs.reconcile.findings import Finding

SALES_ORDER, SALES_CREDIT = 1, 3


@dataclass
class BpOrder:
    """A Brightpearl sales order or credit as the run sees it (search row + ID-set GET)."""

    id: int
    type_id: int
    external_ref: str | None
    status_id: int | None = None
    parent_id: int | None = None
    total: Decimal | None = None
    payment_status: str | None = None
    shipping_status: str | None = None


def woo_date(order):
    """The Woo order's creation time (naive UTC), for the discrepancy's place in a range."""
    value = order.get("date_created_gmt") or order.get("date_created")
    return datetime.fromisoformat(str(value).replace("Z", "")[:19]) if value else None


def index_by_ref(bp_orders, type_id):
    """{externalRef: [orders of type_id, lowest id first]}."""
    index = {}
    for order in sorted(bp_orders, key=lambda o: o.id):
        if order.type_id == type_id and order.external_ref:
            index.setdefault(order.external_ref, []).append(order)
    return index


def primary(copies, linked_id=None):
    """The copy Pearlbridge keeps: the one its link names, else the lowest id."""
    for order in copies:
        if order.id == linked_id:
            return order
    return copies[0]


def imported_statuses(settings):
    """The Woo statuses the orders flow imports."""
    return set(settings.get("import_statuses") or ())


def sales_copies(bp_orders, settings):
    """{externalRef: its sales orders}, cancelled copies left out while a live one exists."""
    cancelled = settings.get("cancelled_status_id")
    found = {}
    for ref, copies in index_by_ref(bp_orders, SALES_ORDER).items():
        live = [o for o in copies if cancelled is None or str(o.status_id) != str(cancelled)]
        found[ref] = live or copies
    return found


def compare_orders(woo_orders, bp_orders, settings, areas, links=None):
    """Findings for Woo orders (and their refunds) against Brightpearl; areas picks the checks.

    settings merges the orders flow's (import statuses, new order status) and the order status
    flow's (status map, default, cancelled status). links maps Woo order id → the Brightpearl
    order id Pearlbridge linked it to (it decides which duplicate is kept).
    """
    imported = imported_statuses(settings)
    copies_of, credits = sales_copies(bp_orders, settings), index_by_ref(bp_orders, SALES_CREDIT)
    findings = []
    for order in woo_orders:
        copies = copies_of.get(str(order["id"]), [])
        if order.get("status") in imported:
            findings += _order_findings(order, copies, settings, areas, links or {})
        if copies and "refunds" in areas:
            keep = primary(copies, (links or {}).get(order["id"]))
            findings += _refund_findings(order, credits, keep.id)
    return findings


def _finding(kind, order, title, woo_says, bp_says, **facts):
    return Finding(kind, f"woo-{order['id']}", title, woo_says, bp_says,
                   dict(facts, woo_order_id=order["id"], number=str(order.get("number") or "")),
                   woo_date(order))


def _order_findings(order, copies, settings, areas, links):
    number = order.get("number") or order["id"]
    total = money(order.get("total"))
    if not copies:
        if "orders" not in areas:
            return []
        return [_finding("order_missing", order, f"Woo order #{number} is not in Brightpearl",
                         f"order #{number}, {order.get('status')}, {total} {order.get('currency')}",
                         "no sales order with this externalRef",
                         linked_bp_order_id=links.get(order["id"]))]
    keep = primary(copies, links.get(order["id"]))
    found = []
    if "orders" in areas:
        if len(copies) > 1:
            extra = [o.id for o in copies if o.id != keep.id]
            found.append(_finding(
                "order_duplicated", order, f"Woo order #{number} is in Brightpearl "
                f"{len(copies)} times", f"one order #{number}",
                "sales orders " + ", ".join(f"#{o.id}" for o in copies),
                bp_order_id=keep.id, extra_bp_order_ids=extra))
        if keep.total is not None and keep.total != total:
            found.append(_finding(
                "order_total", order, f"Woo order #{number}: totals differ by "
                f"{abs(total - keep.total)}", f"total {total}", f"total {keep.total} "
                f"(sales order #{keep.id})", bp_order_id=keep.id, woo_total=str(total),
                bp_total=str(keep.total)))
        if is_paid(order) and total > 0 and keep.payment_status == "UNPAID":
            found.append(_finding(
                "payment_missing", order, f"Woo order #{number} is paid; Brightpearl has no "
                f"payment", f"paid {total} by {order.get('payment_method') or 'unknown'}",
                f"sales order #{keep.id} unpaid", bp_order_id=keep.id))
    if "status" in areas:
        expected = expected_status(keep, settings)
        if expected and expected != order.get("status"):
            found.append(_finding(
                "order_status", order, f"Woo order #{number} is {order.get('status')}, "
                f"the status map says {expected}", f"status {order.get('status')}",
                f"status {keep.status_id} (sales order #{keep.id}) → {expected}",
                bp_order_id=keep.id, expected=expected))
    return found


def expected_status(bp_order, settings):
    """The Woo status the status map asks for, or None when Brightpearl has not moved it on.

    A Brightpearl order still in the status new orders get has not been moved by anyone, so the
    Woo status (set by the shop) stands; fully shipped orders are the shipments check's.
    """
    if bp_order.status_id is None or bp_order.shipping_status == "ASS":
        return None
    if str(bp_order.status_id) == str(settings.get("new_order_status_id")):
        return None
    return woo_status_for({"orderStatus": {"orderStatusId": bp_order.status_id}}, settings)


def _refund_findings(order, credits, bp_order_id):
    found, number = [], order.get("number") or order["id"]
    for refund in order.get("refunds") or []:
        amount = abs(money(refund.get("total")))
        copies = credits.get(f"woo-refund-{refund['id']}")
        key = f"woo-{refund['id']}"
        facts = {"woo_order_id": order["id"], "woo_refund_id": refund["id"],
                 "number": str(number), "bp_order_id": bp_order_id}
        if not copies:
            found.append(Finding("refund_missing", key, f"Refund #{refund['id']} of Woo order "
                                 f"#{number} has no sales credit", f"refund {amount}",
                                 "no sales credit with this externalRef", facts,
                                 woo_date(order)))
        elif copies[0].total is not None and copies[0].total != amount:
            found.append(Finding("refund_amount", key, f"Refund #{refund['id']} of Woo order "
                                 f"#{number}: amounts differ by {abs(amount - copies[0].total)}",
                                 f"refund {amount}", f"sales credit #{copies[0].id}: "
                                 f"{copies[0].total}", dict(facts, bp_credit_id=copies[0].id,
                                                           woo_amount=str(amount),
                                                           bp_amount=str(copies[0].total)),
                                 woo_date(order)))
    return found
