"""The products flow (Brightpearl → Woo): webhook handler, batch sync, full resync, the polls.

Every path ends in sync_products(ids, trigger): products are read from Brightpearl in batches
of up to 100, written to Woo by jobs.products.sync, and each product's log row (bp-{id},
type Product) records the outcome through jobs.core.flowkit.
"""
import json
from datetime import datetime, timezone

from marshmallow import ValidationError

from connectors.errors import PermanentError
from jobs.core import clients
from jobs.core.flowkit import run_record
from jobs.core.locks import exclusive
from jobs.core.outcomes import Rejected, Skipped, WaitingForSettings
from jobs.products.sync import ProductRun
from jobs.core.queues import BULK, enqueue_once
from jobs.core.registry import every, handles, trigger_of
from models.flows import get_flow
from models.logs import SyncLog
from models.schemas.products import ProductSettings

FLOW = "products"
BATCH = 100
# Two runs touching one new product group at once would each create its variable product.
LOCK = "pearlbridge:products:sync"
STOCK_TOPIC = "product.modified.on-hand-modified"  # the inventory flow's, never ours


def load_settings(raw):
    """The flow's settings with defaults filled; WaitingForSettings names what is missing."""
    try:
        return ProductSettings().load(raw or {})
    except ValidationError as exc:
        field, problems = next(iter(sorted(exc.messages.items())))
        words = "; ".join(problems) if isinstance(problems, list) else str(problems)
        raise WaitingForSettings(f"`{field}`: {words}") from None


def log_row(bp_id):
    """The product's log row (bp-{id}), created Pending when the product was never seen."""
    row, _ = SyncLog.get_or_create(
        log_type="product", record_key=f"bp-{bp_id}",
        defaults={"info": f"Brightpearl product {bp_id}", "source_ref": str(bp_id)})
    return row


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
    flow = get_flow(FLOW)
    # Without the flow on, run_record says "flow off" and never calls the work.
    outcomes = {i: Skipped("not synced: nothing came back for it") for i in ids}
    if flow.enabled:
        try:
            settings = load_settings(flow.settings)
            run = ProductRun(settings, bp or clients.brightpearl(priority),
                             clients.woocommerce(), force=force)
            with exclusive(LOCK):
                outcomes.update(run.run(ids))
        except (WaitingForSettings, Rejected, PermanentError) as exc:
            outcomes = {i: exc for i in ids}  # every row of the batch says so
        except Exception as exc:
            # Transient (RQ retries) or a bug (Failed): every row records it, then RQ sees it.
            _record_all(ids, trigger, exc)
            raise
    statuses = {}
    for bp_id, outcome in outcomes.items():
        row = log_row(bp_id)
        run_record(row, FLOW, trigger, _replay(outcome))
        statuses[bp_id] = row.status
    return statuses


def _record_all(ids, trigger, error):
    for bp_id in ids:
        try:
            run_record(log_row(bp_id), FLOW, trigger, _replay(error))
        except Exception:  # noqa: BLE001 - recorded on the row; the caller re-raises once
            pass


def _replay(outcome):
    def work(_settings, attempt):
        if isinstance(outcome, BaseException):
            raise outcome
        sent = getattr(outcome, "sent", None)
        if sent:
            attempt.note(request=json.dumps(sent, ensure_ascii=False, sort_keys=True))
        return outcome

    return work


@handles("brightpearl", "product.", resyncs="product")
def on_product_event(source, resource, resource_id, events):
    """Dispatcher handler: product.created / .modified (and Re-sync) → sync that product."""
    topic = events[0].topic
    if topic.startswith(STOCK_TOPIC):
        return "ignored: stock changes are the inventory flow's"
    if topic == "product.destroyed":
        row = log_row(resource_id)
        return run_record(row, FLOW, "webhook", _replay(Skipped(
            "deleted in Brightpearl; the store's product is left as it is")))
    statuses = sync_products([resource_id], trigger_of(events[-1]))
    return f"product {resource_id}: {statuses.get(int(resource_id), 'done')}"


def resync_all(force=True):
    """Job: sync every Brightpearl product (a full resync); returns counts by row status."""
    from jobs.core.context import job_database

    with job_database():
        settings = load_settings(get_flow(FLOW).settings)
        bp = clients.brightpearl("bulk")
        ids = [int(r["productId"]) for r in bp.search_products(columns=("productId",),
                                                               productStatus="LIVE")]
        ids += [link_id for link_id in _linked_ids() if link_id not in set(ids)]
        counts = {}
        for status in sync_products(ids, "manual", force=force, priority="bulk").values():
            counts[status] = counts.get(status, 0) + 1
        return {"products": len(ids), "statuses": counts, "price_list": settings["price_list_id"]}


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
