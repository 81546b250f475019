"""Inventory log rows: one per Brightpearl product ("bp-{id}"), every push an attempt on it.

All outcomes go through flowkit.record_outcome, the one policy every flow shares.
"""
from jobs.core.flowkit import Synced, record_outcome
from jobs.core.outcomes import Rejected, Skipped
from jobs.inventory.plan import FAILED, SKIPPED, UNCHANGED, WRITE
from models.logs import FAILED as ROW_FAILED
from models.logs import PENDING, SyncLog, log_row
from models.record_keys import bp_key

LOG_TYPE = "inventory"


def rows_for(product_ids):
    """Existing Inventory rows by Brightpearl product id."""
    keys = {bp_key(pid): pid for pid in product_ids}
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


def record(decision, row, item, flow, trigger, error=None):
    """Record one product's outcome on its row (created when missing); returns the row."""
    pid = decision.bp_product_id
    if row is None:
        row = log_row(LOG_TYPE, bp_key(pid), item.info if item else "", str(pid))
    info = item.info[:255] if item else row.info
    if error is not None:
        outcome = error  # a write the store refused, or a transient error (the change stays)
    elif decision.kind == FAILED:
        outcome = Rejected(decision.message)
    elif decision.kind == SKIPPED:
        row.info = info
        outcome = Skipped(decision.message)
    else:
        target = str(decision.write_key[1]) if decision.write_key else row.target_ref
        outcome = Synced(decision.message, target_ref=target,
                         outcome="synced" if decision.kind == WRITE else "unchanged",
                         row_changes={"quantity": decision.quantity, "info": info})
    record_outcome(row, flow, trigger, outcome, request=decision.message)
    return row


def refused(decision, reason, detail):
    """The decision rewritten as a failure the store reported for its write."""
    return type(decision)(decision.bp_product_id, FAILED, reason, decision.quantity,
                          decision.own_quantity, decision.write_key), Rejected(reason, detail)
