"""What the products flow remembers: Brightpearl groups ⇄ Woo variable products, categories ⇄
Woo categories, and per product what was last written (so prices can be polled and unchanged
writes skipped)."""
from peewee import CharField, DateTimeField, IntegerField

from models.base import MoneyField, utcnow
from models.connections import ScopedModel


class ProductGroupLink(ScopedModel):
    """A Brightpearl product group ⇄ the Woo variable product made from it (it has no SKU)."""

    bp_group_id = IntegerField()
    woo_product_id = IntegerField(index=True)
    digest = CharField(max_length=64, null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "product_group_link"
        indexes = ((("connection_id", "bp_group_id"), True),)


class ProductWrite(ScopedModel):
    """The last write for one Brightpearl product: its prices and a digest of the body sent."""

    bp_product_id = IntegerField()
    woo_id = IntegerField(null=True)
    regular_price = MoneyField(null=True)
    sale_price = MoneyField(null=True)
    digest = CharField(max_length=64, null=True)
    written_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "product_write"
        indexes = ((("connection_id", "bp_product_id"), True),)


class CategoryLink(ScopedModel):
    """A Brightpearl category ⇄ the Woo product category it was matched to or created as."""

    bp_category_id = IntegerField()
    woo_category_id = IntegerField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "category_link"
        indexes = ((("connection_id", "bp_category_id"), True),)
