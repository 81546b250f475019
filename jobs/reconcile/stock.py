"""Woo stock against the available-to-sell the inventory flow would write now: pure.

The figure comes from the inventory flow's own functions (warehouses, buffers, percent, cap,
bundles), so reconciliation and the flow can never disagree about what the store should show.
Products Brightpearl does not stock-track are left out, as the flow leaves them by default.
"""
from jobs.inventory.plan import figure_for
from jobs.reconcile.findings import Finding


def compare_stock(items, woo_by_sku, facts):
    """Findings for every SKU in both platforms whose Woo stock differs from its figure.

    items maps Brightpearl product id → a catalog item (sku, stock_tracked, components…);
    woo_by_sku maps SKU → the Woo product or variation; facts is the inventory plan's Facts
    (availability levels and rules) for them.
    """
    findings, shared = [], {}
    for bp_id, item in sorted(items.items()):
        woo = woo_by_sku.get(item.sku) if item.sku else None
        if woo is None or not (item.stock_tracked or item.is_bundle):
            continue
        figure = figure_for(item, facts)
        if figure is None or isinstance(figure, str):
            continue
        if woo.get("manage_stock") == "parent" and woo.get("parent_id"):
            # Woo keeps these variations' stock on the parent: it should hold their sum.
            shared.setdefault(int(woo["parent_id"]), []).append((bp_id, item, figure, woo))
            continue
        managed = woo.get("manage_stock") is True
        actual = woo.get("stock_quantity") if managed else None
        if actual is None or int(actual) != figure.quantity:
            findings.append(_finding(bp_id, item, woo, figure.quantity, actual, managed,
                                     figure.explanation))
    for parent_id, members in sorted(shared.items()):
        expected = sum(figure.quantity for _, _, figure, _ in members)
        actual = members[0][3].get("stock_quantity")
        if actual is None or int(actual) != expected:
            bp_id, item, _, woo = members[0]
            findings.append(_finding(
                bp_id, item, woo, expected, actual, True,
                f"sum of {len(members)} variation(s) kept on parent product #{parent_id}"))
    return findings


def _finding(bp_id, item, woo, expected, actual, managed, explanation):
    woo_says = f"stock {actual}" if managed else "stock not managed"
    return Finding("stock", f"bp-{bp_id}", f"{item.info}: Woo shows {actual if managed else 'no'} "
                   f"stock, Brightpearl says {expected}", woo_says,
                   f"{expected} to sell ({explanation})",
                   {"bp_product_id": bp_id, "sku": item.sku, "woo_product_id": woo.get("id"),
                    "woo_parent_id": woo.get("parent_id") or None, "expected": expected,
                    "woo_quantity": actual})
