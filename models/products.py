"""What the products flow remembers: Brightpearl groups ⇄ Woo variable products, categories ⇄
Woo categories, and per product what was last written (so prices can be polled and unchanged
writes skipped)."""
from peewee import CharField, DateTimeField, IntegerField

from models.base import BaseModel, MoneyField, utcnow


class ProductGroupLink(BaseModel):
    """A Brightpearl product group ⇄ the Woo variable product made from it (it has no SKU)."""

    bp_group_id = IntegerField(unique=True)
    woo_product_id = IntegerField(index=True)
    digest = CharField(max_length=64, null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "product_group_link"


class ProductWrite(BaseModel):
    """The last write for one Brightpearl product: its prices and a digest of the body sent."""

    bp_product_id = IntegerField(unique=True)
    woo_id = IntegerField(null=True)
    regular_price = MoneyField(null=True)
    sale_price = MoneyField(null=True)
    digest = CharField(max_length=64, null=True)
    written_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "product_write"


class CategoryLink(BaseModel):
    """A Brightpearl category ⇄ the Woo product category it was matched to or created as."""

    bp_category_id = IntegerField(unique=True)
    woo_category_id = IntegerField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "category_link"
