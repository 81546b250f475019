"""Brightpearl products in the flow's scope against the store: pure.

What the store should show is what the products flow would write now (its own body builders,
owned fields only), so a product the flow just wrote never counts as different. A variable
product's own fields (name, description) are reported on its first variant's row.
"""
from decimal import Decimal, InvalidOperation

from jobs.core.outcomes import Rejected, Skipped
from jobs.products import mapping as pm
from jobs.reconcile.findings import Finding

NOT_COMPARED = ("id", "sku", "type", "attributes")


def in_scope(bp, settings, in_store):
    """True when the products flow would sync this product (live, in scope, with a SKU)."""
    try:
        pm.check_included(bp, settings, linked=in_store)
    except (Skipped, Rejected):
        return False
    return bool(pm.sku(bp))


def compare_products(products, prices, woo_by_sku, woo_parents, settings):
    """Findings: products in scope missing in Woo, and Woo products whose owned fields differ.

    prices is the flow's price index; woo_by_sku maps SKU → Woo product or variation;
    woo_parents maps a variable product's Woo id → that product.
    """
    missing, differing, names = [], {}, {}
    for unit in pm.units(products):
        members = [bp for bp in unit.members if in_scope(bp, settings, pm.sku(bp) in woo_by_sku)]
        for bp in members:
            names[bp["id"]] = bp
            woo = woo_by_sku.get(pm.sku(bp))
            if woo is None:
                missing.append(_missing(bp))
                continue
            body = expected_body(bp, woo, prices, settings)
            differing.setdefault(bp["id"], []).extend(differences(body, woo))
        parents = {int(woo_by_sku[pm.sku(bp)].get("parent_id") or 0) for bp in members
                   if pm.sku(bp) in woo_by_sku} - {0}
        if unit.variable and members and len(parents) == 1 and parents <= set(woo_parents):
            parent_id = parents.pop()
            body = pm.parent_body(pm.Unit(unit.group_id, members), prices, settings, parent_id)
            differing.setdefault(members[0]["id"], []).extend(
                (f"parent {name}", want, have)
                for name, want, have in differences(body, woo_parents[parent_id]))
    return missing + [_differs(names[bp_id], diffs, woo_by_sku[pm.sku(names[bp_id])])
                      for bp_id, diffs in sorted(differing.items()) if diffs]


def expected_body(bp, woo, prices, settings):
    """The update body the flow would send for this product to its Woo product or variation."""
    if woo.get("parent_id"):
        return pm.variation_body(bp, prices.get(bp["id"]), settings, int(woo["id"]))
    return pm.simple_body(bp, prices.get(bp["id"]), settings, int(woo["id"]))


def differences(body, woo):
    """[(field, what Brightpearl says, what Woo says)] for the fields body sets."""
    return [(key, want, woo.get(key)) for key, want in sorted(body.items())
            if key not in NOT_COMPARED and not same(key, want, woo.get(key))]


def same(key, want, have):
    """Whether a Woo value matches the body's, the way Woo stores it (prices, numbers, ids)."""
    if key in ("regular_price", "sale_price", "weight"):
        return _number(want) == _number(have)
    if key == "dimensions":
        # Woo shows an unset dimension as "", which is what 0 means here.
        return all((_number((want or {}).get(k)) or 0) == (_number((have or {}).get(k)) or 0)
                   for k in ("length", "width", "height"))
    if key == "categories":
        return sorted(int(c["id"]) for c in want or []) == sorted(
            int(c["id"]) for c in have or [])
    return (want or "") == (have or "")


def _number(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).normalize()
    except InvalidOperation:
        return value


def _missing(bp):
    return Finding("product_missing", f"bp-{bp['id']}",
                   f"{pm.product_name(bp)} (SKU {pm.sku(bp)}) is not in the store",
                   "no product or variation with this SKU",
                   f"product {bp['id']}, {bp.get('status', pm.LIVE).lower()}",
                   {"bp_product_id": bp["id"], "sku": pm.sku(bp),
                    "bp_group_id": bp.get("productGroupId")})


def _differs(bp, diffs, woo):
    fields = ", ".join(name for name, _, _ in diffs)
    return Finding("product_fields", f"bp-{bp['id']}",
                   f"{pm.product_name(bp)} (SKU {pm.sku(bp)}): {fields} differ",
                   "; ".join(f"{name} {_shown(have)}" for name, _, have in diffs),
                   "; ".join(f"{name} {_shown(want)}" for name, want, _ in diffs),
                   {"bp_product_id": bp["id"], "sku": pm.sku(bp), "woo_product_id": woo.get("id"),
                    "bp_group_id": bp.get("productGroupId"),
                    "fields": [name for name, _, _ in diffs]})


def _shown(value):
    text = value if isinstance(value, str) else repr(value)
    return (text[:77] + "…") if len(text) > 80 else (text or "(empty)")
