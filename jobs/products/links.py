"""Which Woo product each Brightpearl product is: links first, then the store by SKU.

SKU is the match key: a product the store already has under the SKU is linked, never created
again. The links table is checked before asking the store, and every match found in the store
is written to it at once, so the next run needs no lookup.
"""
from dataclasses import dataclass

from jobs.products.mapping import sku as sku_of
from models.base import upsert, utcnow
from models.links import ProductLink
from models.products import ProductGroupLink


@dataclass
class WooRef:
    """Where a Brightpearl product lives in Woo: its id, and its parent when a variation."""

    woo_id: int
    parent_id: int | None = None
    woo_type: str = "simple"


def resolve(products, woo):
    """{bp id: WooRef} for the products the links or the store know; the rest are new."""
    by_bp = {link.bp_product_id: link for link in ProductLink.select().where(
        ProductLink.bp_product_id.in_([p["id"] for p in products]))}
    refs, unknown = {}, {}
    for bp in products:
        link = by_bp.get(bp["id"])
        if link is not None and link.woo_product_id:
            refs[bp["id"]] = _ref(link.woo_product_id, link.woo_parent_id, link.woo_type)
        elif sku_of(bp):
            unknown[sku_of(bp)] = bp
    if unknown:
        for link in ProductLink.select().where(ProductLink.sku.in_(list(unknown))):
            if link.woo_product_id:
                bp = unknown.pop(link.sku)
                refs[bp["id"]] = _ref(link.woo_product_id, link.woo_parent_id, link.woo_type)
                save_link(bp, refs[bp["id"]])
    if unknown:
        for found_sku, product in woo.products_by_sku(list(unknown)).items():
            bp = unknown.get(found_sku)
            if bp is None:
                continue
            parent = product.get("parent_id") or None
            refs[bp["id"]] = WooRef(int(product["id"]), parent,
                                    "variation" if parent else product.get("type") or "simple")
            save_link(bp, refs[bp["id"]])
    return refs


def group_parent(group_id, member_refs):
    """The Woo variable product of a Brightpearl group: its link, else a member's parent."""
    link = ProductGroupLink.get_or_none(ProductGroupLink.bp_group_id == group_id)
    if link is not None:
        return link.woo_product_id
    parents = [ref.parent_id for ref in member_refs if ref and ref.parent_id]
    if parents:
        # The store already has the group's variations (linked by SKU): adopt their parent.
        parent = max(set(parents), key=parents.count)
        link_group(group_id, parent)
        return parent
    return None


def link_group(group_id, woo_product_id, digest=None):
    """Record group ⇄ Woo variable product (and the digest of what was written to it)."""
    upsert(ProductGroupLink, "bp_group_id", bp_group_id=group_id, woo_product_id=woo_product_id,
           updated_at=utcnow(), **({"digest": digest} if digest else {}))


def group_digest(group_id):
    """The digest of the last body written to the group's Woo product, or None."""
    link = ProductGroupLink.get_or_none(ProductGroupLink.bp_group_id == group_id)
    return link.digest if link else None


def save_link(bp, ref):
    """Record SKU ⇄ Brightpearl id ⇄ Woo id; a stale link holding either side gives way."""
    sku, now = sku_of(bp), utcnow()
    fields = {"bp_product_id": bp["id"], "woo_product_id": ref.woo_id,
              "woo_parent_id": ref.parent_id, "woo_type": ref.woo_type, "woo_deleted_at": None,
              "updated_at": now}
    # The SKU moved to another Brightpearl product, or this product's SKU changed: the link
    # follows the SKU (the store's key), so the old pairing is dropped.
    ProductLink.delete().where((ProductLink.bp_product_id == bp["id"])
                               & (ProductLink.sku != sku)).execute()
    upsert(ProductLink, "sku", sku=sku, **fields)


def forget(bp_id):
    """Drop the Woo side of a product's link (its Woo product was deleted in the store), and
    remember when, so the next sync knows it was staff's doing."""
    now = utcnow()
    ProductLink.update(woo_product_id=None, woo_parent_id=None, woo_type=None,
                       woo_deleted_at=now, updated_at=now).where(
        ProductLink.bp_product_id == bp_id).execute()


def _ref(woo_id, parent_id, woo_type):
    return WooRef(int(woo_id), int(parent_id) if parent_id else None,
                  woo_type or ("variation" if parent_id else "simple"))


def forget_group(group_id):
    """Drop a group's link (its Woo variable product was deleted in the store)."""
    ProductGroupLink.delete().where(ProductGroupLink.bp_group_id == group_id).execute()
