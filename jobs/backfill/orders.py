"""The orders backfill: every Woo order created in the range, oldest first, through the orders
flow itself — so its guards (links, externalRef, unique payment refs) keep it from ever
creating a second Brightpearl order, and an order a webhook brings meanwhile waits its turn.

The cursor is the last order handled (creation time, id): a resumed backfill lists from that
second on and skips what it already handled.
"""
import time
from datetime import datetime, timedelta

from peewee import OperationalError

from jobs.core.flowkit import flow_state
from jobs.core.locks import exclusive
from jobs.core.queues import record_job_id
from jobs.orders.handlers import sync_woo_order
from jobs.reconcile.compare import why_not_ready
from models.links import OrderLink
from models.logs import FAILED, SYNCED, SyncLog

FIELDS = "id,number,status,date_created_gmt"
PAGE = 100
LOCKED_RETRIES = 5
# A webhook's run of the same order holds its lock for seconds; a dead one's is taken over.
RECORD_WAIT_SECONDS = 60


class OrdersBackfill:
    """Units are Woo orders; each is synced as a poll would sync it, on the bulk share.

    Orders run a few at a time (threads), each with its own clients from clients().
    """

    threads = 4

    def __init__(self, backfill, clients):
        self.backfill, self.clients = backfill, clients

    def blocker(self):
        """Why the backfill cannot run now, or None."""
        return why_not_ready("orders")

    def units(self):
        """Woo orders created in the range after the cursor, oldest first."""
        cursor = self.backfill.cursor
        last = (cursor.get("date") or "", int(cursor.get("id") or 0))
        start = max(self.backfill.since, _parse(cursor.get("date")) or self.backfill.since)
        statuses = flow_state("orders").settings["import_statuses"]
        params = {"after": _gmt(start - timedelta(seconds=1)), "before": _gmt(self.backfill.until),
                  "dates_are_gmt": "true", "status": ",".join(statuses), "orderby": "date",
                  "order": "asc", "per_page": PAGE, "_fields": FIELDS}
        page, woo = 1, self.clients()[1]
        while True:
            answer = woo.call("GET", "/orders", params=dict(params, page=page))
            if self.backfill.total is None and not cursor:
                self.backfill.total = int(answer.headers.get("X-WP-Total") or 0)
            for order in answer.data or []:
                if (order["date_created_gmt"], int(order["id"])) > last:
                    yield order
            if page >= int(answer.headers.get("X-WP-TotalPages") or page) or not answer.data:
                return
            page += 1

    def handle(self, order):
        """Sync one order; ({outcome: 1}, new cursor)."""
        cursor = {"date": order["date_created_gmt"], "id": int(order["id"])}
        if OrderLink.select().where((OrderLink.woo_order_id == order["id"])
                                    & OrderLink.bp_order_id.is_null(False)).exists():
            return {"skipped": 1}, cursor  # already in Brightpearl: costs nothing
        bp, woo = self.clients()
        for attempt in range(LOCKED_RETRIES):
            try:
                # The dispatcher's lock for this record: a webhook's job for it waits, and
                # vice versa.
                with exclusive("pearlbridge:lock:"
                               + record_job_id("woocommerce", "order", order["id"]),
                               wait=RECORD_WAIT_SECONDS):
                    sync_woo_order(int(order["id"]), "poll", woo, bp)
                break
            except OperationalError as exc:
                # SQLite refuses a transaction that would write after another connection
                # wrote since it began reading ("database is locked"); the flow's guards make
                # running the order again safe, so it is run again.
                if "locked" not in str(exc) or attempt == LOCKED_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        row = SyncLog.get_or_none((SyncLog.log_type == "order")
                                  & (SyncLog.record_key == f"woo-{order['id']}"))
        status = row.status if row else None
        return {"created" if status == SYNCED else "failed" if status == FAILED
                else "skipped": 1}, cursor


def _parse(value):
    return datetime.fromisoformat(value.replace("Z", "")[:19]) if value else None


def _gmt(moment):
    return moment.replace(microsecond=0, tzinfo=None).isoformat()
