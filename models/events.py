"""The webhook inbox: every accepted delivery, durably stored before it is answered."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.base import BaseModel, utcnow
from models.connections import ScopedModel, current_id
from models.logs import SyncLog

WOOCOMMERCE, BRIGHTPEARL = "woocommerce", "brightpearl"
# The topic of a staff Re-sync or Retry: the record is routed as its key says (models/record_keys.py).
RESYNC_TOPIC = "manual.resync"


class Event(ScopedModel):
    """One change notification for one resource; dedupe_key makes replays no-ops."""

    source = CharField(max_length=16)
    topic = CharField(max_length=96)
    resource = CharField(max_length=32)
    resource_id = CharField(max_length=64)
    dedupe_key = CharField(max_length=160)
    payload = TextField()
    # The resource's own modification time (Woo date_modified_gmt), to spot stale deliveries.
    modified_at = DateTimeField(null=True)
    received_at = DateTimeField(default=utcnow)
    enqueued_at = DateTimeField(null=True)
    processed_at = DateTimeField(null=True)
    outcome = CharField(max_length=255, null=True)
    log = ForeignKeyField(SyncLog, null=True, backref="events", on_delete="SET NULL")
    # The callback body when it is shared by the events of one ID set (payload is then empty);
    # a plain id, not a foreign key, so the first migration's tables need no later table.
    body_id = IntegerField(null=True)

    class Meta:
        table_name = "event"
        indexes = (
            (("connection_id", "dedupe_key"), True),
            (("source", "resource", "resource_id", "modified_at"), False),
            # The inbox sweep: unprocessed events, oldest first.
            (("processed_at", "enqueued_at", "received_at"), False),
        )


class EventBody(BaseModel):
    """A Brightpearl callback body, stored once for all the events of its ID set."""

    body = TextField()
    received_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "event_body"


def payloads(events):
    """{event id: its payload, or the shared callback body it points to} for events."""
    body_ids = {e.body_id for e in events if e.body_id and not e.payload}
    bodies = dict(EventBody.select(EventBody.id, EventBody.body)
                  .where(EventBody.id.in_(list(body_ids))).tuples()) if body_ids else {}
    return {e.id: e.payload or bodies.get(e.body_id, "") for e in events}


# The intake's three statements, written once in SQL both SQLite (>= 3.35) and PostgreSQL
# accept: every webhook runs them, and peewee's query building would cost more than the I/O.
_PRIOR_SQL = (
    "SELECT MAX(modified_at), MAX(CASE WHEN dedupe_key = {p} THEN 1 ELSE 0 END) FROM event "
    "WHERE connection_id = {p} AND source = {p} AND resource = {p} AND resource_id = {p}"
)
_INSERT_SQL = (
    "INSERT INTO event (connection_id, source, topic, resource, resource_id, dedupe_key, payload, "
    "modified_at, received_at, enqueued_at, processed_at, outcome, log_id, body_id) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}) "
    "ON CONFLICT (connection_id, dedupe_key) DO NOTHING RETURNING id"
)


def prior_changes(database, source, resource, resource_id, dedupe_key):
    """(newest modified_at already stored for the resource, whether dedupe_key is stored)."""
    sql = _PRIOR_SQL.format(p=database.param)
    newest, seen = database.execute_sql(
        sql, (dedupe_key, current_id(), source, resource, resource_id)).fetchone()
    if isinstance(newest, str):
        newest = Event.modified_at.python_value(newest)
    return newest, bool(seen)


def insert_event(database, *, source, topic, resource, resource_id, dedupe_key, payload,
                 modified_at, received_at, enqueued_at, processed_at, outcome, log_id,
                 body_id=None):
    """Insert one inbox row; its id, or None when the dedupe key is already stored."""
    sql = _INSERT_SQL.format(p=database.param)
    row = database.execute_sql(sql, (
        current_id(), source, topic, resource, resource_id, dedupe_key, payload, modified_at,
        received_at, enqueued_at, processed_at, outcome, log_id, body_id)).fetchone()
    return row[0] if row else None


def insert_body(database, body, received_at):
    """Store a shared callback body; its id."""
    sql = "INSERT INTO event_body (body, received_at) VALUES ({p}, {p}) RETURNING id"
    return database.execute_sql(sql.format(p=database.param), (body, received_at)).fetchone()[0]
