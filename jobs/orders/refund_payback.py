"""A full refund of an order that never shipped (docs/REFUNDS.md): with the refunds setting
"cancel", each refund is paid back against the sales order itself (no sales credit), and once
all of them are, the order is cancelled — Brightpearl refuses to cancel an order holding money,
and cancelling releases its allocated stock. With "credit" (the default) the refunds stay
credits and the row says the order was left open.

Resumable step by step: the payment is recorded once (unique transactionRef), RefundLink says
how far each refund got, and a cancelled order is not cancelled again.
"""
import json

from connectors.errors import PermanentError
from jobs.core.flowkit import Synced
from jobs.core.money import money
from jobs.core.outcomes import Rejected
from jobs.orders.payments import record_once
from jobs.orders.refund_mapping import fully_refunded, payback_blockers, refund_payment
from models.base import utcnow
from models.orders import RefundLink
from models.schemas.orders import FULL_REFUND_CANCEL

PAYBACK = "payback"
NOTE = "Refunded in full in WooCommerce before it shipped"


class FullRefund:
    """What a fully refunded order's refunds become; Brightpearl is asked once per run."""

    def __init__(self, order, bp):
        self.order, self.bp = order, bp
        self._blockers = None

    def blockers(self, bp_order_id):
        """Why the order cannot be paid back and cancelled ([] when it can); cached."""
        if self._blockers is None:
            credits = [r.bp_credit_id for r in RefundLink.select().where(
                (RefundLink.woo_order_id == self.order["id"])
                & RefundLink.bp_credit_id.is_null(False))]
            notes = {**self.bp.get_goods_out_notes(order_ids=[bp_order_id]),
                     **self.bp.get_drop_ship_notes(order_ids=[bp_order_id])}
            self._blockers = payback_blockers(self.bp.get_order(bp_order_id), notes, credits)
        return self._blockers

    def pays_back(self, settings, state, bp_order_id):
        """True when this refund is (or already was) paid back against the order."""
        if state.handled_as == PAYBACK:
            return True
        if state.bp_credit_id or settings.get("full_refund_unshipped") != FULL_REFUND_CANCEL:
            return False
        return fully_refunded(self.order) and not self.blockers(bp_order_id)

    def credit_words(self, settings, bp_order_id):
        """What the row adds when a full refund of an unshipped order became a credit."""
        if not fully_refunded(self.order):
            return ""
        blockers = self.blockers(bp_order_id)
        if any(b.startswith("it has shipped") for b in blockers):
            return ""  # a shipped order's refunds are credits: nothing to explain
        if settings.get("full_refund_unshipped") == FULL_REFUND_CANCEL:
            return f"; refunded in full but not cancelled: {' and '.join(blockers)}"
        return (f"; refunded in full before shipping: Brightpearl order #{bp_order_id} stays "
                f"open with its stock allocated (setting: sales credit) — cancel it there if it "
                f"will not ship")

    def pay_back(self, refund, settings, state, bp_order_id, attempt):
        """Pay this refund back against the order; cancel the order once all are. A Synced."""
        amount = f"{money(refund.get('amount'))} {self.order.get('currency') or ''}".strip()
        if state.payment_done != "yes":
            state.handled_as, state.updated_at = PAYBACK, utcnow()
            state.save()  # before the payment: a resumed run knows which way this refund went
            body = refund_payment(self.order, refund, settings, bp_order_id)
            attempt.note(request=json.dumps(body, ensure_ascii=False))
            record_once(self.bp, body, bp_order_id)
            state.payment_done, state.updated_at = "yes", utcnow()
            state.save()
        words = (f"{amount} paid back against Brightpearl order #{bp_order_id} (refunded in "
                 f"full before it shipped, so no sales credit)")
        waiting = self._others_waiting(refund["id"])
        if waiting:
            words += f"; the order is cancelled once refund(s) {waiting} are paid back too"
        else:
            words += "; " + self._cancel(settings, bp_order_id)
        return Synced(words, target_ref=bp_order_id, row_changes={
            "info": f"Woo refund #{refund['id']} of order #{self.order.get('number')} → "
                    f"paid back on Brightpearl order #{bp_order_id}"})

    def _others_waiting(self, refund_id):
        paid = {r.woo_refund_id for r in RefundLink.select().where(
            (RefundLink.woo_order_id == self.order["id"]) & (RefundLink.handled_as == PAYBACK)
            & (RefundLink.payment_done == "yes"))}
        others = sorted({r["id"] for r in self.order.get("refunds") or []} - paid - {refund_id})
        return ", ".join(f"#{r}" for r in others)

    def _cancel(self, settings, bp_order_id):
        status = settings["cancelled_status_id"]
        current = (self.bp.get_order(bp_order_id).get("orderStatus") or {}).get("orderStatusId")
        if str(current) == str(status):
            words = f"order #{bp_order_id} already cancelled"
        else:
            try:
                self.bp.update_order_status(bp_order_id, status, note=NOTE)
            except PermanentError as exc:
                raise Rejected(f"refund paid back against Brightpearl order #{bp_order_id}, but "
                               f"Brightpearl refused to cancel it: {exc} — cancel it there by "
                               f"hand, or Re-sync", getattr(exc, "detail", None)) from exc
            words = f"order #{bp_order_id} cancelled (its stock released)"
        RefundLink.update(restock_done="n/a", updated_at=utcnow()).where(
            (RefundLink.woo_order_id == self.order["id"])
            & (RefundLink.handled_as == PAYBACK)).execute()
        return words
