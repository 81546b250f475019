"""Settings of the products flow (Brightpearl → Woo); the Flows page renders and validates them."""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from models.schemas.choice import choice

# Fields Brightpearl may own; the SKU is always Brightpearl's, because it is the match key.
OWNABLE_FIELDS = ("name", "description", "short_description", "price", "weight", "dimensions",
                  "status", "categories")
DEFAULT_OWNED = ("name", "description", "short_description", "price", "weight", "dimensions",
                 "status")
NEW_PRODUCT_STATUSES = ("draft", "publish")
INCLUDE_MODES = ("all", "channel", "brand", "category")
OFF_SALE_CHOICES = [("draft", "set them to draft"), ("private", "set them to private"),
                    ("leave", "leave them as they are")]
DELETED_IN_STORE_CHOICES = [("leave", "leave them out of the store"),
                            ("recreate", "create them again (with the new-product status)")]
CATEGORY_SYNC_CHOICES = [
    ("map", "only the category map below"),
    ("match", "match Brightpearl's categories to the store's by name (and parent)"),
    ("create", "match, and create the categories the store lacks"),
]


def _label(value):
    return value.replace("_", " ")


class ProductSettings(Schema):
    """What the products flow needs: price lists, owned fields, new-product status, scope."""

    class Meta:
        # Settings saved by an older form may carry keys this schema no longer has.
        unknown = EXCLUDE

    price_list_id = fields.Integer(required=True, strict=False, validate=validate.Range(min=1),
                                   metadata={"label": "Price list (regular price)",
                                             "choices_from": "price_lists",
                                             "help": "Woo's regular price is this list's "
                                                     "price for quantity 1."})
    sale_price_list_id = fields.Integer(
        load_default=None, allow_none=True, strict=False, validate=validate.Range(min=1),
        metadata={"label": "Price list (sale price)", "choices_from": "price_lists",
                  "help": "Optional. Used as the Woo sale price when lower than the regular "
                          "price; otherwise the sale price is cleared."})
    owned_fields = fields.List(
        fields.String(validate=validate.OneOf(OWNABLE_FIELDS)),
        load_default=lambda: list(DEFAULT_OWNED),
        metadata={"label": "Fields Brightpearl owns",
                  "choices": [(f, _label(f)) for f in OWNABLE_FIELDS],
                  "help": "Fields not ticked are set when a product is created and never "
                          "overwritten afterwards: the store owns them."})
    new_product_status = fields.String(
        load_default="draft", validate=validate.OneOf(NEW_PRODUCT_STATUSES),
        metadata={"label": "New products are created as",
                  "choices": [("draft", "drafts"), ("publish", "published")]})
    include = fields.String(
        load_default="all", validate=validate.OneOf(INCLUDE_MODES),
        metadata={"label": "Products to sync",
                  "choices": [("all", "all live products"), ("channel", "those on a channel"),
                              ("brand", "those of some brands"),
                              ("category", "those in some categories")]})
    include_channel_id = fields.Integer(
        load_default=None, allow_none=True, strict=False,
        metadata={"label": "Channel", "choices_from": "channels",
                  "help": "With 'those on a channel': products available to sell on it."})
    include_brand_ids = fields.List(
        fields.Integer(strict=False), load_default=list,
        metadata={"label": "Brightpearl brand ids",
                  "help": "With 'those of some brands'."})
    include_category_codes = fields.List(
        fields.String(validate=validate.Length(min=1, max=32)), load_default=list,
        metadata={"label": "Brightpearl category codes",
                  "help": "With 'those in some categories'."})
    off_sale = choice(OFF_SALE_CHOICES, "draft", "Products archived or deleted in Brightpearl",
                      "Taken off sale in the store whether or not Brightpearl owns the status. "
                      "A variation is set to private either way (drafts belong to its parent).")
    deleted_in_store = choice(DELETED_IN_STORE_CHOICES, "leave",
                              "Products staff deleted in the store",
                              "Their link is dropped either way, so the next sync does not "
                              "write to a product that is gone.")
    category_sync = choice(CATEGORY_SYNC_CHOICES, "match", "Categories",
                           "Used for new products, and for every update when Brightpearl owns "
                           "categories. The category map below always wins.")
    category_map = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=32)),
        values=fields.Integer(strict=False, validate=validate.Range(min=1)), load_default=dict,
        metadata={"label": "Category map (Brightpearl code → Woo category id)",
                  "key_label": "Brightpearl category code", "key_choices_from": "categories",
                  "help": "Overrides: these codes go to these Woo categories whatever the "
                          "setting above finds."})

    @validates_schema
    def _scope_is_complete(self, data, **_):
        # A scope without its list would silently sync nothing; say so on the form instead.
        mode = data.get("include", "all")
        if mode == "channel" and not data.get("include_channel_id"):
            raise ValidationError("Choose the channel.", "include_channel_id")
        if mode == "brand" and not data.get("include_brand_ids"):
            raise ValidationError("Choose at least one brand.", "include_brand_ids")
        if mode == "category" and not data.get("include_category_codes"):
            raise ValidationError("Give at least one category code.", "include_category_codes")
