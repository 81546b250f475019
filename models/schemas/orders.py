"""Settings of the orders, order status and refunds flows (marshmallow; the Flows page renders them)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from models.schemas.choice import choice

WOO_ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded",
                      "failed")


def _id(label, choices_from, help_text="", required=True):
    return fields.Integer(required=required, allow_none=not required, validate=validate.Range(min=1),
                          metadata={"label": label, "help": help_text, "choices_from": choices_from})


def _map(label, help_text, choices_from=None, key_choices_from=None, key_label=None,
         value_choices=None):
    metadata = {"label": label, "help": help_text, "choices_from": choices_from,
                "key_choices_from": key_choices_from, "key_label": key_label}
    if value_choices:
        metadata["choices"] = [(v, v) for v in value_choices]
    return fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                       values=fields.String(validate=validate.Length(min=1, max=64)),
                       load_default=dict, metadata={k: v for k, v in metadata.items() if v})


UNKNOWN_SKU_CHOICES = [
    ("free_text", "Free text: a row without a product, named after the line (the order syncs)"),
    ("hold", "Hold: the order waits (Pending) until the product exists and it is re-synced"),
    ("fail", "Fail: the order is Failed with the reason"),
]


class NominalCodes(Schema):
    """Brightpearl nominal codes per kind of order row."""

    sales = fields.String(required=True, metadata={"label": "Sales"})
    shipping = fields.String(required=True, metadata={"label": "Shipping"})
    discount = fields.String(required=True, metadata={"label": "Discounts"})
    fees = fields.String(required=True, metadata={"label": "Fees"})
    rounding = fields.String(required=True, metadata={"label": "Rounding"})


class OrderSettings(Schema):
    """What the orders flow (Woo → Brightpearl) needs."""

    channel_id = _id("Sales channel", "channels")
    warehouse_id = _id("Default warehouse", "warehouses")
    price_list_id = _id("Price list", "price_lists")
    new_order_status_id = _id("Brightpearl status for new orders", "order_statuses")
    import_statuses = fields.List(
        fields.String(validate=validate.OneOf(WOO_ORDER_STATUSES)),
        load_default=lambda: ["processing", "completed", "on-hold"],
        metadata={"label": "Woo statuses to import"})
    payment_methods = _map("Payment methods", "Woo payment method → Brightpearl method code",
                           "payment_methods", key_label="Woo payment method (e.g. stripe)")
    shipping_methods = _map("Shipping methods", "Woo shipping method id → Brightpearl method",
                            "shipping_methods", key_label="Woo method id (e.g. flat_rate)")
    tax_codes = _map("Tax codes", "Woo tax class → Brightpearl tax code", "tax_codes",
                     key_label="Woo tax class (standard, reduced-rate, zero-rate…)")
    zero_tax_code = fields.String(required=True, metadata={
        "label": "Tax code for untaxed rows", "choices_from": "tax_codes"})
    nominal_codes = fields.Nested(NominalCodes, required=True,
                                  metadata={"label": "Nominal codes", "choices_from": "nominal_codes"})
    unknown_sku = choice(UNKNOWN_SKU_CHOICES, "free_text", "A line Brightpearl has no product for",
                         "An unknown SKU, or a product deleted in WooCommerce (its lines lose "
                         "their SKU). A free-text row allocates no stock.")


# Woo statuses the Woo → Brightpearl map does not take: cancellations have their own switch,
# refunds are the refunds flow's, drafts are never orders.
NOT_PUSHED_STATUSES = ("cancelled", "refunded", "checkout-draft", "draft", "auto-draft")


class OrderStatusSettings(Schema):
    """What the order status flow (both ways) needs."""

    status_map = _map("Brightpearl → Woo status", "Brightpearl status → Woo status",
                      key_choices_from="order_statuses", key_label="Brightpearl status",
                      value_choices=WOO_ORDER_STATUSES)
    woo_status_map = _map(
        "Woo → Brightpearl status",
        "A Woo status change (on-hold ↔ processing, completed by staff, a plugin's status) "
        "moves the Brightpearl order to this status. Statuses not listed are not sent.",
        "order_statuses", key_label="Woo status (e.g. on-hold, or a custom one like shipped)")
    default_woo_status = fields.String(allow_none=True, load_default=None,
                                       validate=validate.OneOf(WOO_ORDER_STATUSES),
                                       metadata={"label": "Woo status when unmapped"})
    push_cancellations = fields.Boolean(load_default=True,
                                        metadata={"label": "Send Woo cancellations to Brightpearl"})
    cancelled_status_id = _id("Brightpearl cancelled status", "order_statuses", required=False)

    @validates_schema
    def _pushed_statuses(self, data, **_):
        taken = sorted(set(data.get("woo_status_map") or {}) & set(NOT_PUSHED_STATUSES))
        if taken:
            raise ValidationError(f"{', '.join(taken)}: cancellations are sent by 'Send Woo "
                                  f"cancellations', refunds by the Refunds flow.",
                                  "woo_status_map")
        bad = [v for v in (data.get("woo_status_map") or {}).values() if not str(v).isdigit()]
        if bad:
            raise ValidationError(f"{bad[0]} is not a Brightpearl status id.", "woo_status_map")


FULL_REFUND_CREDIT, FULL_REFUND_CANCEL = "credit", "cancel"
FULL_REFUND_CHOICES = [
    (FULL_REFUND_CREDIT, "Sales credit and refund payment (the order stays open in Brightpearl)"),
    (FULL_REFUND_CANCEL, "Pay the receipt back against the order, then cancel it (stock "
                         "released; what Brightpearl's own channel apps do)"),
]


class RefundSettings(Schema):
    """What the refunds flow (Woo → Brightpearl sales credits) needs."""

    credit_status_id = _id("Brightpearl status for new credits", "order_statuses", required=False)
    refund_nominal_code = fields.String(required=True, metadata={
        "label": "Refund nominal code", "choices_from": "nominal_codes"})
    restock = fields.Boolean(load_default=False, metadata={
        "label": "Restock returned items (goods-in note)"})
    restock_warehouse_id = _id("Warehouse for returned items", "warehouses", required=False)
    full_refund_unshipped = choice(
        FULL_REFUND_CHOICES, FULL_REFUND_CREDIT, "A full refund of an order that has not shipped",
        "Cancelling relies on Brightpearl accepting a payment back against the sales order and "
        "then the cancelled status; check it on a test account first (docs/REFUNDS.md).")
    cancelled_status_id = _id("Brightpearl status for orders cancelled after a full refund",
                              "order_statuses", required=False)

    @validates_schema
    def _cancel_needs_its_status(self, data, **_):
        # Without a status to move to, every full refund would wait: say so on the form.
        if data.get("full_refund_unshipped") == FULL_REFUND_CANCEL \
                and not data.get("cancelled_status_id"):
            raise ValidationError("Choose the cancelled status, or keep sales credits.",
                                  "cancelled_status_id")
