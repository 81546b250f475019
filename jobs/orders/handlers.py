"""The orders family's entry points: what the dispatcher calls for a record's events.

A Woo order's events run the orders flow, then its refunds, a cancellation and any other status
change; a Brightpearl order's status events bring its Woo order's status along.
"""
from jobs.core import clients
from jobs.core.context import job_database
from jobs.core.registry import handles, trigger_of
from jobs.orders.orders import sync_order
from jobs.orders.refunds import sync_refunds
from jobs.orders.status import push_cancellation, push_status, sync_status
from models.links import OrderLink


@handles("woocommerce", "order.")
def on_woo_order(source, resource, resource_id, events):
    """A Woo order changed (webhook, poll or Re-sync): create it, then its refunds and status."""
    with job_database():
        return sync_woo_order(int(resource_id), trigger_of(events[-1]), clients.woocommerce(),
                              clients.brightpearl())


def sync_woo_order(woo_order_id, trigger, woo, bp):
    """The order in Brightpearl (created once, or resumed), then its refunds, a cancellation and
    any other status change; bp's priority decides which share of the budget it spends (a
    backfill's is bulk)."""
    seen = {}
    outcome = sync_order(woo_order_id, trigger, woo, bp, seen)
    order = seen.get("order")
    # Refunds and cancellations need the order in Brightpearl, not merely attempted.
    if order and OrderLink.select().where(
            (OrderLink.woo_order_id == order["id"])
            & OrderLink.bp_order_id.is_null(False)).exists():
        refunds = sync_refunds(order, trigger, woo, bp)
        cancel = push_cancellation(order, trigger, bp)
        status = push_status(order, trigger, bp)
        outcome = "; ".join(x for x in (outcome, refunds, cancel, status) if x)
    return outcome


@handles("brightpearl", "order.modified")
def on_bp_order(source, resource, resource_id, events):
    """A Brightpearl order's status or shipping changed: bring the Woo order's status along."""
    fully_shipped = any(e.topic.endswith("fully-shipped") for e in events)
    with job_database():
        return sync_status(int(resource_id), trigger_of(events[-1]), fully_shipped,
                           clients.woocommerce(), clients.brightpearl())
