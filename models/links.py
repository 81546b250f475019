"""Links between the two platforms' identities, and the pollers' cursors."""
from peewee import CharField, DateTimeField, IntegerField, TextField

from models.base import upsert, utcnow
from models.connections import ScopedModel


class ProductLink(ScopedModel):
    """SKU ⇄ Brightpearl product id ⇄ Woo product or variation id, and the last stock written."""

    sku = CharField(max_length=64)
    bp_product_id = IntegerField(null=True)
    woo_product_id = IntegerField(null=True, index=True)
    woo_parent_id = IntegerField(null=True)
    woo_type = CharField(max_length=16, null=True)
    last_quantity = IntegerField(null=True)
    # When staff deleted the linked Woo product (the Woo ids are then cleared).
    woo_deleted_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "product_link"
        indexes = ((("connection_id", "sku"), True), (("connection_id", "bp_product_id"), True))


class OrderLink(ScopedModel):
    """Woo order ⇄ Brightpearl order; bp_order_id is set only once the order exists there."""

    woo_order_id = IntegerField()
    bp_order_id = IntegerField(null=True)
    state = CharField(max_length=32, default="new")
    # The Woo status last seen or written by the status flow: a change is what gets pushed.
    woo_status = CharField(max_length=32, null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "order_link"
        indexes = ((("connection_id", "woo_order_id"), True),
                   (("connection_id", "bp_order_id"), True))


class Cursor(ScopedModel):
    """Where a poller got to (an ISO-8601 UTC time or an id), rewindable by staff."""

    name = CharField(max_length=64)
    value = TextField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "cursor"
        indexes = ((("connection_id", "name"), True),)


def read_cursor(name, default=None):
    """The cursor's value, or default when it has never been set."""
    row = Cursor.get_or_none(Cursor.name == name)
    return row.value if row else default


def write_cursor(name, value):
    """Set the cursor to value (insert or update)."""
    upsert(Cursor, "name", name=name, value=value, updated_at=utcnow())
