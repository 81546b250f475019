"""The webhook inbox: every accepted delivery, durably stored before it is answered."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from models.base import BaseModel, utcnow
from models.logs import SyncLog

WOOCOMMERCE, BRIGHTPEARL = "woocommerce", "brightpearl"


class Event(BaseModel):
    """One change notification for one resource; dedupe_key makes replays no-ops."""

    source = CharField(max_length=16)
    topic = CharField(max_length=96)
    resource = CharField(max_length=32)
    resource_id = CharField(max_length=64)
    dedupe_key = CharField(max_length=160, unique=True)
    payload = TextField()
    # The resource's own modification time (Woo date_modified_gmt), to spot stale deliveries.
    modified_at = DateTimeField(null=True)
    received_at = DateTimeField(default=utcnow)
    enqueued_at = DateTimeField(null=True)
    processed_at = DateTimeField(null=True)
    outcome = CharField(max_length=255, null=True)
    log = ForeignKeyField(SyncLog, null=True, backref="events", on_delete="SET NULL")

    class Meta:
        table_name = "event"
        indexes = (
            (("source", "resource", "resource_id", "modified_at"), False),
            # The inbox sweep: unprocessed events, oldest first.
            (("processed_at", "enqueued_at", "received_at"), False),
        )
