"""Order status both ways: Brightpearl status and shipping → Woo; Woo cancellations → Brightpearl."""
from connectors.errors import NotFoundError
from jobs.core.flowkit import Synced, run_record
from jobs.orders.orders import order_row
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from jobs.orders.status_mapping import cancel_blockers, woo_status_for
from models.links import OrderLink
from models.logs import log_row
from models.record_keys import bp_key


def sync_status(bp_order_id, trigger, fully_shipped, woo, bp):
    """Map the Brightpearl order's status to Woo and write it only when it differs."""
    link = OrderLink.get_or_none(OrderLink.bp_order_id == bp_order_id)
    if link is None:
        row = log_row("order", bp_key(bp_order_id), f"Brightpearl order {bp_order_id}",
                      str(bp_order_id))

        def not_ours(settings, attempt):
            raise Skipped(f"not a store order: Brightpearl order {bp_order_id} did not come "
                          f"from WooCommerce")

        return run_record(row, "order_status", trigger, not_ours)

    def work(settings, attempt):
        bp_order = bp.get_order(bp_order_id)
        target = woo_status_for(bp_order, settings, fully_shipped)
        if target is None:
            status_id = (bp_order.get("orderStatus") or {}).get("orderStatusId")
            raise WaitingForSettings(f"Brightpearl status `{status_id}` has no Woo status "
                                     f"mapping and there is no default")
        order = woo.get_order(link.woo_order_id)
        if order.get("status") == target:
            return Synced(f"Woo order already {target}", target_ref=bp_order_id,
                          outcome="unchanged")
        if order.get("status") == "refunded":
            # Final in Woo: a cancellation after a full refund must not restock it twice.
            return Synced(f"Woo order is refunded; Brightpearl's status ({target} in Woo) is "
                          f"not written over it", target_ref=bp_order_id, outcome="unchanged")
        woo.update_order_status(link.woo_order_id, target)
        return Synced(f"Woo status {order.get('status')} → {target} (from Brightpearl)",
                      target_ref=bp_order_id)

    return run_record(order_row(link.woo_order_id), "order_status", trigger, work)


def push_cancellation(order, trigger, bp):
    """Cancel in Brightpearl an order cancelled in Woo, where Brightpearl allows it."""
    if order.get("status") != "cancelled":
        return None
    link = OrderLink.get(OrderLink.woo_order_id == order["id"])

    def work(settings, attempt):
        if not settings["push_cancellations"]:
            raise Skipped("Woo cancellations are not sent to Brightpearl (Flows setting)")
        cancelled = settings.get("cancelled_status_id")
        if not cancelled:
            raise WaitingForSettings("the Brightpearl cancelled status is not set")
        try:
            bp_order = bp.get_order(link.bp_order_id)
        except NotFoundError as exc:
            raise Rejected(f"Brightpearl order #{link.bp_order_id} no longer exists") from exc
        if str((bp_order.get("orderStatus") or {}).get("orderStatusId")) == str(cancelled):
            return Synced(f"Brightpearl order #{link.bp_order_id} already cancelled",
                          outcome="unchanged", target_ref=link.bp_order_id)
        blockers = cancel_blockers(bp_order, bp.get_goods_out_notes(order_ids=[link.bp_order_id]))
        if blockers:
            raise Rejected(f"cancelled in WooCommerce, but Brightpearl cannot cancel order "
                           f"#{link.bp_order_id}: {' and '.join(blockers)} — refund it in "
                           f"WooCommerce or cancel it in Brightpearl by hand")
        bp.update_order_status(link.bp_order_id, cancelled, note="Cancelled in WooCommerce")
        return Synced(f"cancelled Brightpearl order #{link.bp_order_id} (cancelled in Woo)",
                      target_ref=link.bp_order_id)

    return run_record(order_row(order["id"]), "order_status", trigger, work)
