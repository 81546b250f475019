"""Order status both ways: pure decisions, no I/O."""

WOO_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded",
                "failed")


def woo_status_for(bp_order, settings, fully_shipped=False):
    """The Woo status a Brightpearl order should have, or None when no mapping or default applies.

    Fully shipped orders are completed whatever their Brightpearl status (shippingStatusCode ASS
    is computed by Brightpearl; the user-editable status is not a reliable "shipped").
    """
    if fully_shipped or bp_order.get("shippingStatusCode") == "ASS":
        return "completed"
    status_id = str((bp_order.get("orderStatus") or {}).get("orderStatusId", ""))
    mapping = {str(k): v for k, v in (settings.get("status_map") or {}).items()}
    return mapping.get(status_id) or settings.get("default_woo_status") or None


def agrees_with_woo(bp_order, woo_status, settings, fully_shipped=False):
    """True when the Brightpearl status is the one the Woo status maps to (Woo → Brightpearl):
    the status came from Woo, or both already agree, so nothing is written back. Shipping is
    Brightpearl's to report: a fully shipped order never agrees this way."""
    if fully_shipped or bp_order.get("shippingStatusCode") == "ASS":
        return False
    mapped = (settings.get("woo_status_map") or {}).get(woo_status or "")
    status_id = (bp_order.get("orderStatus") or {}).get("orderStatusId")
    return mapped is not None and str(mapped) == str(status_id)


def cancel_blockers(bp_order, goods_out_notes):
    """Why Brightpearl would refuse to cancel this order, in words (empty when it can)."""
    reasons = []
    if goods_out_notes:
        reasons.append("it has goods-out notes")
    if any(i.get("invoiceReference") for i in bp_order.get("invoices") or []):
        reasons.append("it is invoiced")
    if bp_order.get("orderPaymentStatus") in ("PAID", "PARTIALLY_PAID"):
        reasons.append("it has payments")
    return reasons
