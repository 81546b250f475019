"""From fresh availability to Woo writes: what each product gets, and which batch carries it.

Pure: facts in (catalog items, links, availability), decisions and grouped writes out.
"""
from dataclasses import dataclass, field

from jobs.inventory.availability import bundle_on_hand, on_hand, sell_figure
from models.schemas.inventory import BUNDLES_BRIGHTPEARL, UNTRACKED_IN_STOCK

BATCH_LIMIT = 100  # WooCommerce's woocommerce_rest_batch_items_limit, create+update+delete
WRITE, UNCHANGED, FAILED, SKIPPED = "write", "unchanged", "failed", "skipped"


@dataclass
class Decision:
    """What one Brightpearl product's stock row gets: a write, nothing, a failure or a skip."""

    bp_product_id: int
    kind: str
    message: str
    quantity: int | None = None
    own_quantity: int | None = None  # this SKU's figure (differs from quantity on a parent)
    write_key: tuple | None = None  # (parent id or None, Woo id) of the write carrying it


@dataclass
class Write:
    """One item of a Woo batch: the body, and every product whose row it settles."""

    parent_id: int | None  # None: products/batch; else products/{parent}/variations/batch
    woo_id: int
    body: dict
    product_ids: list = field(default_factory=list)


@dataclass
class Facts:
    """Everything a plan reads: catalog items and links by SKU, levels, and the settings."""

    items: dict  # bp product id -> StockItem-like (sku, stock_tracked, components, …)
    links: dict  # sku -> ProductLink-like (woo_product_id, woo_parent_id, woo_type, last_quantity)
    levels: dict  # str(bp product id) -> product-availability entry
    rules: object
    untracked: str = "skip"
    bundles: str = "components"
    bundle_levels: dict = field(default_factory=dict)  # bundle id -> bundle-availability entry


def figure_for(item, facts):
    """The Figure for one catalog item, or a skip reason (str) when it has no stock to list."""
    if item.is_bundle:
        if facts.bundles == BUNDLES_BRIGHTPEARL:
            entry = facts.bundle_levels.get(item.bp_product_id)
            if entry is None:
                return "Brightpearl gave no bundle availability for it"
            total, _ = on_hand(entry, facts.rules.warehouses)
        else:
            counted = {pid: on_hand(facts.levels.get(str(pid)), facts.rules.warehouses)[0]
                       for pid, _ in item.components}
            total = bundle_on_hand(counted, item.components)
        return sell_figure(total, item.sku, item.category_list, facts.rules,
                           source="complete bundles")
    entry = facts.levels.get(str(item.bp_product_id))
    if entry is None:
        # Brightpearl leaves untracked products out; a stale catalog is refreshed by the sweep.
        return "not stock-tracked in Brightpearl"
    total, _ = on_hand(entry, facts.rules.warehouses)
    return sell_figure(total, item.sku, item.category_list, facts.rules)


def plan(product_ids, facts):
    """Decisions for product_ids and the Woo writes they need (only changed quantities)."""
    decisions, writes, parents = {}, {}, {}
    for pid in product_ids:
        item = facts.items.get(pid)
        if item is None:
            decisions[pid] = Decision(pid, SKIPPED, "not found in Brightpearl")
            continue
        link = facts.links.get(item.sku)
        if not item.sku:
            decisions[pid] = Decision(pid, SKIPPED, "the Brightpearl product has no SKU")
            continue
        figure = figure_for(item, facts) if item.stock_tracked or item.is_bundle else None
        if figure is None or isinstance(figure, str):
            decisions[pid] = _untracked(pid, item, link, figure, facts, writes)
            continue
        if link is None or not link.woo_product_id:
            decisions[pid] = Decision(pid, FAILED, f"SKU {item.sku} is not in the store",
                                      figure.quantity, figure.quantity)
            continue
        if item.woo_parent_managed and link.woo_parent_id:
            parents.setdefault(link.woo_parent_id, []).append((pid, figure, link))
            continue
        key = (link.woo_parent_id if link.woo_type == "variation" else None, link.woo_product_id)
        if figure.quantity == link.last_quantity:
            decisions[pid] = Decision(pid, UNCHANGED, f"unchanged: {figure.explanation} "
                                      "(the store already has it)", figure.quantity,
                                      figure.quantity)
            continue
        writes[key] = Write(key[0], key[1], {"id": key[1], "manage_stock": True,
                                             "stock_quantity": figure.quantity}, [pid])
        decisions[pid] = Decision(pid, WRITE, figure.explanation, figure.quantity,
                                  figure.quantity, key)
    for parent_id, members in parents.items():
        _plan_parent(parent_id, members, decisions, writes)
    return decisions, list(writes.values())


def _plan_parent(parent_id, members, decisions, writes):
    # Variations whose stock Woo keeps on the parent share one pool: the parent gets their sum.
    total = sum(figure.quantity for _, figure, _ in members)
    changed = any(figure.quantity != link.last_quantity for _, figure, link in members)
    key = (None, parent_id)
    if changed:
        writes[key] = Write(None, parent_id, {"id": parent_id, "manage_stock": True,
                                              "stock_quantity": total},
                            [pid for pid, _, _ in members])
    for pid, figure, _ in members:
        note = (f"{figure.explanation}; Woo keeps this variation's stock on parent product "
                f"#{parent_id}: {total} sent (sum of {len(members)} variation(s))")
        decisions[pid] = Decision(pid, WRITE if changed else UNCHANGED,
                                  note if changed else f"unchanged: {note}", total,
                                  figure.quantity, key if changed else None)


def _untracked(pid, item, link, reason, facts, writes):
    reason = reason or "not stock-tracked in Brightpearl"
    if facts.untracked != UNTRACKED_IN_STOCK or item.is_bundle:
        return Decision(pid, SKIPPED, f"{reason}: left as the store has it")
    if link is None or not link.woo_product_id:
        return Decision(pid, FAILED, f"SKU {item.sku} is not in the store")
    if item.untracked_sent:
        return Decision(pid, UNCHANGED, f"unchanged: {reason}, already in stock in the store")
    key = (link.woo_parent_id if link.woo_type == "variation" else None, link.woo_product_id)
    writes[key] = Write(key[0], key[1], {"id": key[1], "manage_stock": False,
                                         "stock_status": "instock"}, [pid])
    return Decision(pid, WRITE, f"{reason}: marked in stock (stock not managed)", None, None,
                    key)


def batches(writes, limit=BATCH_LIMIT):
    """Writes grouped per endpoint (products, or one parent's variations), ≤ limit per batch."""
    by_endpoint = {}
    for write in writes:
        by_endpoint.setdefault(write.parent_id, []).append(write)
    grouped = []
    for parent_id in sorted(by_endpoint, key=lambda p: (p is not None, p or 0)):
        items = by_endpoint[parent_id]
        grouped.extend((parent_id, items[i:i + limit]) for i in range(0, len(items), limit))
    return grouped
