"""What stock work knows of Brightpearl's products (SKU, name, tracking, bundle, categories).

Kept in StockItem: filled incrementally from product-search (500 rows a call) and, for ids met
before the catalog has them, from product GETs (200 a call). A product's updatedOn stays null
until its first edit, so new products are read by createdOn and edited ones by updatedOn, each
with its own cursor. A search row names one category; every category of the page's products is
in the answer's reference.productCategoryMembership, read here so that category buffer rules
see the same categories as a product GET gives.
"""
import json
from datetime import timedelta

from connectors.bp_search import period
from jobs.inventory.times import from_cursor, parse_bp_time, to_cursor
from models.base import utcnow
from models.links import read_cursor, write_cursor
from models.stock import StockItem

CATALOG_CURSOR = "inventory-catalog"
CREATED_CURSOR = "inventory-catalog.created"
SEARCH_COLUMNS = ("productId", "SKU", "productName", "stockTracked", "brightpearlCategoryCode",
                  "createdOn", "updatedOn")
# Products changed within this much of the cursor are read again: clocks and commits lag.
OVERLAP = timedelta(minutes=2)


def item_fields(product):
    """StockItem fields from a Brightpearl product GET record (pure)."""
    channel = (product.get("salesChannels") or [{}])[0]
    composition = product.get("composition") or {}
    components = None
    if composition.get("bundle"):
        components = json.dumps([[int(c["productId"]), int(c.get("productQuantity") or 1)]
                                 for c in composition.get("bundleComponents") or []])
    categories = ",".join(str(c.get("categoryCode")) for c in channel.get("categories") or []
                          if c.get("categoryCode") is not None)
    return {"bp_product_id": int(product["id"]),
            "sku": str((product.get("identity") or {}).get("sku") or "")[:64],
            "name": str(channel.get("productName") or "")[:255],
            "stock_tracked": bool((product.get("stock") or {}).get("stockTracked")),
            "components_json": components, "categories": categories[:255]}


def search_fields(row, membership=None):
    """StockItem fields from a product-search row and the page's productCategoryMembership
    (pure); bundles need a GET to tell."""
    codes = (membership or {}).get(str(row["productId"]))
    if codes is None:  # not in the reference: the row's one category, if any
        category = row.get("brightpearlCategoryCode")
        codes = [category] if category not in (None, "") else []
    return {"bp_product_id": int(row["productId"]), "sku": str(row.get("SKU") or "")[:64],
            "name": str(row.get("productName") or "")[:255],
            "stock_tracked": bool(row.get("stockTracked")),
            "categories": ",".join(str(c) for c in codes)[:255]}


def save_items(rows):
    """Insert or update StockItems from field dicts (Woo facts and read times are kept)."""
    now = utcnow()
    for start in range(0, len(rows), 300):
        chunk = [dict(r, updated_at=now) for r in rows[start:start + 300]]
        if not chunk:
            continue
        columns = [k for k in chunk[0] if k != "bp_product_id"]
        StockItem.insert_many(chunk).on_conflict(
            conflict_target=[StockItem.bp_product_id],
            preserve=[getattr(StockItem, c) for c in columns]).execute()


def learn_products(bp, product_ids):
    """Read products the catalog does not know yet (product GET, 200 a call); their items."""
    known = {i.bp_product_id: i for i in items_for(product_ids)}
    missing = [pid for pid in product_ids if pid not in known]
    if missing:
        save_items([item_fields(p) for p in bp.get_products(missing) if p.get("id")])
        known.update({i.bp_product_id: i for i in items_for(missing)})
    return known


def items_for(product_ids):
    """The StockItems of product_ids that the catalog has."""
    found = []
    ids = list(product_ids)
    for start in range(0, len(ids), 500):
        found.extend(StockItem.select().where(StockItem.bp_product_id.in_(ids[start:start + 500])))
    return found


def refresh_catalog(bp, max_pages=20):
    """Read products created, then those edited, since their cursors, within max_pages pages
    in all; True when both are up to date.

    The first refresh reads every product (by createdOn) and starts the edit cursor where that
    read found the newest edit. Untracked rows are read in full: only the product record says
    whether it is a bundle.
    """
    budget = [max_pages]
    first_run = read_cursor(CATALOG_CURSOR) is None
    created_done, newest_edit = _read_changed(bp, "createdOn", CREATED_CURSOR, budget)
    if first_run:
        if created_done:
            write_cursor(CATALOG_CURSOR, to_cursor(newest_edit or utcnow()))
        return created_done
    edited_done, _ = _read_changed(bp, "updatedOn", CATALOG_CURSOR, budget)
    return created_done and edited_done


def _read_changed(bp, column, cursor_name, budget):
    """Pages of products whose column is at or after its cursor (less the overlap), oldest
    first, advancing the cursor page by page; (done, newest updatedOn seen)."""
    if budget[0] <= 0:
        return False, None
    cursor = from_cursor(read_cursor(cursor_name))
    filters = {column: period(cursor - OVERLAP)} if cursor else {}
    pages = bp.search_pages("/product-service/product-search", filters,
                            columns=SEARCH_COLUMNS, sort=f"{column}.ASC")
    newest, newest_edit = cursor, None
    for page in pages:
        rows = [r for r in page.rows if r.get("productId")]
        membership = page.reference.get("productCategoryMembership") or {}
        save_items([search_fields(r, membership) for r in rows])
        untracked = [int(r["productId"]) for r in rows if not r.get("stockTracked")]
        if untracked:
            save_items([item_fields(p) for p in bp.get_products(untracked) if p.get("id")])
        for row in rows:
            stamp, edit = parse_bp_time(row.get(column)), parse_bp_time(row.get("updatedOn"))
            newest = stamp if stamp and (newest is None or stamp > newest) else newest
            newest_edit = edit if edit and (newest_edit is None or edit > newest_edit) \
                else newest_edit
        if newest:
            write_cursor(cursor_name, to_cursor(newest))
        budget[0] -= 1
        if budget[0] <= 0 and page.meta.get("morePagesAvailable"):
            return False, newest_edit
    if newest is None:
        # Nothing yet: start the next refresh from now rather than from the beginning.
        write_cursor(cursor_name, to_cursor(utcnow()))
    return True, newest_edit


def bundles_containing(product_ids):
    """Bundles (StockItems) with any of product_ids among their components."""
    wanted = set(product_ids)
    return [item for item in StockItem.select().where(StockItem.components_json.is_null(False))
            if any(pid in wanted for pid, _ in item.components)]
