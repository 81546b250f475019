"""Links to a log row's record in each platform's admin, where a URL can be built."""
import re

_NUMBER = re.compile(r"^\d+$")


def _woo_edit(base, post_id):
    return f"{base.rstrip('/')}/wp-admin/post.php?post={post_id}&action=edit"


def admin_links(row, config):
    """[(label, url)] for the row's record in WooCommerce and Brightpearl admin."""
    links = []
    woo, bp = config.get("WOO_URL") or "", config.get("BRIGHTPEARL_ADMIN_URL") or ""
    key = row.record_key or ""
    prefix, _, number = key.partition("-")
    if woo and prefix == "woo" and _NUMBER.match(number):
        links.append((f"Woo order {number} in WooCommerce", _woo_edit(woo, number)))
    if woo and row.log_type in ("product", "inventory") and _NUMBER.match(row.target_ref or ""):
        links.append((f"Woo product {row.target_ref} in WooCommerce",
                      _woo_edit(woo, row.target_ref)))
    if bp:
        base = bp.rstrip("/")
        order_id = row.target_ref if row.log_type in ("order", "refund") else None
        if row.log_type == "order" and prefix == "bp":
            order_id = number
        if order_id and _NUMBER.match(order_id):
            links.append((f"Brightpearl order {order_id}",
                          f"{base}/patt-op.php?scode=invoice&oID={order_id}"))
        if row.log_type in ("product", "inventory") and prefix == "bp" and _NUMBER.match(number):
            links.append((f"Brightpearl product {number}",
                          f"{base}/patt-op.php?scode=product&action=new_product"
                          f"&product_id={number}"))
    return links
