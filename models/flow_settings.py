"""A flow's settings through its schema: loaded with the schema's defaults, and checked for what
is missing. The schemas are named by the flow declarations (models/flow_specs.py).

Field metadata the Flows page understands: "label", "help", "choices" ([(value, label)]),
"choices_from" (a kind of Brightpearl reference data: warehouses, price_lists, order_statuses,
channels, payment_methods, shipping_methods, tax_codes, nominal_codes — for a Dict, the values;
for a Nested, inherited by its fields), "key_label" and "key_choices" / "key_choices_from" for a
Dict's keys.
"""
from marshmallow import fields
from marshmallow.utils import missing as absent

from models.flow_specs import flow_spec


def schema_for(name):
    """An instance of the flow's settings schema."""
    return flow_spec(name).schema()


def load_settings(name, raw):
    """The stored settings of flow name as the flow uses them: values loaded by its schema and
    every absent field given the schema's default. Required fields left empty stay absent (the
    flow says what it waits for where it needs it). Raises ValidationError when a value is invalid.
    """
    schema = schema_for(name)
    # An empty value of a field that takes none is a setting not made yet, not an invalid one.
    data = {key: value for key, value in (raw or {}).items()
            if value is not None or key not in schema.fields or schema.fields[key].allow_none}
    for key, field in schema.fields.items():
        if key not in data and field.load_default is not absent:
            default = field.load_default
            data[key] = default() if callable(default) else default
    return schema.load(data, partial=True)


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
