"""Inventory log rows: one per Brightpearl product ("bp-{id}"), every push an attempt on it.

All outcomes go through flowkit.run_record, the one policy every flow shares.
"""
from connectors.errors import TransientError
from jobs.core.flowkit import Synced, run_record
from jobs.core.outcomes import Rejected, Skipped
from jobs.inventory.plan import FAILED, SKIPPED, UNCHANGED, WRITE
from models.base import utcnow
from models.logs import FAILED as ROW_FAILED
from models.logs import PENDING, SyncLog

LOG_TYPE, FLOW = "inventory", "inventory"


def record_key(bp_product_id):
    """The Inventory row's key for a Brightpearl product."""
    return f"bp-{bp_product_id}"


def rows_for(product_ids):
    """Existing Inventory rows by Brightpearl product id."""
    keys = {record_key(pid): pid for pid in product_ids}
    rows, names = {}, list(keys)
    for start in range(0, len(names), 500):
        for row in SyncLog.select().where((SyncLog.log_type == LOG_TYPE)
                                          & SyncLog.record_key.in_(names[start:start + 500])):
            rows[keys[row.record_key]] = row
    return rows


def worth_recording(decision, row, trigger):
    """Whether an outcome deserves an attempt on the row (no news is not recorded)."""
    if decision.kind == WRITE:
        return True
    if row is not None and row.status == PENDING:
        return True  # a webhook or a Re-sync is waiting for an answer
    if trigger != "poll":
        return decision.kind != UNCHANGED or row is None
    if decision.kind == FAILED:
        # A sweep finding the same failure again adds nothing; a new failure does.
        return row is None or row.status != ROW_FAILED or row.failure_reason != decision.message
    return False


def record(decision, row, item, trigger, error=None):
    """Record one product's outcome on its row (created when missing); returns the row."""
    if row is None:
        row, _ = SyncLog.get_or_create(
            log_type=LOG_TYPE, record_key=record_key(decision.bp_product_id),
            defaults={"info": item.info if item else "", "source_ref": str(decision.bp_product_id),
                      "created_at": utcnow()})
    info = item.info[:255] if item else row.info

    def work(settings, attempt):
        attempt.note(request=decision.message)
        if error is not None:
            raise error
        if decision.kind == FAILED:
            raise Rejected(decision.message)
        if decision.kind == SKIPPED:
            row.info = info
            raise Skipped(decision.message)
        target = str(decision.write_key[1]) if decision.write_key else row.target_ref
        return Synced(decision.message, target_ref=target,
                      outcome="synced" if decision.kind == WRITE else "unchanged",
                      row_changes={"quantity": decision.quantity, "info": info})

    try:
        run_record(row, FLOW, trigger, work)
    except TransientError:
        pass  # the change stays pending and is tried again; the row says "retrying"
    return row


def refused(decision, reason, detail):
    """The decision rewritten as a failure the store reported for its write."""
    return type(decision)(decision.bp_product_id, FAILED, reason, decision.quantity,
                          decision.own_quantity, decision.write_key), Rejected(reason, detail)
