"""The reads a reconciliation run makes, and nothing else: every Brightpearl read is a paged,
column-limited search (500 rows a call) or an ID-set GET (200 ids a call), so the run costs
about ⌈records / 200⌉ calls plus the searches. Progress is reported as (phase, done, total).
"""
from datetime import timedelta

from connectors import bp_idset
from connectors.bp_search import period
from jobs.core.money import money
from jobs.products.mapping import price_index
from jobs.reconcile.orders import SALES_CREDIT, SALES_ORDER, BpOrder

ORDER_FIELDS = ("id,number,status,currency,total,date_created_gmt,date_paid_gmt,date_paid,"
                "payment_method,refunds,meta_data,line_items")
ORDER_COLUMNS = ("orderId", "orderTypeId", "externalRef", "orderStatusId", "parentOrderId")
PRODUCT_COLUMNS = ("productId", "SKU", "productName", "stockTracked", "brightpearlCategoryCode")
PRODUCT_URL = "/product-service/product/{ids}"
# A Brightpearl order is created after its Woo order; a day of slack covers clock skew.
CREATED_SLACK = timedelta(days=1)
GET_CAP = bp_idset.DEFAULT_CAP
WOO_SKU_CHUNK = 500


def _quiet(phase, done, total):
    """The progress callback when nobody listens."""


class Gather:
    """Reads for one run through a bulk-priority Brightpearl client and a Woo client."""

    def __init__(self, bp, woo, progress=None):
        self.bp, self.woo, self.progress = bp, woo, progress or _quiet

    # -- orders -----------------------------------------------------------------------------

    def woo_orders(self, since, until, statuses):
        """Woo orders created in [since, until) in the given statuses, oldest first."""
        params = {"after": _gmt(since - timedelta(seconds=1)), "before": _gmt(until),
                  "dates_are_gmt": "true", "status": ",".join(sorted(statuses)),
                  "orderby": "id", "order": "asc", "per_page": 100, "_fields": ORDER_FIELDS}
        orders, page = [], 1
        while True:
            answer = self.woo.call("GET", "/orders", params=dict(params, page=page))
            orders.extend(answer.data or [])
            total = int(answer.headers.get("X-WP-Total") or len(orders))
            self.progress("WooCommerce orders", len(orders), total)
            pages = int(answer.headers.get("X-WP-TotalPages") or page)
            if page >= pages or not answer.data:
                return orders
            page += 1

    def bp_orders(self, since):
        """Brightpearl sales orders and credits created since (less the slack): search rows."""
        found = []
        pages = self.bp.search_pages("/order-service/order-search",
                                     {"createdOn": period(since - CREATED_SLACK)},
                                     columns=ORDER_COLUMNS, page_size=500)
        for page in pages:
            for row in page.rows:
                if row.get("orderTypeId") in (SALES_ORDER, SALES_CREDIT):
                    found.append(BpOrder(int(row["orderId"]), int(row["orderTypeId"]),
                                         str(row["externalRef"]) if row.get("externalRef")
                                         else None, row.get("orderStatusId"),
                                         row.get("parentOrderId") or None))
            self.progress("Brightpearl order search", len(found),
                          page.meta.get("resultsAvailable"))
        return found

    def order_details(self, orders):
        """Fill totals, payment and shipping status of orders from ID-set GETs (200 a call)."""
        by_id = {o.id: o for o in orders}
        chunks = bp_idset.chunk(by_id, GET_CAP)
        for done, chunk in enumerate(chunks, 1):
            for record in self.bp.get_orders(chunk):
                order = by_id.get(int(record["id"]))
                if order is None:
                    continue
                order.total = _amount((record.get("totalValue") or {}).get("total"))
                order.payment_status = record.get("orderPaymentStatus")
                order.shipping_status = record.get("shippingStatusCode")
                order.status_id = (record.get("orderStatus") or {}).get("orderStatusId",
                                                                        order.status_id)
            self.progress("Brightpearl orders", min(done * GET_CAP, len(by_id)), len(by_id))

    def existing_orders(self, ids):
        """The ids among ids that Brightpearl still has (ID-set GETs)."""
        return {int(o["id"]) for o in self.bp.get_orders(sorted(ids))} if ids else set()

    def notes(self, order_ids):
        """{order id: [(kind, note id, note)]} of goods-out and drop-ship notes."""
        found = {}
        if not order_ids:
            return found
        for kind, read in (("goods-out-note", self.bp.get_goods_out_notes),
                           ("drop-ship-note", self.bp.get_drop_ship_notes)):
            for note_id, note in read(order_ids=sorted(order_ids)).items():
                found.setdefault(int(note.get("orderId") or 0), []).append(
                    (kind, int(note_id), note))
            self.progress("Brightpearl shipping notes", len(found), None)
        return found

    def woo_note_texts(self, woo_ids):
        """{Woo order id: its order notes' text} (the tracking fallback writes notes)."""
        return {woo_id: "\n".join(n.get("note") or "" for n in self.woo.list_order_notes(woo_id))
                for woo_id in woo_ids}

    # -- catalog ----------------------------------------------------------------------------

    def catalog(self):
        """Every Brightpearl product as a product-search row."""
        rows = []
        for page in self.bp.search_pages("/product-service/product-search", {},
                                         columns=PRODUCT_COLUMNS, page_size=500):
            rows.extend(r for r in page.rows if r.get("productId"))
            self.progress("Brightpearl product search", len(rows),
                          page.meta.get("resultsAvailable"))
        return rows

    def products(self, ids, params=None):
        """Full product records for ids (200 a call)."""
        found = []
        chunks = bp_idset.chunk(ids, GET_CAP)
        for done, chunk in enumerate(chunks, 1):
            found.extend(self.bp.get_ids(PRODUCT_URL, chunk, params=params))
            self.progress("Brightpearl products", min(done * GET_CAP, len(ids)), len(ids))
        return found

    def prices(self, ids, list_ids):
        """The products flow's price index for ids on the given price lists (200 a call)."""
        index = {}
        for list_id in sorted({int(i) for i in list_ids if i}):
            for chunk in bp_idset.chunk(ids, GET_CAP):
                for product_id, lists in price_index(self.bp.get_prices(chunk, list_id)).items():
                    index.setdefault(product_id, {}).update(lists)
            self.progress("Brightpearl prices", len(index), len(ids))
        return index

    def availability(self, ids):
        """{str(product id): availability entry} for the stock-tracked ids (200 a call)."""
        levels = {}
        for chunk in bp_idset.chunk(ids, GET_CAP):
            levels.update(self.bp.get_availability(chunk))
            self.progress("Brightpearl availability", len(levels), len(ids))
        return levels

    def bundle_availability(self, ids):
        """{bundle id: availability} read per bundle (the flow's 'brightpearl' bundle mode)."""
        return {pid: self.bp.get_bundle_availability(pid) for pid in sorted(ids)}

    def woo_by_sku(self, skus):
        """{SKU: Woo product or variation} for the SKUs the store has (50 per call)."""
        skus, found = sorted(set(skus)), {}
        for start in range(0, len(skus), WOO_SKU_CHUNK):
            found.update(self.woo.products_by_sku(skus[start:start + WOO_SKU_CHUNK]))
            self.progress("WooCommerce products", min(start + WOO_SKU_CHUNK, len(skus)),
                          len(skus))
        return found

    def woo_products(self, ids):
        """{Woo id: product} for the given product ids (100 per call)."""
        ids, found = sorted(set(ids)), {}
        for start in range(0, len(ids), 100):
            part = ",".join(str(i) for i in ids[start:start + 100])
            for product in self.woo.paginate("/products", params={"include": part}):
                found[int(product["id"])] = product
        return found


def _amount(value):
    return money(value) if value not in (None, "") else None


def _gmt(moment):
    return moment.replace(microsecond=0, tzinfo=None).isoformat()
