"""The orders flow (Woo → Brightpearl): every Woo order in the imported statuses, exactly once.

Safe against every retry: the links table, the order's externalRef and the payment's unique
transaction ref each guard one step, and a resumed job skips what is done.
"""
import json

from connectors.errors import NotFoundError
from jobs.core.context import job_redis
from jobs.orders.customers import contact_for
from jobs.core.flowkit import Synced, run_record
from jobs.core.locks import check_held
from jobs.core.money import money
from jobs.orders.mapping import (check_importable, free_text_lines, is_paid, order_rows, payment,
                                 sales_order)
from jobs.core.outcomes import Skipped
from jobs.orders.payments import record_once
from models.base import upsert, utcnow
from models.connections import external_ref
from models.links import OrderLink, ProductLink
from models.logs import log_row
from models.record_keys import woo_order_key

SALES_ORDER = 1


def order_row(woo_order_id):
    """The Order log row of a Woo order (created when a poll or retry finds it first)."""
    return log_row("order", woo_order_key(woo_order_id), f"Woo order #{woo_order_id}",
                   str(woo_order_id))


def sync_order(woo_order_id, trigger, woo, bp, seen=None):
    """Run the orders flow for one Woo order under the shared outcome policy."""
    row = order_row(woo_order_id)
    seen = {} if seen is None else seen

    def work(settings, attempt):
        try:
            order = woo.get_order(woo_order_id)
        except NotFoundError as exc:
            raise Skipped("the order no longer exists in the store") from exc
        seen["order"] = order
        row.info = f"Woo order #{order.get('number') or order['id']}"
        row.amount, row.currency = money(order.get("total")), order.get("currency")
        return create_or_resume(order, settings, bp, attempt)

    return run_record(row, "orders", trigger, work)


def create_or_resume(order, settings, bp, attempt):
    """Create the order (customer, sales order, payment), or finish what an earlier run began."""
    link = OrderLink.get_or_none(OrderLink.woo_order_id == order["id"])
    if link and link.bp_order_id:
        paid = _ensure_payment(bp, order, settings, link.bp_order_id)
        return Synced(f"duplicate suppressed (already Brightpearl order #{link.bp_order_id})"
                      + (f"; {paid}" if paid else ""), target_ref=link.bp_order_id,
                      outcome="duplicate", row_changes=_info(order, link.bp_order_id))
    check_importable(order, settings)
    if is_paid(order):
        payment(order, settings, 0)  # a missing payment mapping holds the order before any write
    # Only a run after an attempt that may have reached Brightpearl pays for the search.
    ref = external_ref(order["id"])  # "c2-95" once the store was switched (models.connections)
    found = (bp.find_orders_by_external_ref(ref, order_type_id=SALES_ORDER)
             if link and link.state == "posting" else [])
    if found:
        bp_order_id, how = found[0]["orderId"], "found the order an earlier attempt created"
    else:
        product_ids = bp_product_ids(bp, [line.get("sku") for line in order.get("line_items", [])])
        order_rows(order, settings, product_ids)  # a held or refused line stops before any write
        contact_id, customer = contact_for(bp, order, settings, job_redis())
        body = sales_order(order, settings, contact_id, product_ids, bp.installation_instance_id,
                           external_ref=ref)
        attempt.note(request=json.dumps(body, ensure_ascii=False))
        check_held()  # the record's lock is still ours: no other run is creating this order
        _mark_posting(order["id"], link)
        bp_order_id = bp.create_sales_order(body)
        attempt.note(response=json.dumps({"response": bp_order_id}))
        how = f"created ({customer})" + _rounding_note(body) + free_text_lines(order, product_ids)
    _link(order["id"], bp_order_id, order.get("status"))
    paid = _ensure_payment(bp, order, settings, bp_order_id)
    message = f"Brightpearl order #{bp_order_id} {how}" + (f"; {paid}" if paid else "")
    return Synced(message, target_ref=bp_order_id, row_changes=_info(order, bp_order_id))


def bp_product_ids(bp, skus):
    """{sku: Brightpearl product id} for the SKUs Brightpearl has: links first, then a search."""
    skus = sorted({(s or "").strip() for s in skus} - {""})
    known = {link.sku: link.bp_product_id for link in ProductLink.select().where(
        ProductLink.sku.in_(skus) & ProductLink.bp_product_id.is_null(False))}
    for sku in skus:
        if sku in known:
            continue
        rows = bp.find_products_by_sku(sku)
        if rows:
            known[sku] = rows[0]["productId"]
            upsert(ProductLink, "sku", sku=sku, bp_product_id=known[sku], updated_at=utcnow())
    return known


def _mark_posting(woo_order_id, link):
    # Written before the POST: if the answer is lost, the next run knows to search first.
    if link is None or link.state != "posting":
        upsert(OrderLink, "woo_order_id", woo_order_id=woo_order_id, state="posting",
               updated_at=utcnow())


def _link(woo_order_id, bp_order_id, woo_status):
    # Saved the moment the order exists, so a crash after this point resumes, never re-creates.
    # Its Woo status is the one the new Brightpearl status stands for: not a change to push.
    upsert(OrderLink, "woo_order_id", woo_order_id=woo_order_id, bp_order_id=bp_order_id,
           state="created", woo_status=woo_status, updated_at=utcnow())


def _ensure_payment(bp, order, settings, bp_order_id):
    """Record the RECEIPT of a paid order once; says so when this run recorded it."""
    if not is_paid(order):
        return None
    body = payment(order, settings, bp_order_id)
    if record_once(bp, body, bp_order_id):
        return f"payment {body['amountPaid']} {body['currencyIsoCode']} recorded"
    return None


def _rounding_note(body):
    rounding = [r for r in body["rows"] if r.get("externalRef") == "rounding"]
    return f", with a rounding row of {rounding[0]['net']}" if rounding else ""


def _info(order, bp_order_id):
    return {"info": f"Woo order #{order.get('number') or order['id']} → Brightpearl #{bp_order_id}"}
