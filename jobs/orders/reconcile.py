"""The orders backstop: WooCommerce never retries a failed webhook, so the poller reads the orders
modified since its cursor and puts any change it has not seen into the inbox."""
import json
from datetime import datetime, timedelta

from jobs.core import clients
from models.orders import DRAFT_ORDER_STATUSES
from jobs.core.context import job_database, job_redis, settings as job_settings
from jobs.core.queues import BULK, QueueUnavailable, enqueue_once, enqueue_record
from jobs.core.registry import every
from models.base import utcnow
from models.db import db, write_transaction
from models.events import Event, insert_event
from models.flows import get_flow
from models.links import read_cursor, write_cursor
from models.logs import touch_pending
from models.record_keys import woo_order_key

CURSOR = "woo-orders-modified"
OVERLAP = timedelta(minutes=5)
FIRST_LOOK_BACK = timedelta(days=1)


@every("woo-orders-reconcile", 300, setting="ORDERS_RECONCILE_SECONDS")
def schedule_reconcile(settings, redis_connection):
    """Poller task: queue the reconciliation (it pages through the store: a worker's job)."""
    if get_flow("orders").enabled:
        enqueue_once(redis_connection, "jobs.orders.reconcile.reconcile_job", (),
                     "woo-orders-reconcile", name=BULK, description="reconcile Woo orders")


def reconcile_job():
    """The queued reconciliation, in a worker."""
    with job_database():
        return reconcile_woo_orders(job_settings(), job_redis())


def reconcile_woo_orders(settings, redis_connection, woo=None):
    """Inbox every Woo order change since the cursor that no webhook brought; returns the count."""
    if not get_flow("orders").enabled:
        return 0
    cursor = read_cursor(CURSOR)
    since = (datetime.fromisoformat(cursor) if cursor else utcnow() - FIRST_LOOK_BACK) - OVERLAP
    woo = woo or clients.woocommerce(settings, redis_connection)
    newest, found = None, 0
    for order in woo.orders_modified_after(since):
        modified = datetime.fromisoformat(order["date_modified_gmt"].replace("Z", ""))
        if order.get("status") not in DRAFT_ORDER_STATUSES and not _seen(order["id"], modified):
            if _inbox(order, modified):
                found += 1
                try:
                    enqueue_record(redis_connection, "woocommerce", "order", str(order["id"]))
                except QueueUnavailable:
                    pass  # stored in the inbox: the sweep enqueues it once Redis answers
        newest = max(newest or modified, modified)
    # Every change up to newest is now either synced, deliberately skipped or durably queued.
    if newest is not None:
        write_cursor(CURSOR, newest.isoformat())
    return found


def _seen(woo_order_id, modified):
    return Event.select().where(
        (Event.source == "woocommerce") & (Event.resource == "order")
        & (Event.resource_id == str(woo_order_id)) & (Event.modified_at >= modified)).exists()


def _inbox(order, modified):
    now = utcnow()
    with write_transaction():
        log_id = touch_pending(db.obj, "order", woo_order_key(order["id"]),
                               f"Woo order #{order.get('number') or order['id']}",
                               str(order["id"]), now)
        return insert_event(
            db.obj, source="woocommerce", topic="order.updated", resource="order",
            resource_id=str(order["id"]),
            dedupe_key=f"poll:{order['id']}:{modified.isoformat()}",
            payload=json.dumps({"id": order["id"], "status": order.get("status"),
                                "date_modified_gmt": order.get("date_modified_gmt")}),
            modified_at=modified, received_at=now, enqueued_at=now, processed_at=None,
            outcome=None, log_id=log_id) is not None
