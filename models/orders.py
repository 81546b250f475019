"""What the order flows remember between runs, so every step is done once and resumable."""
from peewee import CharField, DateTimeField, IntegerField

from models.base import utcnow
from models.connections import ScopedModel

# WooCommerce statuses of carts and drafts: never an order anyone placed, so never synced.
DRAFT_ORDER_STATUSES = frozenset({"checkout-draft", "draft", "auto-draft"})


class ContactLink(ScopedModel):
    """Customer email (lower-cased) → the Brightpearl contact used for it."""

    email = CharField(max_length=254)
    bp_contact_id = IntegerField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "contact_link"
        indexes = ((("connection_id", "email"), True),)


class OrderPayment(ScopedModel):
    """A customer payment recorded in Brightpearl, keyed by its unique transaction ref."""

    transaction_ref = CharField(max_length=64)
    payment_method_code = CharField(max_length=36)
    bp_order_id = IntegerField()
    bp_payment_id = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "order_payment"
        indexes = ((("connection_id", "transaction_ref", "payment_method_code"), True),)


class RefundLink(ScopedModel):
    """Woo refund → Brightpearl sales credit, and how far its three steps have got."""

    woo_refund_id = IntegerField()
    woo_order_id = IntegerField(index=True)
    bp_credit_id = IntegerField(null=True)
    payment_done = CharField(max_length=8, default="no")
    restock_done = CharField(max_length=8, default="no")
    # "payback": refunded in full before shipping, so paid back against the order, which is
    # then cancelled (no credit); None: a sales credit (docs/REFUNDS.md).
    handled_as = CharField(max_length=8, null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "refund_link"
        indexes = ((("connection_id", "woo_refund_id"), True),
                   (("connection_id", "bp_credit_id"), True))
