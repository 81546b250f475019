"""Settings forms generated from a flow's marshmallow schema: render, parse, validate.

A field becomes a control by its type: Boolean → checkbox; List → checkboxes (with choices) or
one value per line; Dict → key → value rows (blank rows to add more); Nested → a group of its
own fields; anything else → a text or number input, or a select when it has choices. Choices
come from metadata "choices", or "choices_from" (values) / "key_choices_from" (Dict keys): a
kind of Brightpearl reference data read through the provider callable set on
app.extensions["pearlbridge_reference_data"]; else from a OneOf validator. When a list cannot
be loaded the field falls back to a plain input and says so. Nested fields inherit their
parent's choices_from. Names of nested controls are dotted: "nominal_codes.sales".
"""
import logging
from dataclasses import dataclass, field as dataclass_field

from flask import current_app, g
from marshmallow import ValidationError, fields, validate as validators

log = logging.getLogger(__name__)
PROVIDER = "pearlbridge_reference_data"
BLANK_ROWS, MORE_ROWS = 2, 3
KIND_NAMES = {"warehouses": "warehouses", "price_lists": "price lists",
              "order_statuses": "order statuses", "channels": "channels",
              "payment_methods": "payment methods", "shipping_methods": "shipping methods",
              "tax_codes": "tax codes", "nominal_codes": "nominal codes",
              "categories": "categories"}
FRIENDLY = {"Missing data for required field.": "Required.",
            "Not a valid integer.": "Must be a whole number (an id).",
            "Field may not be null.": "Required."}


@dataclass
class FieldView:
    """One form control as the template draws it."""

    name: str
    label: str
    kind: str
    required: bool = False
    help: str = ""
    value: object = None
    choices: list | None = None
    note: str = ""
    key_label: str = "Key"
    key_choices: list | None = None
    errors: list = dataclass_field(default_factory=list)
    children: list = dataclass_field(default_factory=list)


def reference_choices(kind):
    """([(id, label)] as strings, "") from the provider, or (None, why it is a plain input)."""
    cache = g.setdefault("reference_data", {})
    if kind not in cache:
        provider = current_app.extensions.get(PROVIDER)
        note = (f"The list of {KIND_NAMES.get(kind, kind.replace('_', ' '))} could not be "
                "loaded from Brightpearl; type the id.")
        try:
            if provider is None:
                raise LookupError("no reference data provider")
            cache[kind] = ([(str(i), str(label)) for i, label in provider(kind)], "")
        except Exception as exc:  # whatever the provider raises, the form still works
            if provider is not None:
                log.warning("reference data %s unavailable: %s", kind, exc)
            cache[kind] = (None, note)
    return cache[kind]


def _one_of(schema_field):
    for validator in schema_field.validators:
        if isinstance(validator, validators.OneOf):
            labels = list(validator.labels) or [str(c) for c in validator.choices]
            return [(str(c), str(lbl)) for c, lbl in zip(validator.choices, labels)]
    return None


def _choices(meta, inner=None, static="choices", source="choices_from"):
    if meta.get(static):
        return [(str(v), str(label)) for v, label in meta[static]], ""
    if meta.get(source):
        return reference_choices(meta[source])
    return (_one_of(inner), "") if inner is not None else (None, "")


def _kind(schema_field, has_choices):
    if isinstance(schema_field, fields.Boolean):
        return "checkbox"
    if isinstance(schema_field, fields.Nested):
        return "group"
    if isinstance(schema_field, fields.Dict):
        return "mapping"
    if isinstance(schema_field, fields.List):
        return "checkboxes" if has_choices else "lines"
    if has_choices:
        return "select"
    return "number" if isinstance(schema_field, fields.Number) else "text"


def _inner(schema_field):
    if isinstance(schema_field, fields.List):
        return schema_field.inner
    if isinstance(schema_field, fields.Dict):
        return schema_field.value_field
    return schema_field


def _nested_schema(schema_field):
    return schema_field.schema


def form_values(schema, settings):
    """Stored settings turned into the raw values the form shows."""
    values, settings = {}, settings or {}
    for name, schema_field in schema.fields.items():
        value = settings.get(name)
        if isinstance(schema_field, fields.Boolean):
            value = bool(value) if name in settings else schema_field.load_default is True
        elif isinstance(schema_field, fields.Nested):
            value = form_values(_nested_schema(schema_field), value or {})
        elif isinstance(schema_field, fields.Dict):
            value = [(str(k), "" if v is None else str(v)) for k, v in (value or {}).items()]
        elif isinstance(schema_field, fields.List):
            value = [str(v) for v in (value or [])]
        else:
            value = "" if value is None else str(value)
        values[name] = value
    return values


def build_form(schema, values, errors=None, more_rows_for=None, prefix="", inherited=None):
    """The FieldViews of schema, filled with values and annotated with errors."""
    errors, views = errors or {}, []
    for name, schema_field in schema.fields.items():
        full = prefix + name
        meta = dict(schema_field.metadata)
        if inherited and not meta.get("choices") and not meta.get("choices_from"):
            meta["choices_from"] = inherited
        inner = None if isinstance(schema_field, fields.Nested) else _inner(schema_field)
        choices, note = (None, "") if inner is None else _choices(meta, inner)
        view = FieldView(name=full, label=meta.get("label", name.replace("_", " ")),
                         kind=_kind(schema_field, choices is not None),
                         required=schema_field.required, help=meta.get("help", ""),
                         value=values.get(name), choices=choices, note=note,
                         errors=errors.get(full, []))
        if view.kind == "group":
            view.children = build_form(_nested_schema(schema_field), view.value or {}, errors,
                                       more_rows_for, full + ".", meta.get("choices_from"))
        elif view.kind == "mapping":
            view.key_label = meta.get("key_label", "Key")
            view.key_choices, key_note = _choices(meta, schema_field.key_field, "key_choices",
                                                  "key_choices_from")
            view.note = " ".join(n for n in (key_note, note) if n)
            blanks = BLANK_ROWS + (MORE_ROWS if more_rows_for == full else 0)
            view.value = list(view.value or []) + [("", "")] * blanks
        if choices is not None and view.kind in ("select", "checkboxes"):
            view.choices = _keep_unknown(choices, view.value)
        views.append(view)
    return views


def _keep_unknown(choices, value):
    # A stored id Brightpearl no longer lists stays visible (and selected) instead of vanishing.
    known = {v for v, _ in choices}
    chosen = value if isinstance(value, list) else [value] if value else []
    return choices + [(v, f"{v} (not in the list)") for v in chosen if v not in known]


def parse_form(schema, form, prefix=""):
    """(raw values for redisplay, data for schema.load, errors found before loading)."""
    values, data, errors = {}, {}, {}
    for name, schema_field in schema.fields.items():
        full = prefix + name
        if isinstance(schema_field, fields.Boolean):
            values[name] = data[name] = full in form
        elif isinstance(schema_field, fields.Nested):
            values[name], nested, inner_errors = parse_form(
                _nested_schema(schema_field), form, full + ".")
            errors.update(inner_errors)
            if any(v not in ("", [], {}) for v in nested.values() if not isinstance(v, bool)):
                data[name] = nested
        elif isinstance(schema_field, fields.Dict):
            values[name], data[name], problems = _parse_mapping(schema_field, form, full)
            if problems:
                errors[full] = problems
        elif isinstance(schema_field, fields.List):
            items = [line.strip() for raw in form.getlist(full) for line in raw.splitlines()]
            values[name] = [i for i in items if i]
            # A hidden marker tells "every box unticked" apart from "field not on the form".
            if values[name] or f"{full}-present" in form:
                data[name] = values[name]
        else:
            values[name] = form.get(full, "").strip()
            if values[name]:
                data[name] = values[name]
            elif schema_field.allow_none and not schema_field.required:
                data[name] = None
    return values, data, errors


def _parse_mapping(schema_field, form, full):
    pairs = [(k.strip(), v.strip()) for k, v in
             zip(form.getlist(f"{full}-key"), form.getlist(f"{full}-value"))]
    rows = [p for p in pairs if p[0] or p[1]]
    mapping, problems = {}, []
    key_label = schema_field.metadata.get("key_label", "key").lower()
    for key, value in rows:
        if not key:
            problems.append(f"The row with value {value!r} has no {key_label}.")
        elif not value:
            problems.append(f"{key}: choose a value (or clear the row).")
        elif key in mapping:
            problems.append(f"{key} appears twice.")
        else:
            mapping[key] = value
    return rows, mapping, problems


def validate(schema, form):
    """(loaded settings as JSON-ready data or None, raw values, {field: [messages]})."""
    values, data, errors = parse_form(schema, form)
    try:
        loaded = schema.load(data)
    except ValidationError as exc:
        _collect(schema, exc.normalized_messages(), errors)
        loaded = None
    if errors:
        return None, values, errors
    return schema.dump(loaded), values, {}


def _collect(schema, messages, errors, prefix=""):
    for name, inner in messages.items():
        schema_field = schema.fields.get(name)
        if isinstance(schema_field, fields.Nested) and isinstance(inner, dict):
            _collect(_nested_schema(schema_field), inner, errors, prefix + name + ".")
        elif name == "_schema":
            errors.setdefault((prefix.rstrip(".") or "_schema"), []).extend(flatten(inner))
        else:
            errors.setdefault(prefix + name, []).extend(flatten(inner))


def flatten(messages, prefix=""):
    """marshmallow's nested error messages as plain sentences."""
    if isinstance(messages, dict):
        out = []
        for key, inner in messages.items():
            plain = key in ("key", "value", "_schema") or isinstance(key, int)
            out.extend(flatten(inner, prefix if plain else f"{prefix}{key}: "))
        return out
    if isinstance(messages, (list, tuple)):
        return [m for item in messages for m in flatten(item, prefix)]
    return [f"{prefix}{FRIENDLY.get(str(messages), messages)}"]
