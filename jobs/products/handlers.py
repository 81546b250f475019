"""The products flow (Brightpearl → Woo): webhook handler, batch sync, full resync, the polls.

Every path ends in sync_products(ids, trigger): products are read from Brightpearl in batches
of up to 100, written to Woo by jobs.products.sync, and each product's log row (bp-{id},
type Product) records the outcome through jobs.core.flowkit.
"""
import json
from datetime import datetime, timezone

from connectors.errors import PermanentError
from jobs.core import clients
from jobs.core.flowkit import flow_state, record_outcome, require_complete, transient_reason
from jobs.core.locks import exclusive
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from jobs.products.removals import next_step, unlink_deleted
from jobs.products.sync import ProductRun
from jobs.core.queues import BULK, enqueue_once, fail_permanently
from jobs.core.registry import every, handles, trigger_of
from models.logs import log_row
from models.record_keys import bp_key

FLOW = "products"
BATCH = 100
# Two runs touching one new product group at once would each create its variable product.
LOCK = "pearlbridge:products:sync"
LOCK_WAIT_SECONDS = 30


def product_row(bp_id):
    """The product's log row (bp-{id}), created Pending when the product was never seen."""
    return log_row("product", bp_key(bp_id), f"Brightpearl product {bp_id}", str(bp_id))


def sync_products(bp_ids, trigger="poll", force=False, priority="interactive", bp=None):
    """Sync Brightpearl products (with their groups) to Woo; {bp id: log row status} per product.

    force writes even what is unchanged since the last write (a full resync); bp is a client
    to use instead of a new one at priority (a backfill counts its calls on its own).
    """
    statuses = {}
    ids = sorted({int(i) for i in bp_ids})
    for start in range(0, len(ids), BATCH):
        statuses.update(_sync_batch(ids[start:start + BATCH], trigger, force, priority, bp))
    return statuses


def _sync_batch(ids, trigger, force, priority, bp=None):
    flow = flow_state(FLOW)
    # Without the flow on, record_outcome says "flow off" whatever the outcome.
    outcomes = {i: Skipped("not synced: nothing came back for it") for i in ids}
    failure = None
    if flow.enabled and not flow.problem:
        try:
            require_complete(FLOW, flow.settings)
            run = ProductRun(flow.settings, bp or clients.brightpearl(priority),
                             clients.woocommerce(), force=force)
            with exclusive(LOCK, wait=LOCK_WAIT_SECONDS,
                           busy="another product sync is running; this one follows it"):
                outcomes.update(run.run(ids))
        except (WaitingForSettings, Rejected, PermanentError) as exc:
            outcomes = {i: exc for i in ids}  # every row of the batch says so
        except Exception as exc:  # noqa: BLE001 - transient (RQ retries) or a bug (Failed)
            outcomes, failure = {i: exc for i in ids}, exc
    statuses = {}
    for bp_id, outcome in outcomes.items():
        row = product_row(bp_id)
        sent = getattr(outcome, "sent", None)
        record_outcome(row, flow, trigger, outcome,
                       request=json.dumps(sent, ensure_ascii=False, sort_keys=True) if sent else None)
        statuses[bp_id] = row.status
    if failure is not None:
        if transient_reason(failure) is None:
            fail_permanently()
        raise failure  # every row has recorded it; RQ sees it once
    return statuses


@handles("brightpearl", "product.")
def on_product_event(source, resource, resource_id, events):
    """Dispatcher handler: product.created / .modified / .destroyed (and Re-sync) → sync that
    product (one Brightpearl no longer has is taken off sale in the store)."""
    statuses = sync_products([resource_id], trigger_of(events[-1]))
    return f"product {resource_id}: {statuses.get(int(resource_id), 'done')}"


@handles("woocommerce", "product.deleted")
def on_store_product_deleted(source, resource, resource_id, events):
    """Staff deleted (trashed) a Woo product: drop its links, and say so on the rows of the
    Brightpearl products it stood for; nothing is written anywhere."""
    flow = flow_state(FLOW)
    unlinked = unlink_deleted(int(resource_id))
    for bp_id in unlinked:
        record_outcome(product_row(bp_id), flow, trigger_of(events[-1]), Skipped(
            f"Woo product #{resource_id} was deleted in the store; link dropped — "
            f"{next_step(flow.settings)}", outcome="unlinked"))
    return (f"Woo product #{resource_id} deleted in the store: {len(unlinked)} link(s) "
            f"dropped" if unlinked else f"Woo product #{resource_id} was not linked")


def resync_all(force=True):
    """Job: sync every Brightpearl product (a full resync); returns counts by row status."""
    from jobs.core.context import job_database

    with job_database():
        flow = flow_state(FLOW)
        require_complete(FLOW, flow.settings)
        bp = clients.brightpearl("bulk")
        ids = [int(r["productId"]) for r in bp.search_products(columns=("productId",),
                                                               productStatus="LIVE")]
        ids += [link_id for link_id in _linked_ids() if link_id not in set(ids)]
        counts = {}
        for status in sync_products(ids, "manual", force=force, priority="bulk").values():
            counts[status] = counts.get(status, 0) + 1
        return {"products": len(ids), "statuses": counts, "price_list": flow.settings["price_list_id"]}


def _linked_ids():
    # Products already in the store are re-read too, so ones no longer live are taken off sale.
    from models.links import ProductLink

    return [r.bp_product_id for r in ProductLink.select(ProductLink.bp_product_id).where(
        ProductLink.bp_product_id.is_null(False) & ProductLink.woo_product_id.is_null(False))]


def enqueue_resync(connection, force=True):
    """Queue a full resync (coalesced: one waits at a time); returns (job id, enqueued)."""
    return enqueue_once(connection, "jobs.products.handlers.resync_all", (force,), "products-resync",
                        name=BULK, description="products: full resync")


@every("products-poll", 300)
def schedule_product_poll(settings, redis_connection):
    """Poller: queue the poll of products Brightpearl changed since the cursor."""
    enqueue_once(redis_connection, "jobs.products.poll.poll_products", (), "products-poll",
                 name=BULK, description="products: changed since the cursor")


@every("products-price-poll", 3600)
def schedule_price_poll(settings, redis_connection):
    """Poller: queue the price poll (price changes send no webhook)."""
    enqueue_once(redis_connection, "jobs.products.poll.poll_prices", (), "products-price-poll",
                 name=BULK, description="products: price changes")


def utc(value):
    """A Brightpearl timestamp (any offset) or None as an aware UTC datetime."""
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(
        timezone.utc)
