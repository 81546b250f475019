"""Repairs no record's own re-sync makes: cancelling the extra copies of a duplicated
Brightpearl order, one adjustment row that brings a Brightpearl order's (or credit's) total to
the Woo figure, and pushing a Brightpearl order's status to its Woo order (the row's own
Re-sync would re-read the Woo order instead). Every other kind is repaired by its own flow's
re-sync (see logpage/repairs.py).

The staff page queues these as a Re-sync of the record's Sync Logs row whose event names the
discrepancy (source "pearlbridge", topic "reconcile.repair"); the outcome lands on that row like
any flow's. Each repair re-reads both platforms first, so running it twice changes nothing the
second time.
"""
import json

from connectors.errors import NotFoundError
from jobs.core import clients
from jobs.core.context import job_database
from jobs.core.flowkit import Synced, flow_state, run_record
from jobs.core.money import money, text
from jobs.core.outcomes import Rejected, WaitingForSettings
from jobs.core.registry import handles
from jobs.orders.mapping import zero_tax_code
from jobs.orders.orders import order_row
from jobs.orders.refunds import refund_row
from jobs.orders.status import sync_status
from jobs.orders.status_mapping import cancel_blockers
from models.reconcile import Discrepancy

SOURCE, RESOURCE = "pearlbridge", "discrepancy"


def adjustment_row(difference, settings, nominal_code, what):
    """The free-text, untaxed order row that moves a total by difference (generic row POST)."""
    if not nominal_code:
        raise WaitingForSettings("no rounding nominal code is set")
    return {"productName": f"Reconciliation adjustment ({what})"[:255],
            "quantity": {"magnitude": "1"}, "nominalCode": str(nominal_code),
            "rowValue": {"taxCode": zero_tax_code(settings), "rowNet": {"value": text(difference)},
                         "rowTax": {"value": "0.00"}}}


@handles(SOURCE, "reconcile.")
def on_repair(source, resource, resource_id, events):
    """Dispatcher handler: repair the discrepancy the event names."""
    # The page's Repair is a manual attempt, its Repair all a retry (as Re-sync and Retry).
    trigger = "retry" if (events[-1].dedupe_key or "").startswith("retry:") else "manual"
    with job_database():
        discrepancy = Discrepancy.get_or_none(Discrepancy.id == int(resource_id))
        if discrepancy is None:
            return "ignored: the discrepancy no longer exists"
        repair = REPAIRS.get(discrepancy.kind)
        if repair is None:
            return f"ignored: {discrepancy.kind} is repaired by its flow's re-sync"
        # Repair all of a kind (a "retry") spends the bulk share; one Repair is interactive.
        bp = clients.brightpearl("bulk" if trigger == "retry" else "interactive")
        return repair(discrepancy.facts, trigger, clients.woocommerce(), bp)


def cancel_duplicates(facts, trigger, woo, bp):
    """Cancel every copy of the order but the one kept, where Brightpearl allows it."""
    keep, number = facts["bp_order_id"], facts.get("number") or facts["woo_order_id"]

    def work(settings, attempt):
        cancelled = settings.get("cancelled_status_id")
        if not cancelled:
            raise WaitingForSettings("the Brightpearl cancelled status is not set")
        done = []
        for extra in facts.get("extra_bp_order_ids") or []:
            try:
                copy = bp.get_order(extra)
            except NotFoundError:
                done.append(f"#{extra} no longer exists")
                continue
            if str((copy.get("orderStatus") or {}).get("orderStatusId")) == str(cancelled):
                done.append(f"#{extra} already cancelled")
                continue
            blockers = cancel_blockers(copy, bp.get_goods_out_notes(order_ids=[extra]))
            if blockers:
                raise Rejected(f"Brightpearl order #{extra} duplicates #{keep} but cannot be "
                               f"cancelled: {' and '.join(blockers)} — merge them by hand")
            bp.update_order_status(extra, cancelled, note=f"Duplicate of order #{keep} for Woo "
                                                          f"order #{number} (reconciliation)")
            done.append(f"cancelled duplicate Brightpearl order #{extra}")
        return Synced("; ".join(done) + f"; kept #{keep}", target_ref=keep)

    return run_record(order_row(facts["woo_order_id"]), "order_status", trigger, work)


def adjust_order_total(facts, trigger, woo, bp):
    """Add the row that makes the Brightpearl order's total the Woo order's, to the cent."""
    bp_id = facts["bp_order_id"]

    def work(settings, attempt):
        order = woo.get_order(facts["woo_order_id"])
        have = money((bp.get_order(bp_id).get("totalValue") or {}).get("total"))
        difference = money(order.get("total")) - have
        if not difference:
            return Synced(f"totals already agree ({have})", target_ref=bp_id, outcome="unchanged")
        row = adjustment_row(difference, settings, (settings.get("nominal_codes") or {})
                             .get("rounding"), f"Woo order #{order.get('number') or order['id']}")
        attempt.note(request=json.dumps(row))
        bp.add_order_row(bp_id, row)
        return Synced(f"adjustment row of {text(difference)} added to Brightpearl order "
                      f"#{bp_id}: {have} → {money(order.get('total'))}", target_ref=bp_id)

    return run_record(order_row(facts["woo_order_id"]), "orders", trigger, work)


def adjust_credit_amount(facts, trigger, woo, bp):
    """Add the row that makes the sales credit's total the Woo refund's amount."""
    credit_id = facts["bp_credit_id"]
    order = woo.get_order(facts["woo_order_id"])
    refund = next((r for r in woo.list_refunds(order["id"])
                   if int(r["id"]) == int(facts["woo_refund_id"])), None)
    if refund is None:
        return f"refund #{facts['woo_refund_id']} is no longer in the store"

    def work(refund_settings, attempt):
        settings = {**flow_state("orders").settings, **refund_settings}
        have = money((bp.get_order(credit_id).get("totalValue") or {}).get("total"))
        difference = money(refund.get("amount")) - have
        if not difference:
            return Synced(f"amounts already agree ({have})", target_ref=credit_id,
                          outcome="unchanged")
        row = adjustment_row(difference, settings, settings.get("refund_nominal_code"),
                             f"Woo refund #{refund['id']}")
        attempt.note(request=json.dumps(row))
        bp.add_order_row(credit_id, row)
        return Synced(f"adjustment row of {text(difference)} added to sales credit "
                      f"#{credit_id}: {have} → {money(refund.get('amount'))}",
                      target_ref=credit_id)

    return run_record(refund_row(order, refund), "refunds", trigger, work)


def push_status(facts, trigger, woo, bp):
    """Bring the Woo order's status in line with its Brightpearl order (the status flow)."""
    return sync_status(int(facts["bp_order_id"]), trigger, False, woo, bp)


REPAIRS = {"order_duplicated": cancel_duplicates, "order_total": adjust_order_total,
           "order_status": push_status, "refund_amount": adjust_credit_amount}
