"""Which settings each flow needs: a registry of one marshmallow schema per flow.

The Flows page renders, validates and checks completeness from what is registered here.
A flow registers (or replaces) its schema with register_schema(name, SchemaClass); the
schemas written with the flows (models/schemas/) are registered below. Field metadata the page understands: "label", "help",
"choices" ([(value, label)]), "choices_from" (a kind of Brightpearl reference data:
warehouses, price_lists, order_statuses, channels, payment_methods, shipping_methods,
tax_codes, nominal_codes — for a Dict, the values; for a Nested, inherited by its fields),
"key_label" and "key_choices" / "key_choices_from" for a Dict's keys.
"""
from marshmallow import Schema, fields

from models.schemas.inventory import InventorySettings
from models.schemas.orders import OrderSettings, OrderStatusSettings, RefundSettings
from models.schemas.products import ProductSettings
from models.schemas.shipments import ShipmentSettings

FLOW_SCHEMAS = {}

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


for _name, _cls in (("orders", OrderSettings), ("order_status", OrderStatusSettings),
                    ("refunds", RefundSettings), ("shipments", ShipmentSettings),
                    ("products", ProductSettings), ("inventory", InventorySettings)):
    register_schema(_name, _cls)
