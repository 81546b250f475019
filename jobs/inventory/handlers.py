"""The inventory flow (Brightpearl stock → Woo stock): its settings, handler and poller tasks.

How the pieces fit:
- webhook: the receiver stores each `product.modified.on-hand-modified` id and queues the
  dispatcher, whose handler here only notes the product as changed (one row per product, so a
  burst is one read) and enqueues the stock worker. Reads and writes happen in the worker, for
  every noted product at once: 200 products per availability read, 100 per Woo batch. That is
  the choice that coalesces best and spends the fewest API calls.
- poller, every delta tick: enqueue the stock worker, which reads goods movements since the
  cursor (with an overlap) before writing; the poller itself makes no API calls, so a slow API
  can never cost it its leader lock.
- poller, every sweep interval: start a full sweep, which the worker runs step by step.
"""
from jobs.core.context import job_redis
from jobs.core.flowkit import ready_settings
from jobs.core.queues import QueueUnavailable
from jobs.core.registry import every, handles, trigger_of
from jobs.inventory.changes import note_changes
from jobs.inventory.sweep import start_sweep, sweep_due
from jobs.inventory.worker import enqueue_stock_work
from models.stock import MANUAL, RETRY, WEBHOOK

FLOW, TICK_KEY = "inventory", "pearlbridge:inventory:delta-tick"


@handles("brightpearl", "product.modified.on-hand-modified")
def on_hand_modified(source, resource, resource_id, events):
    """Note the product for the stock worker (coalesced) and make sure the worker runs.

    Also handles Re-sync / Retry of Inventory rows: the same path, marked manual or retry.
    """
    triggers = {trigger_of(e) for e in events}
    trigger = next((t for t in (MANUAL, RETRY) if t in triggers), WEBHOOK)
    note_changes([int(resource_id)], trigger)
    try:
        enqueue_stock_work(job_redis())
    except QueueUnavailable:
        pass  # the change is stored; the poller's next delta tick enqueues the worker
    return "queued for the stock worker (coalesced with other changes)"


@every("inventory-deltas", 1.0)
def delta_tick(settings, redis_connection):
    """Every delta_seconds (flow setting): enqueue the stock worker; no API calls here."""
    flow_settings = ready_settings(FLOW)
    if flow_settings is None:
        return
    # The schedule runs this every second; the flow's own interval gates it, shared by any
    # poller that becomes leader.
    if redis_connection.set(TICK_KEY, b"1", nx=True,
                            px=int(flow_settings["delta_seconds"] * 1000)):
        enqueue_stock_work(redis_connection)


@every("inventory-sweep", 10.0)
def sweep_tick(settings, redis_connection):
    """Start a full sweep when sweep_seconds (flow setting) have passed since the last one."""
    flow_settings = ready_settings(FLOW)
    if flow_settings is not None and sweep_due(flow_settings):
        start_sweep()
        enqueue_stock_work(redis_connection)
