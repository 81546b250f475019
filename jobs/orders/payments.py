"""Customer payments recorded in Brightpearl exactly once, with as few calls as possible.

A local row is written before the POST; only a run that finds such a row without a payment id
(an earlier attempt that may have reached Brightpearl) pays for a search first.
"""
from models.orders import OrderPayment


def record_once(bp, body, bp_order_id):
    """POST the payment unless it is already recorded; returns True when this call recorded it."""
    ref, code = body["transactionRef"], body["paymentMethodCode"]
    mark, created = OrderPayment.get_or_create(
        transaction_ref=ref, payment_method_code=code, defaults={"bp_order_id": bp_order_id})
    if mark.bp_payment_id:
        return False
    if not created:
        found = [p for p in bp.search_customer_payments(transactionRef=ref)
                 if str(p.get("paymentMethodCode")) == code]
        if found:
            mark.bp_payment_id = found[0].get("paymentId")
            mark.save()
            return False
    mark.bp_payment_id = bp.create_customer_payment(body)
    mark.save()
    return True
