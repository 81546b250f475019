"""Links to a log row's record in each platform's admin, where a URL can be built."""
from models.record_keys import row_record


def _woo_edit(base, post_id):
    return f"{base.rstrip('/')}/wp-admin/post.php?post={post_id}&action=edit"


def admin_links(row, config):
    """[(label, url)] for the row's record in WooCommerce and Brightpearl admin."""
    links = []
    woo, bp = config.get("WOO_URL") or "", config.get("BRIGHTPEARL_ADMIN_URL") or ""
    ref = row_record(row)
    target = row.target_ref if (row.target_ref or "").isdigit() else None
    if woo and ref and (ref.source, ref.resource) == ("woocommerce", "order"):
        links.append((f"Woo order {ref.resource_id} in WooCommerce",
                      _woo_edit(woo, ref.resource_id)))
    if woo and row.log_type in ("product", "inventory") and target:
        links.append((f"Woo product {target} in WooCommerce", _woo_edit(woo, target)))
    if bp:
        base = bp.rstrip("/")
        order_id = target if row.log_type in ("order", "refund") else None
        if ref and (ref.source, ref.resource) == ("brightpearl", "order"):
            order_id = ref.resource_id
        if order_id:
            links.append((f"Brightpearl order {order_id}",
                          f"{base}/patt-op.php?scode=invoice&oID={order_id}"))
        if ref and (ref.source, ref.resource) == ("brightpearl", "product"):
            links.append((f"Brightpearl product {ref.resource_id}",
                          f"{base}/patt-op.php?scode=product&action=new_product"
                          f"&product_id={ref.resource_id}"))
    return links
