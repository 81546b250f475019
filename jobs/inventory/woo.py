"""The Woo side of stock work: SKU → product/variation links, and the batch writes themselves."""
from dataclasses import dataclass, field
from datetime import timedelta

from connectors.errors import PermanentError, TransientError
from jobs.inventory.plan import batches
from models.base import upsert, utcnow
from models.links import ProductLink
from models.stock import StockItem

# A SKU the store did not have is looked up again after this long (or on any webhook for it).
RECHECK_MISSING = timedelta(hours=1)
INVALID_ID_CODES = ("woocommerce_rest_product_invalid_id", "woocommerce_rest_invalid_id",
                    "woocommerce_rest_product_variation_invalid_id")


def links_for(skus):
    """ProductLinks by SKU for the SKUs that have one."""
    skus, found = list(skus), {}
    for start in range(0, len(skus), 500):
        for link in ProductLink.select().where(ProductLink.sku.in_(skus[start:start + 500])):
            found[link.sku] = link
    return found


def needs_lookup(item, link, now, force=False):
    """True when the store should be asked about this SKU before writing its stock."""
    if item.woo_checked_at is None:
        return True  # never asked: also learns whether the parent manages the stock
    if link is None or not link.woo_product_id:
        return force or item.woo_checked_at < now - RECHECK_MISSING
    return False


def refresh_links(woo, items, force_ids=()):
    """Look SKUs up in the store (50 per call, variations included) and store what it says."""
    now = utcnow()
    links = links_for(i.sku for i in items if i.sku)
    due = [i for i in items if i.sku and needs_lookup(
        i, links.get(i.sku), now, i.bp_product_id in force_ids)]
    if not due:
        return links
    found = woo.products_by_sku([i.sku for i in due])
    for item in due:
        product = found.get(item.sku)
        _store_link(item, product, links.get(item.sku))
        StockItem.update(woo_checked_at=now, woo_parent_managed=bool(
            product and product.get("manage_stock") == "parent")).where(
            StockItem.bp_product_id == item.bp_product_id).execute()
        item.woo_checked_at = now
        item.woo_parent_managed = bool(product and product.get("manage_stock") == "parent")
    return links_for(i.sku for i in items if i.sku)


def _store_link(item, product, link):
    woo = {"woo_product_id": None, "woo_parent_id": None, "woo_type": None}
    if product:
        parent = product.get("parent_id") or None
        woo = {"woo_product_id": int(product["id"]), "woo_parent_id": parent,
               "woo_type": product.get("type") or ("variation" if parent else "simple"),
               "woo_deleted_at": None}
    # A SKU renamed in Brightpearl leaves the product id on the old SKU's link: move it.
    ProductLink.update(bp_product_id=None).where(
        (ProductLink.bp_product_id == item.bp_product_id) & (ProductLink.sku != item.sku)
    ).execute()
    if link is None:
        if product:
            upsert(ProductLink, "sku", sku=item.sku, bp_product_id=item.bp_product_id, **woo)
        return
    changed = {k: v for k, v in woo.items() if getattr(link, k) != v}
    if changed.get("woo_product_id", link.woo_product_id) != link.woo_product_id:
        changed["last_quantity"] = None  # a different Woo product: nothing written to it yet
    if link.bp_product_id != item.bp_product_id:
        changed["bp_product_id"] = item.bp_product_id
    if changed:
        ProductLink.update(updated_at=utcnow(), **changed).where(
            ProductLink.id == link.id).execute()


@dataclass
class Outcome:
    """What the store said about each write: done, refused (with why), or not reached."""

    done: dict = field(default_factory=dict)  # (parent, woo id) -> written resource
    refused: dict = field(default_factory=dict)  # (parent, woo id) -> (reason, detail, gone)
    transient: dict = field(default_factory=dict)  # (parent, woo id) -> error
    calls: int = 0


def send_writes(woo, writes):
    """Send writes in batches of ≤100 per endpoint; per-item answers sorted into an Outcome."""
    outcome = Outcome()
    for parent_id, group in batches(writes):
        lines = [w.body for w in group]
        try:
            result = (woo.batch_products(update=lines) if parent_id is None
                      else woo.batch_variations(parent_id, update=lines))
        except TransientError as exc:
            outcome.transient.update({(w.parent_id, w.woo_id): exc for w in group})
            continue
        except PermanentError as exc:
            # The whole call refused (a parent gone, bad auth): every item carries the reason.
            gone = exc.status == 404
            outcome.refused.update({(w.parent_id, w.woo_id): (
                f"WooCommerce refused the stock update: {exc}", exc.detail, gone)
                for w in group})
            continue
        outcome.calls += result.requests
        failures = {f.id: f for f in result.failed}
        for write in group:
            key = (write.parent_id, write.woo_id)
            failure = failures.get(write.woo_id)
            if failure is None:
                outcome.done[key] = write
            else:
                outcome.refused[key] = (
                    f"WooCommerce refused the stock update: {failure.message}",
                    f"{failure.code} (HTTP {failure.status})", failure.code in INVALID_ID_CODES)
    return outcome


def forget_woo_product(woo_id):
    """The store no longer has this product: drop it from links so the SKU is looked up again."""
    gone = (ProductLink.woo_product_id == woo_id) | (ProductLink.woo_parent_id == woo_id)
    links = list(ProductLink.select().where(gone))
    ProductLink.update(woo_product_id=None, woo_parent_id=None, woo_type=None,
                       last_quantity=None).where(gone).execute()
    skus = [link.sku for link in links]
    if skus:
        StockItem.update(woo_checked_at=None).where(StockItem.sku.in_(skus)).execute()
