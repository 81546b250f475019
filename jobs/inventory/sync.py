"""One pass of stock work over a set of products: read, compute, write what changed, record.

Reads are as few as the API allows: availability in ID sets of 200, unknown products in GETs of
200, SKU lookups 50 a call; writes are Woo batches of up to 100 per endpoint.
"""
from dataclasses import dataclass, field

from jobs.inventory.availability import rules_from_settings
from jobs.inventory.catalog import bundles_containing, items_for, learn_products
from jobs.inventory.plan import WRITE, Facts, plan
from jobs.inventory.record import record, refused, rows_for, worth_recording
from jobs.inventory.woo import forget_woo_product, links_for, refresh_links, send_writes
from models.base import utcnow
from models.db import write_transaction
from models.links import ProductLink
from models.schemas.inventory import BUNDLES_BRIGHTPEARL, BUNDLES_COMPONENTS
from models.stock import MANUAL, RETRY, WEBHOOK, StockItem

URGENT = (WEBHOOK, MANUAL, RETRY)  # asked for now: the store is asked again about a missing SKU
SETTLE_CHUNK = 50  # products whose outcomes are written in one transaction


@dataclass
class PassResult:
    """What a pass did: products settled, products to try again (and why), calls made."""

    settled: set = field(default_factory=set)
    retry: dict = field(default_factory=dict)  # bp product id -> error
    written: int = 0
    woo_calls: int = 0


def sync_products(bp, woo, flow, triggers):
    """Bring the store's stock of the products in triggers ({bp id: trigger}) up to date.

    flow is the inventory FlowState read once for the run (its settings shape every figure).
    """
    settings, result = flow.settings, PassResult()
    items = learn_products(bp, list(triggers))
    decide = set(triggers)
    if settings["bundles"] == BUNDLES_COMPONENTS:
        decide |= {b.bp_product_id for b in bundles_containing(decide)}
    items.update({i.bp_product_id: i for i in items_for(decide - set(items))})
    links = refresh_links(woo, list(items.values()),
                          force_ids={p for p, t in triggers.items() if t in URGENT})
    decide |= _siblings(items, links)
    items.update({i.bp_product_id: i for i in items_for(decide - set(items))})
    links.update(links_for(i.sku for i in items.values() if i.sku not in links))
    reads = {pid for pid in decide if pid in items and items[pid].stock_tracked}
    for pid in decide:
        item = items.get(pid)
        if item is not None and item.is_bundle and settings["bundles"] == BUNDLES_COMPONENTS:
            reads |= {c for c, _ in item.components}
    facts = Facts(items=items, links=links, rules=rules_from_settings(settings),
                  untracked=settings["untracked"], bundles=settings["bundles"],
                  levels=bp.get_availability(sorted(reads)) if reads else {})
    if settings["bundles"] == BUNDLES_BRIGHTPEARL:
        facts.bundle_levels = {pid: bp.get_bundle_availability(pid) for pid in sorted(decide)
                               if pid in items and items[pid].is_bundle}
    read_at = utcnow()
    decisions, writes = plan(sorted(decide), facts)
    outcome = send_writes(woo, writes)
    result.woo_calls = outcome.calls
    with write_transaction():
        _mark_read(reads | set(facts.bundle_levels), read_at)
    rows = rows_for(decisions)
    pids = list(decisions)
    # In chunks: a 1,000-product pass must not hold SQLite's one writer lock (which every
    # webhook needs) for the whole pass. Each product's outcome is whole within its chunk.
    for start in range(0, len(pids), SETTLE_CHUNK):
        with write_transaction():
            for pid in pids[start:start + SETTLE_CHUNK]:
                _settle_one(pid, decisions[pid], items.get(pid), links, outcome, triggers,
                            result, rows.get(pid), flow)
    return result


def _siblings(items, links):
    # Parent-managed variations share the parent's stock: all of them are needed for its sum.
    parents = {links[i.sku].woo_parent_id for i in items.values()
               if i.woo_parent_managed and i.sku in links and links[i.sku].woo_parent_id}
    if not parents:
        return set()
    skus = [link.sku for link in ProductLink.select(ProductLink.sku).where(
        ProductLink.woo_parent_id.in_(list(parents)))]
    return {i.bp_product_id for i in StockItem.select(StockItem.bp_product_id).where(
        StockItem.sku.in_(skus) & (StockItem.woo_parent_managed == True))}  # noqa: E712


def _mark_read(product_ids, moment):
    ids = sorted(product_ids)
    for start in range(0, len(ids), 500):
        StockItem.update(read_at=moment).where(
            StockItem.bp_product_id.in_(ids[start:start + 500])).execute()


def _settle_one(pid, decision, item, links, outcome, triggers, result, row, flow):
    trigger = triggers.get(pid) if triggers.get(pid) in URGENT else "poll"
    error = None
    if decision.kind == WRITE:
        key = decision.write_key
        if key in outcome.transient:
            error = outcome.transient[key]
            result.retry[pid] = error
        elif key in outcome.refused:
            reason, detail, gone = outcome.refused[key]
            decision, error = refused(decision, reason, detail)
            if gone:
                forget_woo_product(key[1])
        else:
            _remember_written(item, links, decision)
            result.written += 1
    if pid not in result.retry:
        result.settled.add(pid)
    if error is not None or worth_recording(decision, row, trigger):
        record(decision, row, item, flow, trigger, error=error)


def _remember_written(item, links, decision):
    if decision.own_quantity is None:
        StockItem.update(untracked_sent=True).where(
            StockItem.bp_product_id == item.bp_product_id).execute()
        return
    link = links.get(item.sku)
    if link is not None:
        ProductLink.update(last_quantity=decision.own_quantity, updated_at=utcnow()).where(
            ProductLink.id == link.id).execute()

