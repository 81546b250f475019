"""Reconciliation runs and the discrepancies they find between WooCommerce and Brightpearl.

A discrepancy is one disagreement about one record (kind + the Sync Logs row it belongs to).
It stays the same row across runs: found again, it is seen again; no longer found by a run
that looked at it, it is resolved; found after that, it is opened again.
"""
import json

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from models.base import utcnow
from models.connections import ScopedModel

# kind -> (label for staff, the area that finds it, the Sync Logs type its record belongs to)
KINDS = {
    "order_missing": ("Woo order missing in Brightpearl", "orders", "order"),
    "order_duplicated": ("Woo order duplicated in Brightpearl", "orders", "order"),
    "order_total": ("Order totals differ", "orders", "order"),
    "order_status": ("Woo status differs from the status map", "status", "order"),
    "payment_missing": ("Paid in Woo, no payment in Brightpearl", "orders", "order"),
    "refund_missing": ("Woo refund without a sales credit", "refunds", "refund"),
    "refund_amount": ("Refund and sales credit amounts differ", "refunds", "refund"),
    "shipment_tracking": ("Shipped in Brightpearl, tracking not on the Woo order", "shipments",
                          "shipment"),
    "shipment_completion": ("Shipped in full, Woo order not completed", "shipments",
                            "shipment"),
    "stock": ("Woo stock differs from what Brightpearl says", "stock", "inventory"),
    "product_missing": ("Brightpearl product missing in Woo", "products", "product"),
    "product_fields": ("Woo product fields differ from Brightpearl", "products", "product"),
}

RUNNING, DONE, FAILED = "running", "done", "failed"
OPEN, RESOLVED = "open", "resolved"


class ReconcileRun(ScopedModel):
    """One comparison of the two platforms over a date range of Woo orders."""

    since = DateTimeField()
    until = DateTimeField()
    trigger = CharField(max_length=16, default="manual")  # schedule, manual (page) or cli
    requested_by = CharField(max_length=64, null=True)
    status = CharField(max_length=8, default=RUNNING)
    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    phase = CharField(max_length=64, default="")
    checked_json = TextField(default="{}")  # records compared per area
    found_json = TextField(default="{}")  # discrepancies per kind
    bp_calls = IntegerField(default=0)
    woo_calls = IntegerField(default=0)
    error = TextField(null=True)

    class Meta:
        table_name = "reconcile_run"
        indexes = ((("started_at",), False),)

    @property
    def found(self):
        """{kind: count} of what the run found."""
        return json.loads(self.found_json or "{}")

    @property
    def checked(self):
        """{area: count} of the records the run compared."""
        return json.loads(self.checked_json or "{}")

    @property
    def total_found(self):
        """Discrepancies found, all kinds."""
        return sum(self.found.values())


class Discrepancy(ScopedModel):
    """One disagreement about one record, with what each side says and how to repair it."""

    kind = CharField(max_length=32)
    log_type = CharField(max_length=16)
    record_key = CharField(max_length=64)
    title = CharField(max_length=255, default="")
    woo_says = TextField(default="")
    bp_says = TextField(default="")
    facts_json = TextField(default="{}")  # ids the repair needs (orders, refunds, notes, SKUs)
    occurred_at = DateTimeField(null=True)  # the Woo order's date: which runs' range covers it
    status = CharField(max_length=8, default=OPEN)
    first_run = ForeignKeyField(ReconcileRun, null=True, on_delete="SET NULL",
                                backref="first_found")
    last_run = ForeignKeyField(ReconcileRun, null=True, on_delete="SET NULL", backref="seen")
    first_seen_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    resolved_at = DateTimeField(null=True)
    repaired_at = DateTimeField(null=True)
    repaired_by = CharField(max_length=64, null=True)
    repair_log_id = IntegerField(null=True)  # the Sync Logs row the repair went through

    class Meta:
        table_name = "discrepancy"
        indexes = ((("connection_id", "kind", "log_type", "record_key"), True),
                   (("status", "kind", "id"), False))

    @property
    def facts(self):
        """The ids and figures the repair works from."""
        return json.loads(self.facts_json or "{}")


def latest_runs(limit=20):
    """The newest runs first."""
    return list(ReconcileRun.select().order_by(ReconcileRun.started_at.desc(),
                                               ReconcileRun.id.desc()).limit(limit))


def save_findings(run, findings, now=None):
    """Store what a run found: new discrepancies opened, known ones seen again (or reopened).

    findings are objects with kind, log_type, record_key, title, woo_says, bp_says, facts and
    occurred_at. Returns how many were new or reopened.
    """
    now, fresh = now or utcnow(), 0
    items = list(findings)
    for start in range(0, len(items), 200):
        chunk = items[start:start + 200]
        known = {(d.kind, d.log_type, d.record_key): d for d in Discrepancy.select().where(
            Discrepancy.record_key.in_([f.record_key for f in chunk]))}
        for finding in chunk:
            values = {"title": finding.title[:255], "woo_says": finding.woo_says,
                      "bp_says": finding.bp_says, "occurred_at": finding.occurred_at,
                      "facts_json": json.dumps(finding.facts, sort_keys=True, default=str),
                      "status": OPEN, "last_run": run.id, "last_seen_at": now,
                      "resolved_at": None}
            existing = known.get((finding.kind, finding.log_type, finding.record_key))
            if existing is None:
                Discrepancy.create(kind=finding.kind, log_type=finding.log_type,
                                   record_key=finding.record_key, first_run=run.id,
                                   first_seen_at=now, **values)
                fresh += 1
                continue
            if existing.status != OPEN:
                # Back after being resolved: a new occurrence, so an old repair no longer counts.
                values.update(first_run=run.id, first_seen_at=now, repaired_at=None,
                              repaired_by=None)
                fresh += 1
            Discrepancy.update(**values).where(Discrepancy.id == existing.id).execute()
    return fresh


def resolve_unseen(run, kinds, dated_kinds, since, until, now=None):
    """Resolve open discrepancies of kinds that run looked for and no longer found.

    Kinds in dated_kinds are about Woo orders: only those whose order date lies in the run's
    range were looked at. Returns how many were resolved.
    """
    covered = Discrepancy.kind.in_(list(set(kinds) - set(dated_kinds)))
    if set(kinds) & set(dated_kinds):
        covered |= (Discrepancy.kind.in_(list(set(kinds) & set(dated_kinds)))
                    & (Discrepancy.occurred_at >= since) & (Discrepancy.occurred_at < until))
    return Discrepancy.update(status=RESOLVED, resolved_at=now or utcnow()).where(
        (Discrepancy.status == OPEN) & covered
        & (Discrepancy.last_run.is_null() | (Discrepancy.last_run != run.id))).execute()


def open_counts():
    """{kind: open discrepancies}."""
    return {kind: count for kind, count in Discrepancy.select(
        Discrepancy.kind, fn.COUNT(Discrepancy.id)).where(Discrepancy.status == OPEN)
        .group_by(Discrepancy.kind).tuples()}
