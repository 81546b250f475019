"""The refunds flow (Woo → Brightpearl): each Woo refund becomes one sales credit, its refund
payment and, when restocking is on, a goods-in note. Each step is idempotent and resumable:
RefundLink remembers how far a refund got."""
import json

from jobs.core.flowkit import Synced, flow_state, run_record
from jobs.core.money import money
from jobs.orders.orders import bp_product_ids
from jobs.orders.payments import record_once
from jobs.orders.refund_mapping import refund_payment, restocked_items, sales_credit
from jobs.orders.refund_payback import PAYBACK, FullRefund
from jobs.core.outcomes import WaitingForSettings
from models.base import utcnow
from models.connections import external_ref
from models.links import OrderLink
from models.logs import log_row
from models.orders import ContactLink, RefundLink
from models.record_keys import woo_refund_key

SALES_CREDIT = 3


def sync_refunds(order, trigger, woo, bp):
    """Sync every refund of the order not fully synced yet; returns a summary or None."""
    wanted = [r["id"] for r in order.get("refunds") or [] if not _done(r["id"])]
    if not wanted:
        return None
    refunds = {r["id"]: r for r in woo.list_refunds(order["id"])}
    full = FullRefund(order, bp)
    results = [sync_refund(order, refunds[rid], trigger, bp, full) for rid in sorted(wanted)
               if rid in refunds]
    return "; ".join(results) or None


def refund_row(order, refund):
    """The Refund log row of one Woo refund."""
    row = log_row("refund", woo_refund_key(refund["id"]),
                  f"Woo refund #{refund['id']} of order #{order.get('number')}", str(order["id"]))
    row.amount, row.currency = money(refund.get("amount")), order.get("currency")
    return row


def sync_refund(order, refund, trigger, bp, full=None):
    """Run the refund's steps for one refund under the shared outcome policy: a sales credit,
    its payment and a restock; or, for a full refund before shipping, a payback (see
    jobs/orders/refund_payback.py)."""
    row = refund_row(order, refund)
    full = full or FullRefund(order, bp)

    def work(refund_settings, attempt):
        settings = {**flow_state("orders").settings, **refund_settings}
        link = OrderLink.get(OrderLink.woo_order_id == order["id"])
        state, _ = RefundLink.get_or_create(woo_refund_id=refund["id"],
                                            defaults={"woo_order_id": order["id"]})
        if full.pays_back(settings, state, link.bp_order_id):
            return full.pay_back(refund, settings, state, link.bp_order_id, attempt)
        done = [_credit(order, refund, settings, bp, link, state, attempt)]
        done.append(_payment(order, refund, settings, bp, state))
        done.append(_restock(refund, settings, bp, state, link.bp_order_id))
        message = "; ".join(d for d in done if d) + full.credit_words(settings, link.bp_order_id)
        return Synced(message, target_ref=state.bp_credit_id,
                      row_changes={"info": f"Woo refund #{refund['id']} of order "
                                           f"#{order.get('number')} → credit #{state.bp_credit_id}"})

    return run_record(row, "refunds", trigger, work)


def _credit(order, refund, settings, bp, link, state, attempt):
    if state.bp_credit_id:
        return f"sales credit #{state.bp_credit_id} exists"
    ref = external_ref(f"woo-refund-{refund['id']}")
    found = bp.find_orders_by_external_ref(ref, order_type_id=SALES_CREDIT)
    if found:
        credit_id = found[0]["orderId"]
    else:
        contact = ContactLink.get_or_none(
            ContactLink.email == ((order.get("billing") or {}).get("email") or "").lower())
        contact_id = contact.bp_contact_id if contact else bp.get_order(link.bp_order_id)[
            "parties"]["customer"]["contactId"]
        skus = [line.get("sku") for line in refund.get("line_items") or []]
        body = sales_credit(order, refund, settings, contact_id, link.bp_order_id,
                            bp_product_ids(bp, skus), bp.installation_instance_id,
                            external_ref=ref)
        attempt.note(request=json.dumps(body, ensure_ascii=False))
        credit_id = bp.create_sales_credit(body)
    state.bp_credit_id, state.updated_at = credit_id, utcnow()
    state.save()
    return f"sales credit #{credit_id} for {money(refund.get('amount'))}"


def _payment(order, refund, settings, bp, state):
    if state.payment_done == "yes":
        return None
    record_once(bp, refund_payment(order, refund, settings, state.bp_credit_id),
                state.bp_credit_id)
    state.payment_done, state.updated_at = "yes", utcnow()
    state.save()
    return "refund payment recorded"


def _restock(refund, settings, bp, state, bp_order_id):
    items = restocked_items(refund)
    if state.restock_done in ("yes", "n/a"):
        return None
    if not settings.get("restock") or not items:
        state.restock_done = "n/a"
        state.save()
        return None
    if not bp.get_goods_out_notes(order_ids=[bp_order_id]):
        # Nothing left the warehouse, so nothing comes back: a goods-in note would invent stock.
        state.restock_done = "n/a"
        state.save()
        return "not restocked: nothing had been shipped"
    warehouse_id = settings.get("restock_warehouse_id") or settings.get("warehouse_id")
    if not warehouse_id:
        raise WaitingForSettings("the warehouse for returned items is not set")
    credit = bp.get_sales_credit(state.bp_credit_id)
    location = bp.get_default_location(warehouse_id)
    rows = _credit_rows_by_product(credit)
    product_ids = bp_product_ids(bp, [sku for sku, _ in items])
    moved = [{"productId": product_ids[sku], "quantity": quantity,
              "purchaseOrderRowId": rows.get(product_ids[sku]),
              "destinationLocationId": location,
              "productValue": {"currency": credit.get("currency", {}).get("code", "GBP"),
                               "value": "0.00"}}
             for sku, quantity in items if sku in product_ids]
    if moved:
        bp.create_goods_in_note(state.bp_credit_id, {
            "orderId": state.bp_credit_id, "transfer": False, "warehouseId": warehouse_id,
            "receivedOn": utcnow().isoformat(timespec="seconds") + "+00:00",
            "goodsMoved": moved})
    state.restock_done, state.updated_at = "yes", utcnow()
    state.save()
    return f"restocked {sum(m['quantity'] for m in moved)} item(s)"


def _credit_rows_by_product(credit):
    rows = credit.get("rows") or credit.get("orderRows") or []
    if isinstance(rows, dict):
        rows = [dict(r, id=int(k)) for k, r in rows.items()]
    return {r.get("productId"): r.get("id") for r in rows if r.get("productId")}


def _done(refund_id):
    state = RefundLink.get_or_none(RefundLink.woo_refund_id == refund_id)
    return bool(state and (state.bp_credit_id or state.handled_as == PAYBACK)
                and state.payment_done == "yes" and state.restock_done in ("yes", "n/a"))
