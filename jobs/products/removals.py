"""Products that went away on one side: archived or deleted in Brightpearl (taken off sale in
the store, as the Products setting "off_sale" says), or deleted in the store by staff (the
link is dropped, so no sync writes to a product that is gone; "deleted_in_store" says whether
the next sync leaves it out or creates it again)."""
from jobs.core.flowkit import Synced
from jobs.core.outcomes import Skipped
from jobs.products.links import forget, forget_group
from jobs.products.mapping import off_sale_status
from models.links import ProductLink
from models.products import ProductGroupLink


def retire(bp_ids, settings, woo):
    """{bp id: outcome} for products Brightpearl no longer has (deleted): their Woo products
    are taken off sale (simple: the off-sale status; variation: private)."""
    status = off_sale_status(settings)
    links = {link.bp_product_id: link for link in ProductLink.select().where(
        ProductLink.bp_product_id.in_(list(bp_ids)) & ProductLink.woo_product_id.is_null(False))}
    outcomes = {bp_id: Skipped("deleted in Brightpearl; it was never in the store")
                for bp_id in bp_ids if bp_id not in links}
    if status is None:
        outcomes.update({bp_id: Skipped("deleted in Brightpearl; the store's product is left as "
                                        "it is (setting: leave them)") for bp_id in links})
        return outcomes
    simple, by_parent = [], {}
    for link in links.values():
        if link.woo_parent_id:
            by_parent.setdefault(link.woo_parent_id, []).append(link)
        else:
            simple.append(link)
    results = []
    if simple:
        results.append((simple, woo.batch_products(update=[
            {"id": link.woo_product_id, "status": status} for link in simple])))
    for parent_id, members in sorted(by_parent.items()):
        results.append((members, woo.batch_variations(parent_id, update=[
            {"id": link.woo_product_id, "status": "private"} for link in members])))
    for members, result in results:
        failed = {f.index: f for f in result.failed}
        for index, link in enumerate(members):
            outcomes[link.bp_product_id] = _retired(link, status, failed.get(index))
    return outcomes


def _retired(link, status, failure):
    what = (f"variation #{link.woo_product_id} of Woo product #{link.woo_parent_id}"
            if link.woo_parent_id else f"Woo product #{link.woo_product_id}")
    if failure is not None:
        if failure.code in GONE:
            forget(link.bp_product_id)
            return Skipped(f"deleted in Brightpearl, and {what} is gone from the store too")
        return failure.as_error()
    words = "private" if link.woo_parent_id else status
    return Synced(f"deleted in Brightpearl: {what} set to {words} (taken off sale; SKU "
                  f"{link.sku})", target_ref=str(link.woo_product_id), outcome="off sale",
                  row_changes={"info": f"Brightpearl product {link.bp_product_id} (SKU "
                                       f"{link.sku}, deleted) → Woo #{link.woo_product_id}"[:255]})


GONE = ("woocommerce_rest_product_invalid_id", "woocommerce_rest_invalid_product_id",
        "woocommerce_rest_product_variation_invalid_id")


def gone_from_store(bp_ids):
    """{bp id: when staff deleted its Woo product} for products whose link says so."""
    return {link.bp_product_id: link.woo_deleted_at for link in ProductLink.select().where(
        ProductLink.bp_product_id.in_(list(bp_ids)) & ProductLink.woo_deleted_at.is_null(False)
        & ProductLink.woo_product_id.is_null(True))}


def next_step(settings):
    """What the next sync does with a product staff deleted in the store, in words."""
    if settings.get("deleted_in_store") == "recreate":
        return "the next sync creates it again"
    return ("left out of the store (setting: leave them out; choose 'create them again' and "
            "Re-sync to bring it back)")


def unlink_deleted(woo_id):
    """Staff deleted Woo product woo_id: drop every link to it (the product itself, the
    variations of a deleted parent, a group's parent link); the Brightpearl ids unlinked."""
    links = list(ProductLink.select().where((ProductLink.woo_product_id == woo_id)
                                            | (ProductLink.woo_parent_id == woo_id)))
    for link in links:
        forget(link.bp_product_id)
    for group in ProductGroupLink.select().where(ProductGroupLink.woo_product_id == woo_id):
        forget_group(group.bp_group_id)
    return sorted(link.bp_product_id for link in links if link.bp_product_id)
