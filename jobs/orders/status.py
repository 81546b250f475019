"""Order status both ways: Brightpearl status and shipping → Woo; Woo status changes (through
the Woo → Brightpearl map) and cancellations → Brightpearl. Each direction recognises the
other's echo, so a change never bounces back and forth."""
from connectors.errors import NotFoundError
from jobs.core.flowkit import Synced, flow_state, run_record
from jobs.orders.orders import order_row
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from jobs.orders.status_mapping import agrees_with_woo, cancel_blockers, woo_status_for
from models.schemas.orders import NOT_PUSHED_STATUSES
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
        order = woo.get_order(link.woo_order_id)
        status_id = (bp_order.get("orderStatus") or {}).get("orderStatusId")
        if agrees_with_woo(bp_order, order.get("status"), settings, fully_shipped):
            _remember(link, order.get("status"))
            return Synced(f"Brightpearl status {status_id} is what Woo status "
                          f"{order.get('status')} maps to; nothing written back",
                          target_ref=bp_order_id, outcome="unchanged")
        if target is None:
            raise WaitingForSettings(f"Brightpearl status `{status_id}` has no Woo status "
                                     f"mapping and there is no default")
        if order.get("status") == target:
            _remember(link, target)
            return Synced(f"Woo order already {target}", target_ref=bp_order_id,
                          outcome="unchanged")
        if order.get("status") == "refunded":
            # Final in Woo: a cancellation after a full refund must not restock it twice.
            return Synced(f"Woo order is refunded; Brightpearl's status ({target} in Woo) is "
                          f"not written over it", target_ref=bp_order_id, outcome="unchanged")
        woo.update_order_status(link.woo_order_id, target)
        _remember(link, target)  # the order.updated this write causes is not a change to push
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


def push_status(order, trigger, bp):
    """Send a Woo status change (other than a cancellation or refund) to Brightpearl through
    the Woo → Brightpearl map. Only a change to a mapped status touches the row."""
    status = order.get("status")
    link = OrderLink.get(OrderLink.woo_order_id == order["id"])
    if status == link.woo_status:
        return None
    flow = flow_state("order_status")
    mapped = (flow.settings.get("woo_status_map") or {}).get(status)
    if status in NOT_PUSHED_STATUSES or not mapped or not flow.enabled or flow.problem:
        _remember(link, status)
        return None
    was = link.woo_status or "new"

    def work(settings, attempt):
        bp_order = bp.get_order(link.bp_order_id)
        current = str((bp_order.get("orderStatus") or {}).get("orderStatusId"))
        if current == str(mapped):
            words, outcome = f"Brightpearl order #{link.bp_order_id} already in status {mapped}", \
                "unchanged"
        elif woo_status_for(bp_order, settings) == status:
            # Brightpearl's own status (or its shipping) already means this: e.g. shipped there,
            # completed here by the shipments flow. Never move it back.
            words, outcome = (f"Brightpearl order #{link.bp_order_id} (status {current}) already "
                              f"stands for Woo status {status}; not changed"), "unchanged"
        else:
            bp.update_order_status(link.bp_order_id, int(mapped),
                                   note=f"WooCommerce status {was} → {status}")
            words, outcome = (f"Brightpearl order #{link.bp_order_id} status {current} → "
                              f"{mapped} (Woo status {was} → {status})"), "synced"
        _remember(link, status)
        return Synced(words, target_ref=link.bp_order_id, outcome=outcome)

    return run_record(order_row(order["id"]), flow, trigger, work)


def _remember(link, woo_status):
    if woo_status and link.woo_status != woo_status:
        OrderLink.update(woo_status=woo_status).where(OrderLink.id == link.id).execute()
        link.woo_status = woo_status
