"""Woo refund → Brightpearl sales credit, refund payment and goods-in: pure functions."""
import html
from decimal import Decimal

from jobs.core.money import money, text
from jobs.orders.mapping import customer_payment, gmt_with_offset, tax_code, zero_tax_code
from jobs.core.outcomes import WaitingForSettings


def refunded_total(order):
    """What the order's refunds add up to, positive (Woo lists each total as "-x.xx")."""
    return sum((-money(r.get("total")) for r in order.get("refunds") or []), Decimal("0.00"))


def fully_refunded(order):
    """True when the order's refunds add up to its whole total."""
    total = money(order.get("total"))
    return total > 0 and refunded_total(order) >= total


def payback_blockers(bp_order, notes, credit_ids):
    """Why a fully refunded order cannot be paid back and cancelled, in words ([] when it can).

    Payments are not a reason: paying them back is the point. Goods-out or drop-ship notes
    (it shipped, or is being shipped), an invoice, or an earlier refund already made a sales
    credit each keep the refunds as credits.
    """
    reasons = []
    if notes:
        reasons.append("it has shipped (or has goods-out notes)")
    if any(i.get("invoiceReference") for i in bp_order.get("invoices") or []):
        reasons.append("it is invoiced")
    if credit_ids:
        reasons.append(f"an earlier refund became sales credit #{min(credit_ids)}")
    return reasons


def new_refunds(order, linked_refund_ids):
    """The ids of the order's refunds not linked yet, oldest first."""
    return sorted(r["id"] for r in order.get("refunds") or [] if r["id"] not in linked_refund_ids)


def refunded_item_id(line):
    """The Woo order line a refund line gives back (its `_refunded_item_id` meta)."""
    for meta in line.get("meta_data") or []:
        if meta.get("key") == "_refunded_item_id":
            return str(meta.get("value"))
    return None


def credit_rows(refund, settings, product_ids):
    """Rows for the sales credit: the refunded lines, plus a free-text row for what they miss.

    A money-only refund is one free-text row at the refund amount. Amounts are positive on
    the credit (Woo's refund lines are negative).
    """
    nominal = (settings.get("refund_nominal_code") or (settings.get("nominal_codes") or {})
               .get("sales"))
    if not nominal:
        raise WaitingForSettings("the refund nominal code is not set")
    rows = []
    for line in refund.get("line_items") or []:
        quantity = abs(int(line.get("quantity") or 0))
        net, tax = -money(line.get("total")), -money(line.get("total_tax"))
        if not quantity and not (net or tax):
            continue
        row = {"name": html.unescape(line.get("name") or line.get("sku") or "Refunded item"),
               "quantity": str(quantity or 1), "net": text(net), "tax": text(tax),
               "taxCode": tax_code(settings, line.get("tax_class") or "", line),
               "nominalCode": str(nominal),
               "externalRef": refunded_item_id(line) or f"refund-line-{line.get('id')}"}
        sku = (line.get("sku") or "").strip()
        if sku in product_ids:
            row["productId"] = product_ids[sku]
        rows.append(row)
    remainder = money(refund.get("amount")) - sum(
        (money(r["net"]) + money(r["tax"]) for r in rows), Decimal("0.00"))
    if remainder:
        reason = (refund.get("reason") or "").strip()
        name = f"Refund: {reason}" if reason else "Refund"
        if rows:
            name = f"{name} (amount not covered by refunded lines)"
        rows.append({"name": name[:255], "quantity": "1", "net": text(remainder), "tax": "0.00",
                     "taxCode": zero_tax_code(settings), "nominalCode": str(nominal),
                     "externalRef": f"refund-{refund['id']}"})
    return rows


def sales_credit(order, refund, settings, contact_id, bp_order_id, product_ids,
                 instance_id=None, external_ref=None):
    """The sales-credit POST body for one Woo refund of an order already in Brightpearl;
    externalRef is external_ref, else "woo-refund-{id}"."""
    body = {
        "customer": {"id": contact_id},
        "parentId": bp_order_id,
        "ref": f"{order.get('number') or order['id']}-refund-{refund['id']}"[:64],
        "externalRef": external_ref or f"woo-refund-{refund['id']}",
        "placedOn": gmt_with_offset(refund.get("date_created_gmt")),
        "currency": {"code": order.get("currency") or "GBP"},
        "rows": credit_rows(refund, settings, product_ids),
    }
    for key, setting in (("statusId", "credit_status_id"), ("warehouseId", "warehouse_id"),
                         ("channelId", "channel_id"), ("priceListId", "price_list_id")):
        if settings.get(setting) not in (None, ""):
            body[key] = settings[setting]
    if instance_id:
        body["installedIntegrationInstanceId"] = int(instance_id)
    return body


def refund_payment(order, refund, settings, credit_id):
    """The PAYMENT customer payment for a refund (money went back through the Woo gateway)."""
    return customer_payment(order, settings, "PAYMENT", credit_id,
                            transaction_ref=f"woo-refund-{refund['id']}",
                            amount=refund.get("amount"), paid_gmt=refund.get("date_created_gmt"))


def restocked_items(refund):
    """(sku, quantity) of the items a refund sent back, for the goods-in note."""
    items = []
    for line in refund.get("line_items") or []:
        quantity = abs(int(line.get("quantity") or 0))
        if quantity and (line.get("sku") or "").strip():
            items.append((line["sku"].strip(), quantity))
    return items
