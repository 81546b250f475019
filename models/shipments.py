"""What the shipments flow wrote to Woo per Brightpearl note, so nothing is written twice."""
from peewee import BooleanField, CharField, DateTimeField, IntegerField

from models.base import utcnow
from models.connections import ScopedModel


class ShipmentTracking(ScopedModel):
    """One goods-out (gon-N) or drop-ship (dsn-N) note and the tracking written for it."""

    note_key = CharField(max_length=32)
    bp_order_id = IntegerField(index=True)
    woo_order_id = IntegerField(index=True)
    tracking_number = CharField(max_length=64, null=True)
    provider = CharField(max_length=64, null=True)
    method = CharField(max_length=16, null=True)  # "extension" or "note"
    woo_tracking_ref = CharField(max_length=64, null=True)  # tracking_id, or the note id
    completed_order = BooleanField(default=False)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "shipment_tracking"
        indexes = ((("connection_id", "note_key"), True),)
