"""Per-type sync logs: one row per synced record, plus the history of its attempts."""
from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.base import BaseModel, MoneyField, utcnow
from models.connections import ScopedModel, current_id

LOG_TYPES = ("inventory", "product", "order", "refund", "shipment")
LOG_TYPE_LABELS = {
    "inventory": "Inventory",
    "product": "Product",
    "order": "Order",
    "refund": "Refund",
    "shipment": "Shipment",
}

PENDING, SYNCED, FAILED = "pending", "synced", "failed"
STATUSES = (PENDING, SYNCED, FAILED)

QUEUED = "queued"
# Stored, but Redis could not take the job: the inbox sweep enqueues it once Redis answers.
QUEUE_DOWN = "queue unavailable, will be retried"
WAITING_FOR_SETTINGS = "waiting for settings: "

TRIGGERS = ("webhook", "poll", "manual", "retry")
EXCERPT_LIMIT = 2000


class SyncLog(ScopedModel):
    """One record of one log type (an order, a SKU's stock, a refund…) and its current status.

    record_key names the record in its source system ("woo-123", "bp-1001"); (log_type,
    record_key) is unique within the connection, so every delivery, poll and retry lands on
    the same row.
    """

    log_type = CharField(max_length=16, choices=[(t, LOG_TYPE_LABELS[t]) for t in LOG_TYPES])
    record_key = CharField(max_length=64)
    status = CharField(max_length=8, default=PENDING)
    pending_reason = CharField(max_length=255, null=True, default=QUEUED)
    failure_reason = TextField(null=True)
    failure_detail = TextField(null=True)
    info = CharField(max_length=255, default="")
    source_ref = CharField(max_length=64, null=True)
    target_ref = CharField(max_length=64, null=True)
    quantity = IntegerField(null=True)
    amount = MoneyField(null=True)
    currency = CharField(max_length=3, null=True)
    tracking = CharField(max_length=128, null=True)
    created_at = DateTimeField(default=utcnow)
    synced_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)
    attempt_count = IntegerField(default=0)

    class Meta:
        table_name = "sync_log"
        indexes = (
            (("connection_id", "log_type", "record_key"), True),
            # Newest-first keyset pages per type, with and without a status filter.
            (("connection_id", "log_type", "updated_at", "id"), False),
            (("connection_id", "log_type", "status", "updated_at", "id"), False),
        )

    @property
    def waiting_for_settings(self):
        """True when the row is held until a flow setting is saved."""
        return self.status == PENDING and (self.pending_reason or "").startswith(
            WAITING_FOR_SETTINGS
        )


class SyncAttempt(BaseModel):
    """One attempt at syncing a log row: when, why, what happened, and the excerpts to see why."""

    log = ForeignKeyField(SyncLog, backref="attempts", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    trigger = CharField(max_length=8, choices=[(t, t) for t in TRIGGERS])
    outcome = CharField(max_length=16)
    message = TextField(default="")
    request_excerpt = TextField(null=True)
    response_excerpt = TextField(null=True)

    class Meta:
        table_name = "sync_attempt"
        # (at): the retention prune deletes the oldest attempts first.
        indexes = ((("log", "at"), False), (("at",), False))


def excerpt(text):
    """Trim text to the excerpt limit, saying so when it was cut."""
    if text is None or len(text) <= EXCERPT_LIMIT:
        return text
    return text[:EXCERPT_LIMIT] + f"… [{len(text) - EXCERPT_LIMIT} more characters]"


_TOUCH_SQL = (
    "INSERT INTO sync_log (connection_id, log_type, record_key, info, source_ref, created_at, "
    "status, pending_reason, updated_at, attempt_count, amount, currency) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, 0, {p}, {p}) "
    "ON CONFLICT (connection_id, log_type, record_key) DO UPDATE SET status = excluded.status, "
    "pending_reason = excluded.pending_reason, updated_at = excluded.updated_at, "
    "amount = COALESCE(excluded.amount, sync_log.amount), "
    "currency = COALESCE(excluded.currency, sync_log.currency) RETURNING id"
)


def touch_pending(database, log_type, record_key, info, source_ref, now, amount=None,
                  currency=None):
    """Create the record's row as Pending (queued), or set the existing one so; its id.

    One statement (it runs on every webhook); the figure is kept when a change carries none.
    """
    sql = _TOUCH_SQL.format(p=database.param)
    params = (current_id(), log_type, record_key, info, source_ref, now, PENDING, QUEUED, now,
              str(amount) if amount is not None else None, currency)
    return database.execute_sql(sql, params).fetchone()[0]


_FAIL_SQL = (
    "INSERT INTO sync_log (connection_id, log_type, record_key, info, source_ref, created_at, "
    "status, pending_reason, failure_reason, updated_at, attempt_count) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, NULL, {p}, {p}, 0) "
    "ON CONFLICT (connection_id, log_type, record_key) DO UPDATE SET status = excluded.status, "
    "pending_reason = NULL, failure_reason = excluded.failure_reason, "
    "updated_at = excluded.updated_at RETURNING id"
)


def touch_failed(database, log_type, record_key, info, source_ref, now, reason):
    """Set the record's row Failed with reason (creating it if new), with an attempt saying so.

    For a delivery that can never be stored as it came (a total no amount can be): the row
    shows why, and Re-sync re-reads the record from its platform.
    """
    sql = _FAIL_SQL.format(p=database.param)
    log_id = database.execute_sql(sql, (current_id(), log_type, record_key, info, source_ref,
                                        now, FAILED, reason, now)).fetchone()[0]
    SyncAttempt.insert(log=log_id, at=now, trigger="webhook", outcome=FAILED,
                       message=reason).execute()
    return log_id


def log_row(log_type, record_key, info="", source_ref=None):
    """The record's log row, created Pending (queued) when a poll or a flow meets it first.

    Atomic: two workers meeting a new record at once both get the one row.
    """
    SyncLog.insert(log_type=log_type, record_key=record_key, info=info[:255],
                   source_ref=source_ref).on_conflict_ignore().execute()
    return SyncLog.get((SyncLog.log_type == log_type) & (SyncLog.record_key == record_key))
