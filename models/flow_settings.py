"""Which settings each flow needs: a registry of one marshmallow schema per flow.

The Flows page renders, validates and checks completeness from what is registered here.
A flow registers (or replaces) its schema with register_schema(name, SchemaClass); the
schemas written with the flows (models/schemas/) are registered below, and the flows that
have none yet get a minimal one. Field metadata the page understands: "label", "help",
"choices" ([(value, label)]), "choices_from" (a kind of Brightpearl reference data:
warehouses, price_lists, order_statuses, channels, payment_methods, shipping_methods,
tax_codes, nominal_codes — for a Dict, the values; for a Nested, inherited by its fields),
"key_label" and "key_choices" / "key_choices_from" for a Dict's keys.
"""
from marshmallow import Schema, fields, validate

from models.schemas.orders import OrderSettings, OrderStatusSettings, RefundSettings

FLOW_SCHEMAS = {}

PRODUCT_FIELDS = [(f, f.replace("_", " ")) for f in (
    "name", "sku", "description", "short_description", "price", "sale_price", "weight",
    "dimensions", "status", "images", "categories")]


def register_schema(name, schema_cls):
    """Make schema_cls the settings schema of flow name; returns it (usable as a decorator)."""
    FLOW_SCHEMAS[name] = schema_cls
    return schema_cls


def schema_for(name):
    """An instance of the flow's settings schema (an empty schema when none is registered)."""
    return FLOW_SCHEMAS.get(name, Schema)()


def _empty(value):
    return value is None or value == "" or value == [] or value == {}


def _missing(schema, settings, prefix=""):
    missing = []
    for key, field in schema.fields.items():
        value = settings.get(key)
        if field.required and _empty(value):
            missing.append(prefix + key)
        elif isinstance(field, fields.Nested) and isinstance(value, dict):
            missing.extend(_missing(field.schema, value, f"{prefix}{key}."))
    return missing


def missing_settings(name, settings):
    """The required settings of flow name that settings leaves empty (dotted when nested)."""
    return _missing(schema_for(name), settings or {})


class ShipmentSettings(Schema):
    """Brightpearl goods-out / drop-ship notes → Woo tracking (minimal until the flow lands)."""

    complete_when_shipped = fields.Boolean(
        load_default=True, metadata={"label": "Complete the Woo order when every line shipped"})
    carriers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=64)),
        values=fields.String(validate=validate.Length(min=1, max=64)), load_default=dict,
        metadata={"label": "Carrier names", "key_label": "Brightpearl shipping method",
                  "key_choices_from": "shipping_methods",
                  "help": "The carrier name written to the Woo order for each method."})


class ProductSettings(Schema):
    """Brightpearl products → Woo products (minimal until the flow lands)."""

    price_list_id = fields.Integer(required=True, strict=False, metadata={
        "label": "Price list", "choices_from": "price_lists",
        "help": "Woo prices come from this Brightpearl price list."})
    owned_fields = fields.List(
        fields.String(validate=validate.OneOf([f for f, _ in PRODUCT_FIELDS])),
        load_default=lambda: ["name", "sku", "price", "weight"],
        metadata={"label": "Fields Brightpearl owns", "choices": PRODUCT_FIELDS,
                  "help": "Fields not ticked are never overwritten in the store."})
    create_missing = fields.Boolean(
        load_default=True, metadata={"label": "Create products missing in Woo"})


class MinimalInventorySettings(Schema):
    """Brightpearl stock → Woo stock (used only while models/schemas/inventory is absent)."""

    warehouse_ids = fields.List(
        fields.Integer(strict=False), required=True,
        validate=validate.Length(min=1, error="Choose at least one warehouse."),
        metadata={"label": "Warehouses counted for stock", "choices_from": "warehouses"})
    buffer_all = fields.Integer(load_default=0, strict=False,
                                validate=validate.Range(min=0, max=1_000_000),
                                metadata={"label": "Safety stock (every SKU)"})
    buffer_by_sku = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=64)),
        values=fields.Integer(strict=False, validate=validate.Range(min=0, max=1_000_000)),
        load_default=dict, metadata={"label": "Safety stock per SKU", "key_label": "SKU"})


try:
    from models.schemas.inventory import InventorySettings
except ImportError:  # the inventory flow's own schema is not in this tree yet
    InventorySettings = MinimalInventorySettings

for _name, _cls in (("orders", OrderSettings), ("order_status", OrderStatusSettings),
                    ("refunds", RefundSettings), ("shipments", ShipmentSettings),
                    ("products", ProductSettings), ("inventory", InventorySettings)):
    register_schema(_name, _cls)
