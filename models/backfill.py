"""Backfills: bringing history across (orders, products, stock), resumable from a cursor."""
import json

from peewee import CharField, DateTimeField, IntegerField, TextField

from models.base import utcnow
from models.connections import ScopedModel

KINDS = ("orders", "products", "stock")
# Brightpearl calls per record before a backfill has measured its own (orders: sales order,
# payment and, for new customers, the contact; products: reads and prices per 100; stock:
# availability per 200 plus the movement search).
CALLS_PER_RECORD = {"orders": 3.3, "products": 0.05, "stock": 0.01}
RUNNING, PAUSED, DONE, FAILED = "running", "paused", "done", "failed"


class Backfill(ScopedModel):
    """One backfill of a kind over a date range; cursor says how far it got."""

    kind = CharField(max_length=16)
    since = DateTimeField()
    until = DateTimeField()
    status = CharField(max_length=8, default=RUNNING)
    cursor_json = TextField(default="{}")
    total = IntegerField(null=True)
    done = IntegerField(default=0)  # records handled (created, already there, or failed)
    created = IntegerField(default=0)
    skipped = IntegerField(default=0)
    failed = IntegerField(default=0)
    bp_calls = IntegerField(default=0)
    busy_seconds = IntegerField(default=0)  # time spent working, for the rate and the ETA
    requested_by = CharField(max_length=64, null=True)
    started_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    message = TextField(default="")

    class Meta:
        table_name = "backfill"
        indexes = ((("kind", "since", "until", "status"), False),)

    @property
    def cursor(self):
        """Where the backfill got to (kind-specific keys)."""
        return json.loads(self.cursor_json or "{}")

    @property
    def percent(self):
        """Progress in whole percent (0 while the total is unknown)."""
        if not self.total:
            return 100 if self.status == DONE else 0
        return min(100, int(100 * self.done / self.total))

    def eta_seconds(self, bulk_per_second):
        """Seconds left at the bulk share's pace (Brightpearl calls per record so far)."""
        if not self.total or bulk_per_second <= 0:
            return None
        per_record = (self.bp_calls / self.done) if self.done else CALLS_PER_RECORD[self.kind]
        return max(0, self.total - self.done) * per_record / bulk_per_second

    @property
    def finished(self):
        """True once done or failed."""
        return self.status in (DONE, FAILED)


def find_or_start(kind, since, until=None, who=None, now=None):
    """The unfinished backfill of kind from since (to until, or any end when None) to resume,
    else a new one (until defaults to now); (backfill, created?)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    query = Backfill.select().where((Backfill.kind == kind) & (Backfill.since == since)
                                    & Backfill.status.in_((RUNNING, PAUSED)))
    if until is not None:
        query = query.where(Backfill.until == until)
    found = query.order_by(Backfill.id.desc()).first()
    if found is not None:
        return found, False
    return Backfill.create(kind=kind, since=since, until=until or now or utcnow(),
                           requested_by=who), True


def latest_backfills(limit=10):
    """The newest backfills first."""
    return list(Backfill.select().order_by(Backfill.id.desc()).limit(limit))
