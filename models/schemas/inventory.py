"""Settings of the inventory flow (Brightpearl stock → Woo stock quantities)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

UNTRACKED_SKIP, UNTRACKED_IN_STOCK = "skip", "in_stock"
UNTRACKED_CHOICES = [(UNTRACKED_SKIP, "Skip them (leave the store's stock alone)"),
                     (UNTRACKED_IN_STOCK, "Mark them in stock (stock not managed in Woo)")]
BUNDLES_COMPONENTS, BUNDLES_BRIGHTPEARL = "components", "brightpearl"
BUNDLE_CHOICES = [(BUNDLES_COMPONENTS, "Minimum over components (no extra API calls)"),
                  (BUNDLES_BRIGHTPEARL, "Brightpearl bundle availability (one call per bundle)")]
_UNITS = validate.Range(min=0, max=1_000_000)


def _units(label, help_text, default=0, allow_none=False):
    return fields.Integer(load_default=default, allow_none=allow_none, strict=False,
                          validate=_UNITS, metadata={"label": label, "help": help_text})


def _buffer_map(label, key_label, help_text, **extra):
    return fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=64)),
        values=fields.Integer(strict=False, validate=_UNITS), load_default=dict,
        metadata={"label": label, "key_label": key_label, "help": help_text, **extra})


class InventorySettings(Schema):
    """Which warehouses count, the buffer rules, and how often stock is checked."""

    warehouse_ids = fields.List(
        fields.Integer(strict=False), load_default=list,
        metadata={"label": "Warehouses counted for stock", "choices_from": "warehouses",
                  "help": "On-hand units of these warehouses are added up for the store. "
                          "None chosen: every warehouse counts."})
    buffer_all = _units("Safety stock (every SKU)",
                        "Units held back from every SKU unless a rule below says otherwise.")
    buffer_by_category = _buffer_map(
        "Safety stock per Brightpearl category", "Category code",
        "Overrides the safety stock for products in the category.",
        key_choices_from="categories")
    buffer_by_sku = _buffer_map("Safety stock per SKU", "SKU",
                                "Overrides every other safety stock rule for that SKU.")
    percent_listed = fields.Integer(
        load_default=100, strict=False, validate=validate.Range(min=0, max=100),
        metadata={"label": "Share of stock listed (%)",
                  "help": "Rounded down, before the safety stock is taken off."})
    max_listed = _units("Most units listed per SKU", "Empty: no maximum.", default=None,
                        allow_none=True)
    zero_at_or_below = _units("Treat this many or fewer as 0",
                              "Low stock is listed as out of stock (0: off).")
    untracked = fields.String(
        load_default=UNTRACKED_SKIP,
        validate=validate.OneOf([value for value, _ in UNTRACKED_CHOICES]),
        metadata={"label": "Products Brightpearl does not stock-track",
                  "choices": UNTRACKED_CHOICES})
    bundles = fields.String(
        load_default=BUNDLES_COMPONENTS,
        validate=validate.OneOf([value for value, _ in BUNDLE_CHOICES]),
        metadata={"label": "How bundles are counted", "choices": BUNDLE_CHOICES})
    sweep_seconds = fields.Integer(
        load_default=3600, strict=False, validate=validate.Range(min=300, max=7 * 86400),
        metadata={"label": "Full stock check every (seconds)",
                  "help": "Re-reads every product's stock to repair missed notifications."})
    delta_seconds = fields.Integer(
        load_default=5, strict=False, validate=validate.Range(min=1, max=600),
        metadata={"label": "Check for stock changes every (seconds)",
                  "help": "How often goods movements are read and queued changes written."})

    @validates_schema
    def _percent_needs_something_listed(self, data, **_):
        # 0% would list nothing anywhere: almost certainly a typo, and it empties the store.
        if data.get("percent_listed") == 0:
            raise ValidationError("0% would list every product as out of stock.",
                                  "percent_listed")

