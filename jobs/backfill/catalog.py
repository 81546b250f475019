"""The products and stock backfills: Brightpearl's catalog history brought to the store.

products: every product created in the range, 100 at a time, through the products flow.
stock: every product whose stock moved in the range gets the quantity the inventory flow would
write now, 200 at a time, under the stock worker's own guard (one writer of stock at a time,
so an older read can never overwrite a newer quantity). Cursors are product ids.
"""

from connectors.bp_search import period
from jobs.core.flowkit import flow_state
from jobs.core.locks import exclusive
from jobs.inventory.movements import ENDPOINT as MOVEMENTS
from jobs.inventory.sync import sync_products as sync_stock
from jobs.inventory.worker import GUARD_KEY
from jobs.products.handlers import sync_products
from jobs.reconcile.compare import why_not_ready
from models.logs import FAILED, SYNCED

PRODUCTS_CHUNK, STOCK_CHUNK = 100, 200
STOCK_GUARD_WAIT = 600.0  # a stock worker run is bounded to about a minute


class _CatalogBackfill:
    """One client pair (the catalog's units run one at a time); its flow must be on."""

    flow = None

    def __init__(self, backfill, clients):
        self.backfill = backfill
        self.bp, self.woo = clients()

    def blocker(self):
        """Why the backfill cannot run now, or None."""
        return why_not_ready(self.flow)

    def after(self):
        """The last product id handled (0 at the start)."""
        return int(self.backfill.cursor.get("id") or 0)


class ProductsBackfill(_CatalogBackfill):
    """Units are chunks of product ids created in the range, ascending."""

    flow = "products"

    def units(self):
        """Chunks of product ids after the cursor."""
        after = self.after()
        pages = self.bp.search_pages(
            "/product-service/product-search",
            {"createdOn": period(self.backfill.since, self.backfill.until)},
            columns=("productId",), sort="productId.ASC", page_size=500)
        for page in pages:
            if self.backfill.total is None:
                self.backfill.total = int(page.meta.get("resultsAvailable") or 0)
            ids = [int(r["productId"]) for r in page.rows if int(r["productId"]) > after]
            for start in range(0, len(ids), PRODUCTS_CHUNK):
                yield ids[start:start + PRODUCTS_CHUNK]

    def handle(self, ids):
        """Sync a chunk; ({outcome: count}, new cursor)."""
        statuses = sync_products(ids, "poll", priority="bulk", bp=self.bp)
        return _count(statuses.get(i) for i in ids), {"id": ids[-1]}


class StockBackfill(_CatalogBackfill):
    """Units are chunks of the ids of products whose stock moved in the range."""

    flow = "inventory"

    def units(self):
        """Chunks of moved product ids after the cursor (the movement search read first)."""
        after = self.after()
        rows = self.bp.search(MOVEMENTS, {"updatedOn": period(self.backfill.since,
                                                             self.backfill.until)},
                              columns=("goodsMovementId", "productId"), page_size=500)
        moved = sorted({int(r["productId"]) for r in rows if r.get("productId")})
        if self.backfill.total is None:
            self.backfill.total = len(moved)
        ids = [pid for pid in moved if pid > after]
        for start in range(0, len(ids), STOCK_CHUNK):
            yield ids[start:start + STOCK_CHUNK]

    def handle(self, ids):
        """Write a chunk's stock under the stock worker's guard; ({outcome: n}, new cursor)."""
        flow = flow_state("inventory")
        # One writer of stock at a time: the stock worker's own lock, waited for while it runs.
        with exclusive(GUARD_KEY, wait=STOCK_GUARD_WAIT,
                       busy="the stock worker kept its lock; the backfill resumes later"):
            result = sync_stock(self.bp, self.woo, flow, {pid: "poll" for pid in ids})
        counts = {"created": result.written, "failed": len(result.retry),
                  "skipped": len(ids) - result.written - len(result.retry)}
        return counts, {"id": ids[-1]}


def _count(statuses):
    counts = {"created": 0, "failed": 0, "skipped": 0}
    for status in statuses:
        counts["created" if status == SYNCED else "failed" if status == FAILED
               else "skipped"] += 1
    return counts
